"""The mentor of a Premium Plus learner (the terms' "Mentor", who accompanies the Parcours): assigned when the
contract takes effect, by a default rule the team can override: among the mentors of that Parcours, the one with
the fewest learners they accompany now (the earliest account on a tie). With no mentor for the Parcours yet, the
learner is told that Student Success assigns one, and `without_mentor` lists them for the team."""

from sqlalchemy import Subquery, func, select
from sqlalchemy.orm import contains_eager, joinedload

from app.extensions import db
from app.models import MentorAssignment, MentorParcours, Parcours, Subscription, User
from app.models.commerce import OfferKind
from app.services.commerce import subscriptions
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


def learners_of(mentor: User) -> list[MentorAssignment]:
    """The learners a mentor accompanies now (their subscription gives access), longest-accompanied first."""
    return list(db.session.scalars(
        select(MentorAssignment).join(Subscription, Subscription.id == MentorAssignment.subscription_id)
        .where(MentorAssignment.mentor_id == mentor.id, MentorAssignment.ended_at.is_(None),
               Subscription.status.in_(subscriptions.GIVES_ACCESS))
        .options(contains_eager(MentorAssignment.subscription).options(joinedload(Subscription.user),
                                                                        joinedload(Subscription.parcours)))
        .order_by(MentorAssignment.assigned_at, MentorAssignment.id)))


def accompany(mentor: User, parcours: Parcours) -> bool:
    """The mentor accompanies the learners of `parcours` from now on; False if they already did."""
    if db.session.scalar(select(MentorParcours.id).where(MentorParcours.mentor_id == mentor.id,
                                                         MentorParcours.parcours_id == parcours.id)):
        return False
    db.session.add(MentorParcours(mentor_id=mentor.id, parcours_id=parcours.id))
    db.session.flush()
    return True


def without_mentor(parcours: Parcours) -> list[Subscription]:
    """The Premium Plus contracts in effect on this Parcours that no mentor accompanies yet."""
    accompanied = select(MentorAssignment.subscription_id).where(MentorAssignment.ended_at.is_(None))
    return list(db.session.scalars(
        select(Subscription).where(Subscription.offer == OfferKind.PLUS, Subscription.parcours_id == parcours.id,
                                   Subscription.status.in_(subscriptions.GIVES_ACCESS),
                                   Subscription.id.not_in(accompanied)).order_by(Subscription.id)))
