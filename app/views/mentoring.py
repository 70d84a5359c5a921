"""The mentor's space: the Premium Plus learners a mentor accompanies now, the sessions booked with them, and the
weekly slots and video-call address the mentor offers."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.extensions import db
from app.forms import EmptyForm, populate_errors
from app.forms.mentoring import WEEKDAYS, AttendanceForm, SlotForm, VideoCallForm
from app.forms.projects import evaluation_form
from app.labels import ATTENDANCE_LABELS
from app.models import Attendance, MentoringSession, ProjectStatus
from app.services import DomainError
from app.services.accounts import roles
from app.services.commerce import mentors
from app.services.common import markdown
from app.services.mentoring import attendance, availability, projects, sessions
from app.views._render import page_or_fragment, wants_fragment

bp = Blueprint("mentoring", __name__)


def _mentor_only() -> None:
    # Like the back office, the space does not tell anyone else that it exists.
    if not roles.has(current_user, roles.Role.MENTOR):
        abort(404)


def _attendance_form(session_id: int) -> AttendanceForm:
    return AttendanceForm(prefix=f"session-{session_id}",
                          choices=[(member.value, label) for member, label in ATTENDANCE_LABELS.items()])


def _home_page(sent: tuple[int, AttendanceForm] | None = None) -> ResponseReturnValue:
    """The space, with the attendance form just sent (its errors, its note) in place of that session's empty one."""
    waiting = attendance.to_record(current_user)
    forms = {session.id: _attendance_form(session.id) for session in waiting}
    if sent is not None:
        forms[sent[0]] = sent[1]
    return render_template("mentoring/home.html", assignments=mentors.learners_of(current_user),
                           upcoming=sessions.upcoming_of_mentor(current_user), to_record=waiting,
                           to_evaluate=projects.to_evaluate(current_user),
                           attendance_forms=forms, **({"form": sent[1]} if sent else {}))


@bp.route("/mentor")
@login_required
def home() -> ResponseReturnValue:
    _mentor_only()
    return _home_page()


@bp.route("/mentor/seances/<int:session_id>/presence", methods=["GET", "POST"])
@login_required
def record_attendance(session_id: int) -> ResponseReturnValue:
    """The space, whose form for this session posts here (a page of its own when opened directly)."""
    _mentor_only()
    session = db.session.get(MentoringSession, session_id)
    if session is None or not attendance.can_record(session, current_user):
        abort(404)
    form = _attendance_form(session_id)
    if request.method == "GET":
        return _home_page()
    if form.validate_on_submit():
        try:
            attendance.record(session, current_user, Attendance(form.attendance.data), form.note.data or "")
        except DomainError as error:
            populate_errors(form, error)
        else:
            db.session.commit()
            flash(_("Présence enregistrée pour la séance de %(learner)s ; l'apprenant en est informé par email.",
                    learner=session.learner.full_name), "success")
            return redirect(url_for("mentoring.home"))
    return _home_page((session_id, form))


@bp.route("/mentor/disponibilites", methods=["GET", "POST"])
@login_required
def availability_page() -> ResponseReturnValue:
    _mentor_only()
    slot_form = SlotForm(prefix="slot", time_zones=availability.time_zones(),
                         data={"time_zone": availability.DEFAULT_TIME_ZONE})
    video_form = VideoCallForm(prefix="video", data={"video_call_url": current_user.video_call_url or ""})
    if request.method == "POST":
        form = slot_form if "slot-weekday" in request.form else video_form
        if form.validate_on_submit():
            try:
                if form is slot_form:
                    availability.add_slot(current_user, int(slot_form.weekday.data), slot_form.starts_at.data,
                                          slot_form.time_zone.data)
                else:
                    availability.set_video_url(current_user, video_form.video_call_url.data.strip())
            except DomainError as error:
                populate_errors(form, error)
            else:
                db.session.commit()
                flash(_("Créneau ajouté : les apprenants peuvent le réserver.") if form is slot_form
                      else _("Adresse de visioconférence enregistrée."), "success")
                return redirect(url_for("mentoring.availability_page"))
    return render_template("mentoring/availability.html", slot_form=slot_form, video_form=video_form,
                           slots=availability.slots_of(current_user), weekdays=WEEKDAYS, form=EmptyForm())


@bp.route("/mentor/disponibilites/<int:slot_id>/retirer", methods=["POST"])
@login_required
def remove_slot(slot_id: int) -> ResponseReturnValue:
    _mentor_only()
    if not EmptyForm().validate_on_submit() or not availability.remove_slot(current_user, slot_id):
        abort(404)
    db.session.commit()
    flash(_("Créneau retiré. Les séances déjà réservées sont maintenues."), "success")
    return redirect(url_for("mentoring.availability_page"))


@bp.route("/mentor/projets/<int:submission_id>", methods=["GET", "POST"])
@login_required
def evaluate_project(submission_id: int) -> ResponseReturnValue:
    """A project handed in by a learner the mentor accompanies: the brief, what was handed in before and what was
    said of it, and the evaluation form while it waits for one; evaluating swaps its part of the page in place with
    HTMX (the mentor's space, with the outcome, without it)."""
    _mentor_only()
    submission = projects.mentors_submission(current_user, submission_id) or abort(404)
    project = submission.project
    form = evaluation_form(project)
    done = None
    if projects.can_evaluate(current_user, submission) and form.validate_on_submit():
        try:
            outcome = projects.evaluate(current_user, submission, form.judgements(), form.feedback.data or "")
        except DomainError as error:
            populate_errors(form, error)
        else:
            db.session.commit()
            done = (_("Projet validé : %(learner)s en est informé par email.", learner=submission.learner.full_name)
                    if outcome == ProjectStatus.VALIDATED else
                    _("Projet à retravailler : %(learner)s reçoit votre évaluation par email et pourra le rendre à "
                      "nouveau.", learner=submission.learner.full_name))
            if not wants_fragment():
                flash(done, "success")
                return redirect(url_for("mentoring.home"))
    return page_or_fragment("mentoring/evaluate.html", "mentoring/_evaluation.html", submission=submission,
                            project=project, form=form, history=projects.history(submission), done=done,
                            in_place=wants_fragment(), can_evaluate=projects.can_evaluate(current_user, submission),
                            brief=markdown.to_html(project.t("brief")),
                            deliverables=markdown.to_html(project.t("deliverables")))
