"""Subscriptions: one state machine; every change of status goes through `transition`."""

from datetime import datetime
from functools import cache
from types import EllipsisType

from sqlalchemy import Select, bindparam, exists, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import DisciplinaryCase, GuardianAct, MentorAssignment, Order, Sanction, Subscription
from app.models.commerce import GuardianActKind, OfferKind, SubscriptionStatus
from app.services.accounts import guardians
from app.services.commerce import subscription_mail
from app.services.commerce.legal_periods import REFLECTION_PERIOD
from app.services.common import clock
from app.services.common.periods import add_months

S = SubscriptionStatus

# Which status may follow which. Anything else is a bug and raises.
TRANSITIONS: dict[SubscriptionStatus, set[SubscriptionStatus]] = {
    S.REFLECTION: {S.AWAITING_PAYMENT, S.ACTIVE, S.ABANDONED},
    S.AWAITING_PAYMENT: {S.ACTIVE, S.REFLECTION, S.ABANDONED},
    S.ACTIVE: {S.CANCELLING, S.PAST_DUE, S.ENDED, S.WITHDRAWN},
    S.CANCELLING: {S.ACTIVE, S.ENDED, S.PAST_DUE},
    S.PAST_DUE: {S.ACTIVE, S.SUSPENDED, S.ENDED},
    S.SUSPENDED: {S.ACTIVE, S.ENDED},
    S.ENDED: set(),
    S.WITHDRAWN: set(),
    S.ABANDONED: set(),
}

# Statuses in which premium content is open (art. 2.1 d: access until the end of a cancelled period).
GIVES_ACCESS = {S.ACTIVE, S.CANCELLING, S.PAST_DUE}
# Statuses that count as "still subscribed" for a new order of the same kind.
CURRENT = {S.REFLECTION, S.AWAITING_PAYMENT, S.ACTIVE, S.CANCELLING, S.PAST_DUE, S.SUSPENDED}
# Statuses whose last renewal was refused: the billing run tries again, then suspends, then ends them.
UNPAID = {S.PAST_DUE, S.SUSPENDED}
# Statuses whose period is followed by another one, charged by the billing run (a cancelled one ends instead).
RENEWING = {S.ACTIVE, S.PAST_DUE}


class IllegalTransition(Exception):
    pass


def transition(subscription: Subscription, new_status: SubscriptionStatus) -> None:
    if new_status not in TRANSITIONS[subscription.status]:
        raise IllegalTransition(f"subscription {subscription.id}: {subscription.status} -> {new_status}")
    subscription.status = new_status
    if new_status in (S.ENDED, S.WITHDRAWN, S.ABANDONED):
        subscription.ended_at = clock.now()


def _new(order: Order, status: SubscriptionStatus, accepted_at: datetime) -> Subscription:
    subscription = Subscription(
        user_id=order.user_id, order=order, offer=order.offer, parcours_id=order.parcours_id, status=status,
        monthly_price_cents=order.monthly_price_cents, discount_cents=order.discount_cents,
        discounted_periods_left=order.discounted_months, accepted_at=accepted_at,
        shopper_reference=shopper_reference(order.user_id),
    )
    db.session.add(subscription)
    return subscription


def shopper_reference(user_id: int) -> str:
    return f"learner-{user_id}"


def start_reflection(order: Order, accepted_at: datetime) -> Subscription:
    """Premium Plus: acceptance recorded, seven days to think, nothing charged (CGS-6.2-01)."""
    subscription = _new(order, S.REFLECTION, accepted_at)
    subscription.reflection_ends_at = accepted_at + REFLECTION_PERIOD
    db.session.flush()
    return subscription


def activate_paid(subscription: Subscription, paid_at: datetime, stored_method_id: str | None,
                  method_label: str | None) -> None:
    """The first month is paid: the first period starts now."""
    transition(subscription, S.ACTIVE)
    subscription.started_at = paid_at
    subscription.current_period_start = paid_at
    subscription.current_period_end = add_months(paid_at, 1)
    if subscription.discounted_periods_left:
        subscription.discounted_periods_left -= 1
    remember_payment_method(subscription, stored_method_id, method_label)


def remember_payment_method(subscription: Subscription, stored_method_id: str | None,
                            method_label: str | None) -> None:
    # The token may come with the notification after the status query: fill it in when it arrives.
    if stored_method_id:
        subscription.stored_method_id = stored_method_id
    if method_label:
        subscription.method_label = method_label


def create_paid(order: Order, paid_at: datetime, stored_method_id: str | None,
                method_label: str | None) -> Subscription:
    """Premium Solo: paid at "Valider", active at once."""
    subscription = _new(order, S.AWAITING_PAYMENT, order.validated_at or paid_at)
    db.session.flush()
    activate_paid(subscription, paid_at, stored_method_id, method_label)
    db.session.flush()
    return subscription


def for_order(order: Order) -> Subscription | None:
    return db.session.scalar(select(Subscription).where(Subscription.order_id == order.id))


@cache
def current_statement(of_one_offer: bool, with_parcours: bool) -> Select[Subscription]:
    """`current_subscription`'s statement, its parameters `user_id` (and `offer`) bound when it runs; a caller may
    add to it what it reads with the subscription. Built once per variant: with its loader options, building the
    statement cost more than running it."""
    statement = select(Subscription).where(Subscription.user_id == bindparam("user_id"),
                                           Subscription.status.in_(CURRENT))
    if of_one_offer:
        statement = statement.where(Subscription.offer == bindparam("offer"))
    if with_parcours:
        statement = statement.options(
            joinedload(Subscription.parcours),
            joinedload(Subscription.current_mentoring).joinedload(MentorAssignment.mentor))
    return statement.order_by(Subscription.id.desc()).limit(1)


def current_subscription(user_id: int, offer: OfferKind | None = None,
                         with_parcours: bool = False) -> Subscription | None:
    """The learner's current subscription; `with_parcours`, read with its Parcours and its mentor, in one query."""
    return db.session.scalar(current_statement(offer is not None, with_parcours),
                             {"user_id": user_id, "offer": offer} if offer is not None else {"user_id": user_id})


_ONE_GIVING_ACCESS = select(Subscription.id).where(Subscription.user_id == bindparam("user_id"),
                                                   Subscription.status.in_(GIVES_ACCESS)).limit(1)


def has_premium_access(user_id: int) -> bool:
    """Premium Solo or Plus (Plus gives everything Solo gives), while the subscription gives access."""
    return db.session.scalar(_ONE_GIVING_ACCESS, {"user_id": user_id}) is not None


def is_plus(offer: OfferKind) -> bool:
    """Premium Plus (a Parcours, under contract), rather than Premium Solo: of an order or a subscription."""
    return offer == OfferKind.PLUS


def is_abandoned(subscription: Subscription) -> bool:
    """Given up during the reflection period: no contract, nothing charged."""
    return subscription.status == S.ABANDONED


def can_cancel(subscription: Subscription) -> bool:
    """"Résilier" is offered to an active subscription, which ends with its period, and to one whose renewal is
    unpaid, which ends at once (see `ends_at_once_if_cancelled`); one in its reflection period is given up
    instead."""
    return S.CANCELLING in TRANSITIONS[subscription.status] or ends_at_once_if_cancelled(subscription)


def ends_at_once_if_cancelled(subscription: Subscription) -> bool:
    """Its last renewal is unpaid (past due or suspended): cancelling ends it now, and the refused month is not
    pursued, as when the billing run ends it unpaid after 30 days."""
    return subscription.status in UNPAID


def is_cancelled(subscription: Subscription) -> bool:
    """Cancelled by the learner: it runs to the end of its period, and the cancellation may still be undone."""
    return subscription.status == S.CANCELLING


def can_undo_cancel(subscription: Subscription, by_guardian: bool = False,
                    guardian_act: GuardianAct | None | EllipsisType = ...) -> bool:
    """"Annuler la résiliation": the learner undoes their own cancellation, and the guardian the one they asked for
    from their space; neither undoes the other's (art. 1: a minor's or protected adult's contract rests on their
    guardian's decision, and the learner's own cancellation is not the guardian's to reverse and charge again), and
    nobody undoes the platform's termination under the Student Rules. `guardian_act` is
    `guardian_cancellation(subscription)`, when the caller read it already (the Premium tab names the guardian)."""
    if not is_cancelled(subscription) or terminated_by_platform(subscription.id):
        return False
    act = guardian_cancellation(subscription) if isinstance(guardian_act, EllipsisType) else guardian_act
    return (act is not None) == by_guardian


def guardian_cancellation(subscription: Subscription) -> GuardianAct | None:
    """The guardian's act that made this cancellation, if the learner's guardian cancelled it from their space."""
    if not is_cancelled(subscription) or subscription.cancel_requested_at is None:
        return None
    return db.session.scalar(
        select(GuardianAct).options(joinedload(GuardianAct.approval))
        .where(GuardianAct.subscription_id == subscription.id, GuardianAct.kind == GuardianActKind.CANCELLATION,
               GuardianAct.created_at >= subscription.cancel_requested_at)
        .order_by(GuardianAct.created_at.desc()).limit(1))


def terminated_by_platform(subscription_id: int) -> bool:
    """Ended at the platform's initiative, by a decision under the Student Rules (art. 6)."""
    return db.session.scalar(select(exists().where(DisciplinaryCase.subscription_id == subscription_id,
                                                   DisciplinaryCase.outcome == Sanction.TERMINATION))) or False


def renews(subscription: Subscription) -> bool:
    """Its period will be followed by a renewal (the Premium tab shows when, and for how much)."""
    return subscription.status in RENEWING and subscription.current_period_end is not None


def renewal_waits_for_guardian(subscription: Subscription) -> bool:
    """It renews, but its learner now needs a guardian's approval nobody gave: the renewal will not be charged
    without it (the billing run asks `guardians.approval_missing` again where the money moves)."""
    return renews(subscription) and guardians.approval_missing(subscription.user, subscription.offer,
                                                               subscription.parcours_id)


def cancel(subscription: Subscription, confirm_by_mail: bool = True, by_guardian: bool = False) -> None:
    """"Résilier": the subscription ends with the period already started, which is due; nothing is charged
    after it (art. 2.1 d, 2.2 g). The learner gets the confirmation to keep, which also says how to undo it;
    a change of Parcours ends the former subscription without it (its own mail says what happens). One whose
    renewal is unpaid ends at once, with nothing more charged (`ends_at_once_if_cancelled`)."""
    subscription.cancel_requested_at = clock.now()
    if ends_at_once_if_cancelled(subscription):
        transition(subscription, S.ENDED)
        if confirm_by_mail:
            subscription_mail.ended(subscription, unpaid=False)
        return
    transition(subscription, S.CANCELLING)
    if confirm_by_mail:
        subscription_mail.cancelled(subscription, by_guardian)


def undo_cancel(subscription: Subscription, by_guardian: bool = False) -> None:
    """"Annuler la résiliation", until the end of the period, by whoever asked for it (`can_undo_cancel`)."""
    if subscription.current_period_end is None or clock.now() >= subscription.current_period_end:
        raise IllegalTransition("the period has ended")
    if not can_undo_cancel(subscription, by_guardian):
        raise IllegalTransition("not a cancellation this person may undo")
    transition(subscription, S.ACTIVE)
    subscription.cancel_requested_at = None
    subscription_mail.cancellation_undone(subscription, by_guardian)


# Current first (a later order may have been abandoned), in one query; its Parcours and order come with it.
_LATEST = (select(Subscription)
           .options(joinedload(Subscription.parcours), joinedload(Subscription.order),
                    joinedload(Subscription.current_mentoring).joinedload(MentorAssignment.mentor))
           .where(Subscription.user_id == bindparam("user_id"))
           .order_by(Subscription.status.in_(CURRENT).desc(), Subscription.id.desc()).limit(1))


def latest_for_user(user_id: int) -> Subscription | None:
    """The learner's subscription to show in "Mes paramètres": the current one, else the last one."""
    return db.session.scalar(_LATEST, {"user_id": user_id})
