"""Mentoring sessions, the learner's side: book one of the mentor's free slots, see those booked, cancel one."""

from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.extensions import db
from app.forms import populate_errors
from app.forms.mentoring import BookingForm, CancelSessionForm
from app.models import Subscription
from app.models.commerce import OfferKind
from app.services import DomainError
from app.services.commerce import mentors, subscriptions
from app.services.mentoring import availability, sessions
from app.web import paris_datetime

bp = Blueprint("sessions", __name__)


def _mentored_subscription() -> Subscription:
    subscription = subscriptions.current_subscription(current_user.id, OfferKind.PLUS)
    if subscription is None or not mentors.needs_mentor(subscription) or mentors.current(subscription) is None:
        abort(404)
    return subscription


@bp.route("/mon-parcours/seances", methods=["GET", "POST"])
@login_required
def book() -> ResponseReturnValue:
    subscription = _mentored_subscription()
    starts = availability.free_starts(subscription)
    form = BookingForm(start_choices=[(start.isoformat(), paris_datetime(start)) for start in starts])
    if form.validate_on_submit():
        try:
            session = sessions.book(subscription, datetime.fromisoformat(form.starts_at.data))
        except (DomainError, ValueError) as error:
            populate_errors(form, error if isinstance(error, DomainError) else DomainError(
                [("starts_at", _("Choisissez un créneau dans la liste."))]))
        else:
            db.session.commit()
            flash(_("Votre séance est réservée le %(date)s (heure de Paris). Vous et votre mentor recevez "
                    "l'invitation par email.", date=paris_datetime(session.starts_at)), "success")
            return redirect(url_for("sessions.book"))
    return render_template("sessions/book.html", form=form, subscription=subscription,
                           mentor=mentors.current(subscription), periods=availability.periods(subscription),
                           booked=sessions.upcoming_of_learner(subscription), has_slots=bool(starts),
                           session_minutes=availability.SESSION_MINUTES, can_move=sessions.can_move)


@bp.route("/mon-parcours/seances/<int:session_id>/annuler", methods=["GET", "POST"])
@login_required
def cancel(session_id: int) -> ResponseReturnValue:
    session = sessions.learners_session(current_user, session_id)
    if session is None or not sessions.can_cancel(session):
        abort(404)
    form = CancelSessionForm()
    if form.validate_on_submit():
        try:
            sessions.cancel(session, form.reason.data or "")
        except DomainError as error:
            populate_errors(form, error)
        else:
            db.session.commit()
            flash(_("La séance du %(date)s est annulée ; votre mentor en est informé par email.",
                    date=paris_datetime(session.starts_at)), "success")
            return redirect(url_for("sessions.book"))
    return render_template("sessions/cancel.html", form=form, session=session, late=sessions.is_late(session))


@bp.route("/mon-parcours/seances/<int:session_id>/deplacer", methods=["GET", "POST"])
@login_required
def move(session_id: int) -> ResponseReturnValue:
    subscription = _mentored_subscription()
    session = sessions.learners_session(current_user, session_id)
    if session is None or not sessions.can_move(session):
        abort(404)
    starts = availability.free_starts(subscription, moving=session)
    form = BookingForm(start_choices=[(start.isoformat(), paris_datetime(start)) for start in starts])
    if form.validate_on_submit():
        try:
            sessions.move(session, subscription, datetime.fromisoformat(form.starts_at.data))
        except (DomainError, ValueError) as error:
            populate_errors(form, error if isinstance(error, DomainError) else DomainError(
                [("starts_at", _("Choisissez un créneau dans la liste."))]))
        else:
            db.session.commit()
            flash(_("Votre séance est déplacée au %(date)s (heure de Paris). Vous et votre mentor recevez "
                    "l'invitation mise à jour par email.", date=paris_datetime(session.starts_at)), "success")
            return redirect(url_for("sessions.book"))
    return render_template("sessions/move.html", form=form, session=session, has_slots=bool(starts))
