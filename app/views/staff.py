"""The back office (`/equipe`): Student Success and the legal team work the queues learners fill — contact
requests and complaints, force-majeure terminations, changes of Parcours, the mentors of Premium Plus learners,
reported posts, final defences and the mail the job queue set aside. Every page is behind `staff_required`:
anyone else is told "page not found", so the back office does not reveal that it exists."""

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.extensions import db
from app.forms import EmptyForm, populate_errors
from app.forms.diplomas import DefenceDecisionForm, DefenceScheduleForm
from app.forms.mentoring import AttendanceForm
from app.forms.parcours_change import ParcoursChangeDecisionForm
from app.forms.support import AnswerForm, MentorChoiceForm
from app.labels import ATTENDANCE_LABELS
from app.models import (
    Attendance,
    DefenceRequest,
    ForceMajeureRequest,
    MentoringSession,
    OutboxMessage,
    ParcoursChangeRequest,
    User,
)
from app.request_guard import posted_id
from app.services import DomainError
from app.services.commerce import mentors, parcours_changes
from app.services.common import mail
from app.services.community import discussions
from app.services.exits import force_majeure
from app.services.learning import defences as defence_requests
from app.services.learning import diplomas
from app.services.mentoring import attendance, discipline
from app.services.support import requests
from app.web import paris_datetime

bp = Blueprint("staff", __name__, url_prefix="/equipe")

Params = ParamSpec("Params")
Result = TypeVar("Result")


def staff_required(view: Callable[Params, Result]) -> Callable[Params, Result]:
    """Staff only; anyone else, signed in or not, gets 404."""
    @wraps(view)
    def guarded(*args: Params.args, **kwargs: Params.kwargs) -> Result:
        if not (current_user.is_authenticated and current_user.is_staff):
            abort(404)
        return view(*args, **kwargs)
    return guarded


@bp.route("")
@staff_required
def home():
    """The back office's front page: each queue and how many items wait in it."""
    queues = [
        (_("Demandes et réclamations"), url_for("staff.contact_requests"), len(requests.list_open_requests())),
        (_("Résiliations pour force majeure"), url_for("staff.force_majeure"), len(force_majeure.pending())),
        (_("Changements de Parcours"), url_for("staff.parcours_changes"), len(parcours_changes.pending())),
        (_("Signalements du forum et des messages"), url_for("staff.reports"), len(discussions.open_reports())),
        (_("Soutenances et diplômes"), url_for("staff.defences"), len(diplomas.awaiting_decision())),
        (_("Assiduité aux séances de mentorat"), url_for("staff.attendance"), len(attendance.to_warn())),
        (_("Mails en échec"), url_for("staff.failed_mail"), mail.set_aside_count()),
        (_("Mentors des apprenants Premium Plus"), url_for("staff.mentors"), mentors.waiting_count()),
    ]
    return render_template("support/staff_home.html", queues=queues)


# --- contact requests and complaints ---------------------------------------------------------------------------

@bp.route("/demandes")
@staff_required
def contact_requests():
    return render_template("support/staff_requests.html", open_requests=requests.list_open_requests(),
                           answered_requests=requests.list_answered_requests())


@bp.route("/demandes/<int:request_id>", methods=["GET", "POST"])
@staff_required
def contact_request(request_id: int):
    contact = requests.get_request(request_id) or abort(404)
    form = AnswerForm()
    if not contact.is_answered and form.validate_on_submit():
        try:
            requests.answer_request(contact, current_user, form.answer.data)
        except DomainError as error:
            populate_errors(form, error)
        else:
            db.session.commit()
            flash(_("Réponse à la demande %(reference)s envoyée par email à %(email)s.",
                    reference=contact.reference, email=contact.email), "success")
            return redirect(url_for("staff.contact_requests"))
    return render_template("support/staff_request.html", contact=contact, form=form,
                           question=requests.question_label(contact.question),
                           contested_session=attendance.contested_by(contact.id))


# --- force majeure and changes of Parcours ---------------------------------------------------------------------

@bp.route("/force-majeure", methods=["GET", "POST"], endpoint="force_majeure")
@staff_required
def force_majeure_requests():
    """Student Success decides the pending force majeure requests (accepted: no indemnity)."""
    form = EmptyForm()
    if form.validate_on_submit():
        request_row = db.session.get(ForceMajeureRequest, posted_id("request_id")) or abort(404)
        try:
            force_majeure.decide(request_row, current_user, accept="accept" in request.form)
        except DomainError as error:
            flash(error.errors[0][1], "alert")
        else:
            db.session.commit()
            flash(_("Décision enregistrée et envoyée par email."), "success")
        return redirect(url_for("staff.force_majeure"))
    return render_template("support/staff_force_majeure.html", requests=force_majeure.pending(), form=form)


@bp.route("/changements-de-parcours", methods=["GET", "POST"], endpoint="parcours_changes")
@staff_required
def parcours_change_requests():
    """Student Success answers the requests to change Parcours, in writing (art. 2.2 c)."""
    pending = parcours_changes.pending()
    forms = {change.id: ParcoursChangeDecisionForm(prefix=f"change-{change.id}") for change in pending}
    if request.method == "POST":
        change = db.session.get(ParcoursChangeRequest, posted_id("request_id")) or abort(404)
        form = forms.get(change.id) or abort(404)
        if form.validate_on_submit():
            try:
                parcours_changes.decide(change, current_user, approve="approve" in request.form,
                                        message=form.message.data)
            except DomainError as error:
                populate_errors(form, error)
            else:
                db.session.commit()
                flash(_("Réponse à la demande %(reference)s envoyée par email.", reference=change.reference),
                      "success")
                return redirect(url_for("staff.parcours_changes"))
    return render_template("support/staff_parcours_changes.html", requests=pending, forms=forms)


# --- mentors of the Premium Plus learners ---------------------------------------------------------------------

def _mentor_form(row: mentors.Accompaniment) -> MentorChoiceForm:
    form = MentorChoiceForm(prefix=f"mentor-{row.subscription.id}")
    form.mentor.label.text = _("Mentor de %(name)s", name=row.subscription.user.full_name)
    form.mentor.choices = [(mentor.id, mentor.full_name) for mentor in row.candidates]
    if row.mentor is not None and request.method == "GET":
        form.mentor.data = row.mentor.id
    return form


@bp.route("/mentors", methods=["GET", "POST"], endpoint="mentors")
@staff_required
def mentors_page():
    """Every Premium Plus learner and their mentor: name one where the default rule found none, or another one
    at the learner's request."""
    rows = mentors.overview()
    forms = {row.subscription.id: _mentor_form(row) for row in rows}
    if request.method == "POST":
        form = forms.get(posted_id("subscription_id")) or abort(404)
        row = next(row for row in rows if row.subscription.id == posted_id("subscription_id"))
        if form.validate_on_submit():
            try:
                mentors.assign_by_team(row.subscription, form.mentor.data or 0)
            except DomainError as error:
                populate_errors(form, error)
            else:
                db.session.commit()
                flash(_("%(mentor)s accompagne désormais %(learner)s, qui en est informé par email.",
                        mentor=db.session.get_one(User, form.mentor.data).full_name,
                        learner=row.subscription.user.full_name), "success")
                return redirect(url_for("staff.mentors"))
    return render_template("support/staff_mentors.html", rows=rows, forms=forms)


def _correction_form(session: MentoringSession) -> AttendanceForm:
    return AttendanceForm(choices=[(member.value, text) for member, text in ATTENDANCE_LABELS.items()],
                          data={"attendance": session.attendance.value if session.attendance else None})


@bp.route("/assiduite/seances/<int:session_id>/corriger", methods=["GET", "POST"])
@staff_required
def correct_attendance(session_id: int):
    """A record the learner contested, and its correction; then the answer to their request."""
    session = db.session.get(MentoringSession, session_id)
    if session is None or not attendance.can_correct(session, current_user):
        abort(404)
    form = _correction_form(session)
    if form.validate_on_submit():
        try:
            attendance.correct(session, current_user, Attendance(form.attendance.data), form.note.data or "")
        except DomainError as error:
            populate_errors(form, error)
        else:
            db.session.commit()
            flash(_("Présence corrigée : %(learner)s en est informé par email. Répondez maintenant à sa "
                    "contestation.", learner=session.learner.full_name), "success")
            return redirect(url_for("staff.contact_request", request_id=session.contest_request_id))
    return render_template("support/staff_correct_attendance.html", session=session, form=form)


@bp.route("/assiduite", endpoint="attendance")
@staff_required
def attendance_page():
    """The learners with two unjustified absences or more over three months: the warning procedure of the Student
    Rules starts with them."""
    learners = attendance.to_warn()
    return render_template("support/staff_attendance.html", learners=learners, window_days=attendance.WINDOW.days,
                           open_cases=discipline.open_case_ids([learner.id for learner, _count in learners]))


# --- reports of posts and messages -----------------------------------------------------------------------------

@bp.route("/signalements")
@staff_required
def reports():
    return render_template("community/staff_reports.html", open_reports=discussions.open_reports(),
                           resolved=discussions.resolved_reports(), form=EmptyForm())


@bp.route("/signalements/<int:report_id>", methods=["POST"])
@staff_required
def resolve_report(report_id: int):
    report = discussions.get_report(report_id) or abort(404)
    if not EmptyForm().validate_on_submit() or request.form.get("decision") not in ("hide", "keep"):
        abort(400)
    hide = request.form["decision"] == "hide"
    try:
        discussions.resolve_report(report, current_user, hide=hide)
    except DomainError as error:
        flash(error.errors[0][1], "alert")
    else:
        db.session.commit()
        flash(_("Contenu masqué et signalement clos.") if hide
              else _("Signalement clos : le contenu reste visible."), "success")
    return redirect(url_for("staff.reports"))


# --- final defences (CGS-DEF-3) --------------------------------------------------------------------------------

def defence_form_prefix(candidate: diplomas.Candidate) -> str:
    """Each learner's form has its own field ids and names on the page."""
    return f"defence-{candidate.user.id}-{candidate.parcours.id}"


def schedule_form_prefix(request_id: int) -> str:
    return f"schedule-{request_id}"


def _decision_forms(candidates: list[diplomas.Candidate]) -> dict[str, DefenceDecisionForm]:
    return {defence_form_prefix(c): DefenceDecisionForm(prefix=defence_form_prefix(c)) for c in candidates}


def _defences_page(candidates: list[diplomas.Candidate], forms: dict[str, DefenceDecisionForm],
                   sent: tuple[int, DefenceScheduleForm] | None = None):
    """The requests for a defence, each with its scheduling form (the one just sent in place of its empty one),
    then the learners who await the jury's decision, each with a decision form."""
    to_schedule = defence_requests.to_schedule()
    schedule_forms = {asked.id: DefenceScheduleForm(prefix=schedule_form_prefix(asked.id)) for asked in to_schedule}
    if sent is not None:
        schedule_forms[sent[0]] = sent[1]
    return render_template("diplomas/staff_defences.html", candidates=candidates, forms=forms,
                           form_prefix=defence_form_prefix, to_schedule=to_schedule, schedule_forms=schedule_forms)


@bp.route("/soutenances", methods=["GET", "POST"])
@staff_required
def defences():
    """The learners who completed a Parcours and await the jury's decision, with a form for each."""
    candidates = diplomas.awaiting_decision()
    forms = _decision_forms(candidates)
    if request.method == "POST":
        key = f"defence-{request.form.get('user_id', type=int)}-{request.form.get('parcours_id', type=int)}"
        candidate = next((c for c in candidates if defence_form_prefix(c) == key), None) or abort(404)
        form = forms[key]
        if form.validate_on_submit():
            try:
                decision = diplomas.record_decision(candidate.user, candidate.parcours, current_user,
                                                    form.defended_on.data, form.decision.data == "favourable",
                                                    form.comments.data)
            except DomainError as error:
                populate_errors(form, error)
            else:
                db.session.commit()
                if decision.diploma is not None:
                    flash(_("Avis favorable enregistré : le diplôme %(id)s du Parcours %(parcours)s est délivré à "
                            "%(name)s, qui en est informé par email.", id=decision.diploma.public_id,
                            parcours=candidate.parcours.t("title"), name=candidate.user.full_name), "success")
                else:
                    flash(_("Avis défavorable enregistré pour %(name)s (Parcours %(parcours)s), qui en est informé "
                            "par email.", name=candidate.user.full_name, parcours=candidate.parcours.t("title")),
                          "success")
                return redirect(url_for("staff.defences"))
    return _defences_page(candidates, forms)


@bp.route("/soutenances/demandes/<int:request_id>/programmer", methods=["GET", "POST"])
@staff_required
def schedule_defence(request_id: int):
    """The defences page, whose form for this request posts here."""
    asked = db.session.get(DefenceRequest, request_id)
    if asked is None or asked.closed_at is not None:
        abort(404)
    form = DefenceScheduleForm(prefix=schedule_form_prefix(request_id))
    if request.method == "GET":
        candidates = diplomas.awaiting_decision()
        return _defences_page(candidates, _decision_forms(candidates))
    if form.validate_on_submit():
        try:
            defence_requests.schedule(asked, current_user, defence_requests.Schedule(
                form.starts_on.data, form.starts_time.data, form.minutes.data, form.video_url.data or "",
                form.jury.data or "", form.accommodation_answer.data or ""))
        except DomainError as error:
            populate_errors(form, error)
        else:
            db.session.commit()
            assert asked.starts_at is not None  # just scheduled
            flash(_("Soutenance de %(name)s programmée le %(date)s : l'apprenant et vous recevez l'invitation par "
                    "email.", name=asked.user.full_name, date=paris_datetime(asked.starts_at)), "success")
            return redirect(url_for("staff.defences"))
    candidates = diplomas.awaiting_decision()
    return _defences_page(candidates, _decision_forms(candidates), sent=(request_id, form))


# --- mail set aside by the job queue ---------------------------------------------------------------------------

@bp.route("/mails-en-echec", methods=["GET", "POST"])
@staff_required
def failed_mail():
    """The mail set aside by the job queue (it could not be built, or kept failing), and a retry for each."""
    form = EmptyForm()
    if form.validate_on_submit():
        message = db.session.get(OutboxMessage, request.form.get("message_id", type=int) or 0) or abort(404)
        if mail.can_retry(message):
            mail.retry(message)
            db.session.commit()
            flash(_("Le mail à %(recipient)s est remis dans la file d'envoi.", recipient=message.recipient),
                  "success")
        return redirect(url_for("staff.failed_mail"))
    return render_template("support/staff_failed_mail.html", messages=mail.set_aside(), form=form)
