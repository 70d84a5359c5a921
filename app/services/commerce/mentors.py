"""The mentor of a Premium Plus learner (the terms' "Mentor", who accompanies the Parcours): assigned when the
contract takes effect, by a default rule the team can override: among the mentors of that Parcours, the one with
the fewest learners they accompany now (the earliest account on a tie). With no mentor for the Parcours yet, the
learner is told that Student Success assigns one, and `without_mentor` lists them for the team."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import Subquery, bindparam, func, select
from sqlalchemy.orm import contains_eager, joinedload

from app.extensions import db
from app.models import MentorAssignment, MentorParcours, Parcours, Subscription, User
from app.models.commerce import OfferKind
from app.services import DomainError
from app.services.commerce import subscription_mail, subscriptions
from app.services.common import clock


def current(subscription: Subscription) -> MentorAssignment | None:
    """The assignment in force for this subscription (`latest_for_user` reads it with the subscription)."""
    return subscription.current_mentoring


def needs_mentor(subscription: Subscription) -> bool:
    """A Premium Plus contract in effect is accompanied by a mentor."""
    return subscription.offer == OfferKind.PLUS and subscription.status in subscriptions.GIVES_ACCESS


def _active_learners() -> Subquery:
    """How many learners each mentor accompanies now."""
    return (select(MentorAssignment.mentor_id, func.count().label("learners"))
            .join(Subscription, Subscription.id == MentorAssignment.subscription_id)
            .where(MentorAssignment.ended_at.is_(None), Subscription.status.in_(subscriptions.GIVES_ACCESS))
            .group_by(MentorAssignment.mentor_id).subquery())


def default_mentor(parcours: Parcours) -> User | None:
    """The mentor of this Parcours with the fewest learners now; the earliest account on a tie."""
    load = _active_learners()
    return db.session.scalar(
        select(User).join(MentorParcours, MentorParcours.mentor_id == User.id)
        .outerjoin(load, load.c.mentor_id == User.id)
        .where(MentorParcours.parcours_id == parcours.id, User.is_mentor.is_(True))
        .order_by(func.coalesce(load.c.learners, 0), User.id).limit(1))


def assign_when_due(subscription: Subscription) -> MentorAssignment | None:
    """When a Premium Plus contract takes effect: its mentor by the default rule, unless it has one (or none
    accompanies the Parcours yet: Student Success assigns one)."""
    if not needs_mentor(subscription) or subscription.parcours is None or current(subscription) is not None:
        return None
    mentor = default_mentor(subscription.parcours)
    return assign(subscription, mentor) if mentor is not None else None


def assign(subscription: Subscription, mentor: User) -> MentorAssignment:
    """`mentor` accompanies the subscription from now; the previous one, if any, stops now (history kept)."""
    previous = current(subscription)
    if previous is not None:
        previous.ended_at = clock.now()
    assignment = MentorAssignment(subscription=subscription, mentor=mentor, assigned_at=clock.now())
    db.session.add(assignment)
    db.session.flush()
    db.session.expire(subscription, ["current_mentoring"])  # read again: the new one
    return assignment


# Built once, like the other statements of the mentor's space: building one with its loader options cost more than
# running it.
_LEARNERS_OF = (
    select(MentorAssignment).join(Subscription, Subscription.id == MentorAssignment.subscription_id)
    .where(MentorAssignment.mentor_id == bindparam("mentor_id"), MentorAssignment.ended_at.is_(None),
           Subscription.status.in_(subscriptions.GIVES_ACCESS))
    .options(contains_eager(MentorAssignment.subscription).options(joinedload(Subscription.user),
                                                                    joinedload(Subscription.parcours)))
    .order_by(MentorAssignment.assigned_at, MentorAssignment.id))


def learners_of(mentor: User) -> list[MentorAssignment]:
    """The learners a mentor accompanies now (their subscription gives access), longest-accompanied first."""
    return list(db.session.scalars(_LEARNERS_OF, {"mentor_id": mentor.id}))


def accompany(mentor: User, parcours: Parcours) -> bool:
    """The mentor accompanies the learners of `parcours` from now on; False if they already did."""
    if db.session.scalar(select(MentorParcours.id).where(MentorParcours.mentor_id == mentor.id,
                                                         MentorParcours.parcours_id == parcours.id)):
        return False
    db.session.add(MentorParcours(mentor_id=mentor.id, parcours_id=parcours.id))
    db.session.flush()
    return True


def waiting_count() -> int:
    """Premium Plus contracts in effect that no mentor accompanies (the back office's queue)."""
    accompanied = select(MentorAssignment.subscription_id).where(MentorAssignment.ended_at.is_(None))
    return db.session.scalar(select(func.count()).select_from(Subscription).where(
        Subscription.offer == OfferKind.PLUS, Subscription.status.in_(subscriptions.GIVES_ACCESS),
        Subscription.id.not_in(accompanied))) or 0


def without_mentor(parcours: Parcours) -> list[Subscription]:
    """The Premium Plus contracts in effect on this Parcours that no mentor accompanies yet."""
    accompanied = select(MentorAssignment.subscription_id).where(MentorAssignment.ended_at.is_(None))
    return list(db.session.scalars(
        select(Subscription).where(Subscription.offer == OfferKind.PLUS, Subscription.parcours_id == parcours.id,
                                   Subscription.status.in_(subscriptions.GIVES_ACCESS),
                                   Subscription.id.not_in(accompanied)).order_by(Subscription.id)))


@dataclass(frozen=True)
class Accompaniment:
    subscription: Subscription
    mentor: User | None
    candidates: list[User]  # the mentors of its Parcours


def overview() -> list[Accompaniment]:
    """For Student Success: every Premium Plus contract in effect, with its mentor and who could be, those
    without a mentor first."""
    plus = list(db.session.scalars(
        select(Subscription).where(Subscription.offer == OfferKind.PLUS,
                                   Subscription.status.in_(subscriptions.GIVES_ACCESS))
        .options(joinedload(Subscription.user), joinedload(Subscription.parcours),
                 joinedload(Subscription.current_mentoring).joinedload(MentorAssignment.mentor))
        .order_by(Subscription.id)))
    by_parcours: dict[int, list[User]] = {}
    for parcours_id, mentor in db.session.execute(
            select(MentorParcours.parcours_id, User).join(User, User.id == MentorParcours.mentor_id)
            .where(User.is_mentor.is_(True)).order_by(User.last_name, User.first_name)):
        by_parcours.setdefault(parcours_id, []).append(mentor)
    rows = [Accompaniment(subscription, subscription.current_mentoring.mentor if subscription.current_mentoring
                          else None, by_parcours.get(subscription.parcours_id or 0, [])) for subscription in plus]
    return sorted(rows, key=lambda row: row.mentor is not None)


def assign_by_team(subscription: Subscription, mentor_id: int) -> MentorAssignment:
    """Student Success names the mentor (a first one, or another at the learner's request), among the mentors of
    the subscription's Parcours; the learner is told by mail."""
    mentor = db.session.get(User, mentor_id)
    accompanies = mentor is not None and mentor.is_mentor and subscription.parcours_id is not None and bool(
        db.session.scalar(select(MentorParcours.id).where(MentorParcours.mentor_id == mentor.id,
                                                          MentorParcours.parcours_id == subscription.parcours_id)))
    if not needs_mentor(subscription) or mentor is None or not accompanies:
        raise DomainError([("mentor", str(_l("Choisissez un mentor qui accompagne ce Parcours.")))])
    assignment = assign(subscription, mentor)
    subscription_mail.mentor_assigned(subscription, mentor)
    return assignment
