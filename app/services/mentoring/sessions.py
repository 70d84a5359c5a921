"""Booking and cancelling a mentoring session. A learner books one of the starts `availability.free_starts` offers
(the database keeps one booked session per mentor and start: of two learners booking the same one at once, one wins
and the other is told); they cancel it up to 24 hours before, and later only with a reason, which the Student Rules
count as an unjustified absence unless it is legitimate. Each change mails both the learner and the mentor, in their
own language, with the calendar invitation of the session."""

from datetime import datetime, timedelta
from uuid import uuid4

from flask_babel import format_date, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, ScalarSelect, SQLColumnExpression, and_, bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.i18n import force_language
from app.models import MentoringSession, SessionStatus, Subscription, User
from app.services import DomainError
from app.services.commerce import mentors
from app.services.common import clock, mail
from app.services.mentoring import availability, calendar, discipline


def book(subscription: Subscription, starts_at: datetime) -> MentoringSession:
    suspended_until = discipline.mentoring_suspended(subscription)
    if suspended_until is not None:
        raise DomainError([(None, str(_l("Votre mentorat est suspendu jusqu'au %(date)s inclus, par décision de "
                                          "Student Success.", date=format_date(suspended_until, "long"))))])
    if starts_at not in availability.free_starts(subscription):
        raise DomainError([("starts_at", str(_l("Ce créneau n'est plus proposé : choisissez-en un autre.")))])
    assignment = mentors.current(subscription)
    assert assignment is not None and assignment.mentor.video_call_url  # free_starts offers nothing otherwise
    session = MentoringSession(
        subscription_id=subscription.id, learner_id=subscription.user_id, mentor_id=assignment.mentor_id,
        starts_at=starts_at, ends_at=starts_at + timedelta(minutes=availability.SESSION_MINUTES),
        status=SessionStatus.BOOKED, video_url=assignment.mentor.video_call_url, uid=f"{uuid4()}@mentorat",
        sequence=0, created_at=clock.now())
    try:
        with db.session.begin_nested():
            db.session.add(session)
    except IntegrityError:
        raise DomainError([("starts_at", str(_l("Quelqu'un vient de réserver ce créneau : choisissez-en un "
                                                  "autre.")))]) from None
    _tell(session, "mentoring_session_booked")
    return session


def can_move(session: MentoringSession) -> bool:
    """Moved like cancelled: up to 24 hours before, the same event updated in both calendars."""
    return session.is_booked and not is_late(session)


def move(session: MentoringSession, subscription: Subscription, starts_at: datetime) -> None:
    if not can_move(session):
        raise DomainError([(None, str(_l("À moins de 24 heures de la séance, elle ne peut plus être déplacée ; "
                                          "vous pouvez l'annuler en indiquant le motif.")))])
    if starts_at not in availability.free_starts(subscription, moving=session):
        raise DomainError([("starts_at", str(_l("Ce créneau n'est plus proposé : choisissez-en un autre.")))])
    try:
        with db.session.begin_nested():
            session.starts_at = starts_at
            session.ends_at = starts_at + timedelta(minutes=availability.SESSION_MINUTES)
            session.sequence += 1
    except IntegrityError:
        raise DomainError([("starts_at", str(_l("Quelqu'un vient de réserver ce créneau : choisissez-en un "
                                                  "autre.")))]) from None
    _tell(session, "mentoring_session_moved")


def is_late(session: MentoringSession) -> bool:
    """Less than 24 hours before the session (`availability.cancellable_until`): cancelling it needs a reason."""
    return clock.now() >= availability.cancellable_until(session.starts_at)


def can_cancel(session: MentoringSession) -> bool:
    return session.is_booked and clock.now() < session.starts_at


def cancel(session: MentoringSession, reason: str = "") -> None:
    if not can_cancel(session):
        raise DomainError([(None, str(_l("Cette séance a déjà commencé ou est déjà annulée.")))])
    late = is_late(session)
    if late and not reason.strip():
        raise DomainError([("reason", str(_l("À moins de 24 heures de la séance, indiquez le motif de "
                                               "l'annulation.")))])
    session.status, session.cancelled_at = SessionStatus.CANCELLED, clock.now()
    session.sequence += 1
    session.late_cancellation_reason = reason.strip() if late else None
    db.session.flush()
    _tell(session, "mentoring_session_cancelled")


def _tell(session: MentoringSession, template: str) -> None:
    for recipient in (session.learner, session.mentor):
        with force_language(recipient.locale):
            invitation = calendar.attachment(
                session, gettext("Séance de mentorat : %(learner)s avec %(mentor)s",
                                 learner=session.learner.full_name, mentor=session.mentor.full_name),
                gettext("Visioconférence : %(url)s", url=session.video_url))
        mail.queue(recipient.email, template, recipient.locale, session=session, person=recipient,
                   minutes=availability.SESSION_MINUTES,
                   attachments=[invitation], dedupe_key=f"session:{session.id}:{session.sequence}:{recipient.id}")


def is_upcoming(now: datetime | SQLColumnExpression[datetime] | None = None) -> ColumnElement[bool]:
    """A session booked and not begun (`now` may be a parameter of a statement built once)."""
    return and_(MentoringSession.status == SessionStatus.BOOKED,
                MentoringSession.starts_at > (clock.now() if now is None else now))


def next_id(subscription_id: int | SQLColumnExpression[int],
            now: datetime | SQLColumnExpression[datetime] | None = None) -> ScalarSelect[int]:
    """The contract's next session booked (its id, for a query; the id may be an outer query's column)."""
    return (select(MentoringSession.id).where(MentoringSession.subscription_id == subscription_id, is_upcoming(now))
            .order_by(MentoringSession.starts_at).limit(1).correlate_except(MentoringSession).scalar_subquery())


_UPCOMING_OF_MENTOR = (  # built once (the mentor's space)
    select(MentoringSession).options(joinedload(MentoringSession.learner))
    .where(MentoringSession.mentor_id == bindparam("mentor_id"), is_upcoming(bindparam("now")))
    .order_by(MentoringSession.starts_at))


def upcoming_of_mentor(mentor: User) -> list[MentoringSession]:
    return list(db.session.scalars(_UPCOMING_OF_MENTOR, {"mentor_id": mentor.id, "now": clock.now()}))


def learners_session(user: User, session_id: int) -> MentoringSession | None:
    """The learner's own session; anyone else's is as good as unknown."""
    session = db.session.get(MentoringSession, session_id)
    return session if session is not None and session.learner_id == user.id else None
