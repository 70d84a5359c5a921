"""Mentoring sessions, the learner's side: book one of the mentor's free slots, see those booked, cancel one."""

from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import time_zone
from app.extensions import db
from app.forms import populate_errors
from app.forms.mentoring import AttendanceContestForm, BookingForm, CancelSessionForm, TimeZoneForm
from app.i18n import current_language
from app.labels import label
from app.models import Subscription
from app.models.commerce import OfferKind
from app.models.support import ContactQuestion
from app.services import DomainError
from app.services.accounts import users
from app.services.commerce import mentors, subscriptions
from app.services.mentoring import attendance, availability, discipline, sessions
from app.services.support import requests
from app.views._limits import mail_form_limit
from app.views._render import page_or_fragment, wants_fragment
from app.web import their_local_time, their_time, zone_label

bp = Blueprint("sessions", __name__)


def _booking_form(starts: list[datetime]) -> BookingForm:
    """The free starts as radio buttons, in the learner's zone (the page names it); the form accepts only one."""
    return BookingForm(start_choices=[(start.isoformat(), their_local_time(start, current_user)) for start in starts])


def _mentored_subscription() -> Subscription:
    subscription = subscriptions.current_subscription(current_user.id, OfferKind.PLUS, with_parcours=True)
    if subscription is None or not mentors.needs_mentor(subscription) or mentors.current(subscription) is None:
        abort(404)
    return subscription


@bp.route("/mon-parcours/seances", methods=["GET", "POST"])
@login_required
def book() -> ResponseReturnValue:
    """The sessions page; booking swaps its part of the page in place with HTMX (the whole page without it)."""
    subscription = _mentored_subscription()
    found = availability.booking(subscription)
    form = _booking_form(found.starts)
    done = None
    if form.validate_on_submit():
        try:
            session = sessions.book(subscription, datetime.fromisoformat(form.starts_at.data))
        except DomainError as error:
            populate_errors(form, error)
        else:
            db.session.commit()
            done = _("Votre séance est réservée le %(date)s. Vous et votre mentor recevez l'invitation par email.",
                     date=their_time(session.starts_at, current_user))
            if not wants_fragment():
                flash(done, "success")
                return redirect(url_for("sessions.book"))
            found = availability.booking(subscription)  # the start just booked is gone, the period has one less
            form = _booking_form(found.starts)
    return _sessions_page(subscription, form, done, found)


def _sessions_page(subscription: Subscription, form: BookingForm, done: str | None,
                   found: availability.Booking) -> ResponseReturnValue:
    zone = users.time_zone_of(current_user)
    return page_or_fragment(
        "sessions/book.html", "sessions/_area.html", form=form, subscription=subscription, done=done,
        in_place=wants_fragment(), suspended_until=discipline.mentoring_suspended(subscription), zone=zone,
        zone_form=TimeZoneForm(time_zones=time_zone.names(), data={"time_zone": zone}),
        mentor=mentors.current(subscription), periods=found.periods,
        booked=found.upcoming, has_slots=bool(form.starts_at.choices),
        session_minutes=availability.SESSION_MINUTES, can_move=sessions.can_move,
        past=found.past, can_contest=attendance.can_contest)


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
                    date=their_time(session.starts_at, current_user)), "success")
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
    form = _booking_form(starts)
    if form.validate_on_submit():
        try:
            sessions.move(session, subscription, datetime.fromisoformat(form.starts_at.data))
        except DomainError as error:
            populate_errors(form, error)
        else:
            db.session.commit()
            flash(_("Votre séance est déplacée au %(date)s. Vous et votre mentor recevez "
                    "l'invitation mise à jour par email.", date=their_time(session.starts_at, current_user)), "success")
            return redirect(url_for("sessions.book"))
    return render_template("sessions/move.html", form=form, session=session, has_slots=bool(starts))


@bp.route("/mon-parcours/seances/<int:session_id>/contester", methods=["GET", "POST"])
@login_required
@mail_form_limit
def contest(session_id: int) -> ResponseReturnValue:
    """Contest an attendance record in writing: a request to Student Success, followed in Mes demandes."""
    session = sessions.learners_session(current_user, session_id)
    if session is None or not attendance.can_contest(session):
        abort(404)
    form = AttendanceContestForm()
    assert session.attendance is not None  # can_contest: a record exists
    if form.validate_on_submit():
        about = _("Séance du %(date)s avec %(mentor)s, enregistrée : %(attendance)s.",
                  date=their_time(session.starts_at, current_user), mentor=session.mentor.full_name,
                  attendance=label(session.attendance))
        try:
            contest = requests.submit_contact_request(requests.ContactData(
                name=current_user.full_name, email=current_user.email, question=ContactQuestion.ATTENDANCE,
                message=f"{about}\n\n{form.message.data}", user_id=current_user.id, language=current_language()))
            attendance.mark_contested(session, contest.id)
        except DomainError as error:
            populate_errors(form, error)
        else:
            db.session.commit()
            flash(_("Votre contestation est transmise à Student Success, qui vous répondra par email. Vous la "
                    "suivez ici."), "success")
            return redirect(url_for("support.my_requests"))
    return render_template("sessions/contest.html", form=form, session=session)


@bp.route("/mon-parcours/seances/fuseau", methods=["POST"])
@login_required
def set_time_zone() -> ResponseReturnValue:
    """The zone the learner reads their sessions' times in (the calendar invitations carry their own)."""
    _mentored_subscription()
    form = TimeZoneForm(time_zones=time_zone.names())
    if form.validate_on_submit():
        try:
            users.set_time_zone(current_user, form.time_zone.data)
        except DomainError:
            pass  # only a name outside the list, which the form's select never sends
        else:
            db.session.commit()
            flash(_("Les horaires sont maintenant à l'%(zone)s.", zone=zone_label(users.time_zone_of(current_user))),
                  "success")
    return redirect(url_for("sessions.book"))
