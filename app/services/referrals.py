"""Referral rewards (art. 4): a learner whose link brought a new subscriber earns a credit, spent on their
own next renewals until it runs out.

The balance is computed, never stored: rewards earned, less the credit spent by renewals that were paid or
are still being collected. A renewal of a subscription that ended unpaid gives its credit back.
"""

from flask import current_app
from sqlalchemy import func, or_, select

from app.extensions import db
from app.models import Order, ReferralReward, Renewal, Subscription
from app.models.commerce import SubscriptionStatus
from app.models.payment import RenewalStatus
from app.services import clock


def reward(order: Order) -> None:
    """The referred order was paid: its referrer earns the configured reward, once per order."""
    if order.referrer_id is None:
        return
    db.session.add(ReferralReward(referrer_id=order.referrer_id, order_id=order.id,
                                  amount_cents=current_app.config["REFERRAL_REWARD_CENTS"], created_at=clock.now()))


def _earned(user_id: int) -> int:
    return db.session.scalar(select(func.coalesce(func.sum(ReferralReward.amount_cents), 0))
                             .where(ReferralReward.referrer_id == user_id))


def _spent(user_id: int, paid_only: bool = False) -> int:
    kept = Renewal.status == RenewalStatus.PAID
    if not paid_only:
        kept = or_(kept, Subscription.status != SubscriptionStatus.ENDED)
    return db.session.scalar(select(func.coalesce(func.sum(Renewal.referral_credit_cents), 0))
                             .join(Subscription, Subscription.id == Renewal.subscription_id)
                             .where(Subscription.user_id == user_id, kept))


def available_credit(user_id: int) -> int:
    """What the learner's next renewals can still spend, in cents."""
    return max(0, _earned(user_id) - _spent(user_id))


def credit_for(user_id: int, amount_cents: int) -> int:
    """The part of a renewal of `amount_cents` that the credit pays."""
    return min(available_credit(user_id), amount_cents)


def mark_spent(user_id: int) -> None:
    """Date the rewards that paid renewals have used up entirely, oldest first (shown in the history)."""
    left = _spent(user_id, paid_only=True)
    for reward_row in db.session.scalars(select(ReferralReward).where(ReferralReward.referrer_id == user_id)
                                         .order_by(ReferralReward.created_at, ReferralReward.id)):
        if left < reward_row.amount_cents:
            break
        left -= reward_row.amount_cents
        if reward_row.used_at is None:
            reward_row.used_at = clock.now()
