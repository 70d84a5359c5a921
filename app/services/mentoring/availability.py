"""A mentor's weekly slots, and the sessions a learner may book in them: the next three weeks' occurrences, in the
mentor's time zone, still cancellable without a reason (so that a session booked can always be cancelled), not booked
by anyone, and within the sessions left in the monthly period they fall in."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import joinedload

from app import time_zone as civil_time
from app.extensions import db
from app.models import MentoringSession, MentorSlot, SessionStatus, Subscription, User
from app.services import DomainError
from app.services.commerce import mentors, subscriptions
from app.services.common import clock
from app.services.common.periods import add_months

SESSION_MINUTES = 45
NOTICE = timedelta(hours=24)  # the Student Rules: a session is cancelled or moved up to 24 hours before
BOOKING_DAYS = 21
DEFAULT_TIME_ZONE = civil_time.NAME


def cancellable_until(starts_at: datetime) -> datetime:
    """Until when a session is cancelled without a reason: 24 hours before it. Across a change of summer time, 24
    hours of elapsed time and the same Paris time the day before differ by an hour; the learner gets the later."""
    same_time_day_before = (starts_at.astimezone(clock.PARIS) - timedelta(days=1)).astimezone(UTC)
    return max(starts_at - NOTICE, same_time_day_before)


def time_zones() -> list[str]:
    return list(civil_time.names())


def slots_of(mentor: User) -> list[MentorSlot]:
    return list(db.session.scalars(select(MentorSlot).where(MentorSlot.mentor_id == mentor.id)
                                   .order_by(MentorSlot.weekday, MentorSlot.starts_at)))


def add_slot(mentor: User, weekday: int, starts_at: time, time_zone: str) -> MentorSlot:
    errors: list[tuple[str | None, str]] = []
    if weekday not in range(7):
        errors.append(("weekday", str(_l("Choisissez un jour de la semaine."))))
    if time_zone not in civil_time.names():
        errors.append(("time_zone", str(_l("Choisissez un fuseau horaire de la liste."))))
    if not errors and db.session.scalar(select(MentorSlot.id).where(
            MentorSlot.mentor_id == mentor.id, MentorSlot.weekday == weekday, MentorSlot.starts_at == starts_at)):
        errors.append(("starts_at", str(_l("Vous proposez déjà ce créneau."))))
    if errors:
        raise DomainError(errors)
    slot = MentorSlot(mentor_id=mentor.id, weekday=weekday, starts_at=starts_at.replace(second=0, microsecond=0),
                      time_zone=time_zone, created_at=clock.now())
    db.session.add(slot)
    db.session.flush()
    return slot


def remove_slot(mentor: User, slot_id: int) -> bool:
    """Sessions booked in it stay booked: the mentor cancels them with the learner if need be."""
    slot = db.session.get(MentorSlot, slot_id)
    if slot is None or slot.mentor_id != mentor.id:
        return False
    db.session.delete(slot)
    db.session.flush()
    return True


def set_video_url(mentor: User, url: str) -> None:
    if not url.startswith("https://"):
        raise DomainError([("video_call_url", str(_l("Indiquez l'adresse de votre salle de visioconférence, "
                                                      "commençant par https://.")))])
    mentor.video_call_url = url


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime
    allowed: int
    booked: int

    @property
    def left(self) -> int:
        return max(self.allowed - self.booked, 0)


def _bounds(subscription: Subscription) -> list[tuple[datetime, datetime]]:
    """The current monthly period, and the next one when the subscription renews."""
    if subscription.current_period_start is None or subscription.current_period_end is None:
        return []
    bounds = [(subscription.current_period_start, subscription.current_period_end)]
    if subscriptions.renews(subscription):
        bounds.append((subscription.current_period_end, add_months(subscription.current_period_end, 1)))
    return bounds


def _counted(subscription: Subscription, bounds: list[tuple[datetime, datetime]],
             booked: Iterable[datetime]) -> list[Period]:
    allowed = subscription.parcours.sessions_per_month if subscription.parcours else 0
    starts = list(booked)
    return [Period(start, end, allowed, sum(start <= starts_at < end for starts_at in starts)) for start, end in bounds]


def periods(subscription: Subscription, moving: MentoringSession | None = None) -> list[Period]:
    """The current monthly period, and the next one when the subscription renews: the sessions each gives (the
    Parcours' number) and those booked in it (less the session being moved, which leaves its place)."""
    bounds = _bounds(subscription)
    if not bounds:
        return []
    booked = select(MentoringSession.starts_at).where(
        MentoringSession.subscription_id == subscription.id, MentoringSession.status == SessionStatus.BOOKED,
        MentoringSession.starts_at >= bounds[0][0], MentoringSession.starts_at < bounds[-1][1])
    if moving is not None:
        booked = booked.where(MentoringSession.id != moving.id)
    return _counted(subscription, bounds, db.session.scalars(booked))


def _occurrences(slot: MentorSlot, first_day: date, days: int) -> list[datetime]:
    zone = civil_time.zone(slot.time_zone)
    found = []
    for offset in range(days + 1):
        day = first_day + timedelta(days=offset)
        if day.weekday() == slot.weekday:
            found.append(datetime.combine(day, slot.starts_at, tzinfo=zone).astimezone(UTC))
    return found


def _mentor_offering(subscription: Subscription) -> User | None:
    """The mentor whose slots the learner may book: the subscription's, once they gave their video-call room."""
    assignment = mentors.current(subscription) if mentors.needs_mentor(subscription) else None
    return assignment.mentor if assignment is not None and assignment.mentor.video_call_url else None


def _starts_in(mentor: User, windows: list[Period], taken: set[datetime], now: datetime) -> list[datetime]:
    open_windows = [period for period in windows if period.left > 0]
    starts = {start for slot in slots_of(mentor)
              for start in _occurrences(slot, (now - timedelta(days=1)).date(), BOOKING_DAYS + 1)}
    return sorted(start for start in starts
                  if now < cancellable_until(start) and start <= now + timedelta(days=BOOKING_DAYS)
                  and start not in taken
                  and any(period.start <= start < period.end for period in open_windows))


def _mentors_ahead(mentor: User, now: datetime) -> ColumnElement[bool]:
    """The mentor's sessions booked from now on, whoever booked them: their starts are taken."""
    return and_(MentoringSession.mentor_id == mentor.id, MentoringSession.status == SessionStatus.BOOKED,
                MentoringSession.starts_at >= now)


def free_starts(subscription: Subscription, moving: MentoringSession | None = None) -> list[datetime]:
    """The starts (UTC) the learner may book now (or move `moving` to), the soonest first."""
    mentor = _mentor_offering(subscription)
    if mentor is None:
        return []
    now = clock.now()
    taken = set(db.session.scalars(select(MentoringSession.starts_at).where(_mentors_ahead(mentor, now))))
    return _starts_in(mentor, periods(subscription, moving), taken, now)


@dataclass(frozen=True)
class Booking:
    periods: list[Period]
    starts: list[datetime]  # `free_starts`
    upcoming: list[MentoringSession]  # the learner's sessions booked and not begun, the soonest first
    past: list[MentoringSession]  # those that began, the latest first


def booking(subscription: Subscription) -> Booking:
    """What the sessions page shows, from one statement: the learner's sessions booked (with their mentor), which
    the periods count and the page lists, and the mentor's others ahead, whose starts are taken."""
    now = clock.now()
    mentor = _mentor_offering(subscription)
    ours = and_(MentoringSession.subscription_id == subscription.id, MentoringSession.status == SessionStatus.BOOKED)
    found = list(db.session.scalars(select(MentoringSession).options(joinedload(MentoringSession.mentor))
                                    .where(ours if mentor is None else or_(ours, _mentors_ahead(mentor, now)))
                                    .order_by(MentoringSession.starts_at)))
    learners = [session for session in found if session.subscription_id == subscription.id]
    windows = _counted(subscription, _bounds(subscription), (session.starts_at for session in learners))
    starts = [] if mentor is None else _starts_in(mentor, windows, {  # as `_mentors_ahead` has them
        session.starts_at for session in found if session.mentor_id == mentor.id and session.starts_at >= now}, now)
    # Upcoming as `sessions.is_upcoming` has it: not begun.
    return Booking(windows, starts, [session for session in learners if session.starts_at > now],
                   [session for session in reversed(learners) if session.starts_at <= now])
