"""Referral rewards (art. 4): a learner whose link brought a new subscriber earns a credit, spent on their
own next renewals until it runs out.

A reward is earned once the referred subscription can no longer be withdrawn from (14 days for Premium Solo;
a Premium Plus subscription is paid after its reflection period), and is taken back when the referred payment
is refunded or the subscription withdrawn. None is given for a learner who is the referrer under another
account: the same stored payment method, the same billing address or the same mailbox.

The balance is computed, never stored: rewards earned, less the credit spent by renewals that were paid or
are still being collected. A renewal of a subscription that ended unpaid gives its credit back.
"""

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import BindParameter, ColumnElement, ScalarSelect, and_, bindparam, func, or_, select

from app.extensions import db
from app.models import Order, PaymentTransaction, ReferralReward, Renewal, Subscription, User
from app.models.commerce import OfferKind, SubscriptionStatus
from app.models.payment import RenewalStatus
from app.services.commerce.legal_periods import WITHDRAWAL_PERIOD
from app.services.common import clock

# The "provider" of a renewal paid entirely by the referral credit: nothing is asked of a payment provider.
CREDIT_PROVIDER = "referral-credit"


def reward(order: Order, paid_at: datetime, stored_method_id: str | None) -> None:
    """The referred order was paid: its referrer will earn the configured reward, once per order, when the
    referred subscription is past its withdrawal period."""
    if order.referrer_id is None:
        return
    referrer = db.session.get_one(User, order.referrer_id)  # a foreign key
    if _same_person(referrer, order, stored_method_id):
        current_app.logger.warning("referral of order %s not rewarded: the referrer's own card, address or mailbox",
                                   order.reference)
        return
    earned_at = (order.validated_at or paid_at) + WITHDRAWAL_PERIOD if order.offer == OfferKind.SOLO else paid_at
    db.session.add(ReferralReward(referrer_id=order.referrer_id, order_id=order.id, earned_at=earned_at,
                                  amount_cents=current_app.config["REFERRAL_REWARD_CENTS"], created_at=clock.now()))


def paid_by_credit(transaction: PaymentTransaction) -> bool:
    """A month the referral credit paid in full: no payment method was charged for it."""
    return transaction.provider == CREDIT_PROVIDER


def _mailbox(email: str) -> str:
    """The mailbox an address delivers to: case and a "+tag" do not make another person."""
    local, _, domain = email.strip().lower().rpartition("@")
    return f"{local.split('+', 1)[0]}@{domain}"


def _address(order: Order) -> str:
    """A billing address compared without case, spaces or punctuation ("12, Rue X" is "12 rue x")."""
    text = f"{order.billing_address} {order.billing_postal_code} {order.billing_country}"
    return "".join(ch for ch in text.casefold() if ch.isalnum()) if order.billing_address.strip() else ""


def _same_person(referrer: User, order: Order, stored_method_id: str | None) -> bool:
    if _mailbox(referrer.email) == _mailbox(order.user.email):
        return True
    address = _address(order)
    referrer_orders = db.session.scalars(select(Order).where(Order.user_id == referrer.id))
    if address and any(_address(other) == address for other in referrer_orders):
        return True
    return bool(stored_method_id) and db.session.execute(select(func.count()).select_from(Subscription).where(
        Subscription.user_id == referrer.id, Subscription.stored_method_id == stored_method_id)).scalar_one() > 0


def take_back(order_id: int) -> None:
    """The referred payment was refunded: its reward is no longer earned (a spent one is not charged again)."""
    for reward_row in db.session.scalars(select(ReferralReward).where(ReferralReward.order_id == order_id,
                                                                      ReferralReward.taken_back_at.is_(None))):
        reward_row.taken_back_at = clock.now()


def _counted(now: datetime | BindParameter[datetime]) -> ColumnElement[bool]:
    """Rewards that count: earned by `now`, not taken back, and their referred subscription not withdrawn."""
    withdrawn = select(Subscription.id).where(Subscription.order_id == ReferralReward.order_id,
                                              Subscription.status == SubscriptionStatus.WITHDRAWN).exists()
    return and_(ReferralReward.earned_at <= now, ReferralReward.taken_back_at.is_(None), ~withdrawn)


def _earned(user_id: int | BindParameter[int], now: datetime | BindParameter[datetime]) -> ScalarSelect[int]:
    return select(func.coalesce(func.sum(ReferralReward.amount_cents), 0)).where(
        ReferralReward.referrer_id == user_id, _counted(now)).scalar_subquery()


def _spent(user_id: int | BindParameter[int], paid_only: bool = False) -> ScalarSelect[int]:
    kept = Renewal.status == RenewalStatus.PAID
    if not paid_only:
        kept = or_(kept, Subscription.status != SubscriptionStatus.ENDED)
    return (select(func.coalesce(func.sum(Renewal.referral_credit_cents), 0))
            .join(Subscription, Subscription.id == Renewal.subscription_id)
            .where(Subscription.user_id == user_id, kept).scalar_subquery())


# Built once, with parameters: the billing run asks it for every renewal, and building the statement cost
# more than running it.
_BALANCE = select(_earned(bindparam("user_id"), bindparam("now")) - _spent(bindparam("user_id")))


def available_credit(user_id: int) -> int:
    """What the learner's next renewals can still spend, in cents."""
    balance: int = db.session.scalar(_BALANCE, {"user_id": user_id, "now": clock.now()}) or 0
    return max(0, balance)


@dataclass(frozen=True)
class Statement:
    """The learner's referrals as "Mes paramètres > Parrainage" shows them."""

    earned_cents: int  # rewards that count (past the referred subscription's withdrawal period)
    spent_cents: int  # taken by renewals, paid or being collected
    pending_cents: int  # rewards that will count once the referred subscription can no longer be withdrawn

    @property
    def available_cents(self) -> int:
        return max(0, self.earned_cents - self.spent_cents)


def statement(user_id: int) -> Statement:
    now = clock.now()
    pending = select(func.coalesce(func.sum(ReferralReward.amount_cents), 0)).where(
        ReferralReward.referrer_id == user_id, ReferralReward.earned_at > now,
        ReferralReward.taken_back_at.is_(None)).scalar_subquery()
    row = db.session.execute(select(_earned(user_id, now), _spent(user_id), pending)).one()
    earned, spent, waiting = (int(value) for value in row)
    return Statement(earned, spent, waiting)


def credit_for(user_id: int, amount_cents: int, available_cents: int | None = None) -> int:
    """The part of a renewal of `amount_cents` that the credit pays (`available_cents` when already known)."""
    return min(available_credit(user_id) if available_cents is None else available_cents, amount_cents)


def mark_spent(user_id: int) -> None:
    """Date the rewards that paid renewals have used up entirely, oldest first (shown in the history)."""
    left: int = db.session.scalar(select(_spent(user_id, paid_only=True))) or 0
    for reward_row in db.session.scalars(select(ReferralReward).where(ReferralReward.referrer_id == user_id,
                                                                      _counted(clock.now()))
                                         .order_by(ReferralReward.earned_at, ReferralReward.id)):
        if left < reward_row.amount_cents:
            break
        left -= reward_row.amount_cents
        if reward_row.used_at is None:
            reward_row.used_at = clock.now()
