"""The procedure of the Student Rules before any sanction (art. 6 and 7): Student Success opens it from the
attendance page (or for any learner in Premium Plus), the learner answers from "Mon parcours", Student Success
decides. Staff pages are not found for anyone else; a learner sees only their own procedure."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.extensions import db
from app.forms import populate_errors
from app.forms.discipline import NO_SANCTION, CaseAnswerForm, CaseDecisionForm, CaseForm, LearnerLookupForm
from app.labels import label
from app.models import DisciplinaryCase, RuleBreached, Sanction, User
from app.models.commerce import OfferKind
from app.services import DomainError
from app.services.accounts import users
from app.services.commerce import subscriptions
from app.services.mentoring import attendance, discipline
from app.views.staff import staff_required
from app.web import paris_datetime

bp = Blueprint("discipline", __name__)


def _enum_or_none(kind, value: str | None):
    return kind(value) if value in kind.__members__.values() else None


@bp.route("/equipe/procedures")
@staff_required
def cases() -> ResponseReturnValue:
    """The procedures under way, and a learner looked up by their address to start one for them."""
    form = LearnerLookupForm(request.args)
    if "email" in request.args and form.validate():
        learner = users.find_by_email(form.email.data.strip())
        if learner is not None and discipline.may_open(
                subscriptions.current_subscription(learner.id, OfferKind.PLUS)):
            return redirect(url_for("discipline.open_case", user_id=learner.id))
        form.email.errors = [_("Aucun apprenant Premium Plus sans procédure en cours n'a cette adresse.")]
    return render_template("discipline/staff_cases.html", cases=discipline.open_cases(), form=form)


@bp.route("/equipe/procedures/nouvelle/<int:user_id>", methods=["GET", "POST"])
@staff_required
def open_case(user_id: int) -> ResponseReturnValue:
    learner = db.session.get(User, user_id) or abort(404)
    subscription = subscriptions.current_subscription(learner.id, OfferKind.PLUS)
    if not discipline.may_open(subscription):
        abort(404)
    form = CaseForm()
    if form.validate_on_submit():
        try:
            case = discipline.open_case(subscription, current_user, _enum_or_none(RuleBreached, form.rule.data),
                                        form.facts.data or "", _enum_or_none(Sanction, form.considered.data))
        except DomainError as error:
            populate_errors(form, error)
        else:
            db.session.commit()
            flash(_("Notification envoyée à %(name)s, qui a jusqu'au %(date)s pour répondre.",
                    name=learner.full_name, date=discipline.answer_day(case)), "success")
            return redirect(url_for("discipline.case", case_id=case.id))
    elif not form.is_submitted():
        # The unjustified absences, to start the facts with (Student Success completes them).
        form.facts.data = "\n".join(_("Séance du %(date)s : %(attendance)s", date=paris_datetime(session.starts_at),
                                       attendance=label(session.attendance))
                                     for session in attendance.unjustified_absences(learner) if session.attendance)
    return render_template("discipline/staff_new.html", form=form, learner=learner)


@bp.route("/equipe/procedures/<int:case_id>", methods=["GET", "POST"])
@staff_required
def case(case_id: int) -> ResponseReturnValue:
    found = db.session.get(DisciplinaryCase, case_id) or abort(404)
    form = CaseDecisionForm()
    if discipline.can_decide(found) and form.validate_on_submit():
        outcome = None if form.outcome.data == NO_SANCTION else _enum_or_none(Sanction, form.outcome.data)
        try:
            if form.outcome.data != NO_SANCTION and outcome is None:
                raise DomainError([("outcome", _("Choisissez la décision."))])
            discipline.decide(found, current_user, outcome, form.reasons.data or "", form.suspended_until.data)
        except DomainError as error:
            populate_errors(form, error)
        else:
            db.session.commit()
            flash(_("Décision notifiée par email à %(name)s.", name=found.learner.full_name), "success")
            return redirect(url_for("discipline.case", case_id=found.id))
    return render_template("discipline/staff_case.html", case=found, form=form,
                           can_decide=discipline.can_decide(found), answer_day=discipline.answer_day(found))


@bp.route("/mon-parcours/procedures/<int:case_id>", methods=["GET", "POST"])
@login_required
def answer(case_id: int) -> ResponseReturnValue:
    found = discipline.learners_case(current_user, case_id) or abort(404)
    form = CaseAnswerForm()
    if discipline.can_answer(found) and form.validate_on_submit():
        try:
            discipline.answer(found, form.answer.data or "", form.interview.data)
        except DomainError as error:
            populate_errors(form, error)
        else:
            db.session.commit()
            flash(_("Vos explications sont transmises à Student Success, qui les lit avant toute décision."),
                  "success")
            return redirect(url_for("discipline.answer", case_id=found.id))
    elif not form.is_submitted() and found.answer:
        form.answer.data, form.interview.data = found.answer, found.interview_requested
    return render_template("discipline/learner_case.html", case=found, form=form,
                           can_answer=discipline.can_answer(found), answer_day=discipline.answer_day(found))
