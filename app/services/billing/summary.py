"""What "Mes paramètres > Premium" shows: the subscription, its money, and what can be done with it."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import bindparam, select

from app.extensions import db
from app.models import Invoice, PaymentTransaction, Renewal, Subscription, User
from app.models.commerce import SubscriptionStatus
from app.models.payment import RenewalStatus, TransactionKind
from app.services.billing import invoices, late_payment, referrals, renewal_price
from app.services.commerce import pricing, subscriptions
from app.services.common import clock


@dataclass(frozen=True)
class PremiumOverview:
    subscription: Subscription | None
    next_price: renewal_price.RenewalPrice | None  # the next renewal, referral credit deducted
    current_public_price_cents: int | None
    transactions: list[PaymentTransaction]
    invoices: list[Invoice]
    paid_last_12_months_cents: int
    overdue: late_payment.OverdueStatement | None = None
    referral_credit_cents: int = 0  # still to spend on later renewals


def net_paid(transactions: Iterable[PaymentTransaction]) -> int:
    """Charges less refunds and chargebacks (a refused payment moved no money)."""
    total = 0
    for row in transactions:
        if row.kind == TransactionKind.CHARGE:
            total += row.amount_cents
        elif row.kind in (TransactionKind.REFUND, TransactionKind.CHARGEBACK):
            total -= row.amount_cents
    return total


def paid_last_12_months(transactions: list[PaymentTransaction]) -> int:
    """What was paid over the last 365 days (art. 7.2: the liability cap), from the learner's transactions."""
    since = clock.now() - timedelta(days=365)
    return net_paid(row for row in transactions if row.created_at >= since)


_TRANSACTIONS_OF_USER = (select(PaymentTransaction).where(PaymentTransaction.user_id == bindparam("user_id"))
                         .order_by(PaymentTransaction.created_at.desc(), PaymentTransaction.id.desc()))


def premium_overview(user: User) -> PremiumOverview:
    subscription = subscriptions.latest_for_user(user.id)
    transactions = list(db.session.scalars(_TRANSACTIONS_OF_USER, {"user_id": user.id}))
    credit = referrals.available_credit(user.id)
    next_price = public = None
    if subscription is not None:
        next_price = renewal_price.renewal_amount(subscription, credit)
        public = pricing.current_monthly_price(subscription.offer, subscription.parcours)
    credit_left = credit - (next_price.referral_credit_cents if next_price else 0)
    return PremiumOverview(subscription, next_price, public, transactions, invoices.for_user(user.id),
                           paid_last_12_months(transactions), overdue(subscription) if subscription else None,
                           credit_left)


def overdue(subscription: Subscription) -> late_payment.OverdueStatement | None:
    """The unpaid renewal of a subscription in arrears, with what it costs by now (art. 3.2)."""
    if subscription.status not in (SubscriptionStatus.PAST_DUE, SubscriptionStatus.SUSPENDED):
        return None
    renewal = db.session.scalar(select(Renewal).where(Renewal.subscription_id == subscription.id,
                                                      Renewal.status != RenewalStatus.PAID)
                                .order_by(Renewal.period_start).limit(1))
    if renewal is None:
        return None
    due_on = renewal.period_start.astimezone(clock.PARIS).date()
    return late_payment.statement(renewal.amount_cents, due_on, clock.today_in_paris())
