"""What the next renewal of a subscription will charge, decided once for the billing run that charges it and for
every page and mail that announces it (templates and mails call it as `renewal_amount`)."""

from dataclasses import dataclass

from app.models import Subscription
from app.services.billing import referrals


@dataclass(frozen=True)
class RenewalPrice:
    amount_cents: int  # what is charged
    discount_cents: int  # the promo discount still running
    referral_credit_cents: int  # paid by the learner's referral rewards (art. 4)


def renewal_amount(subscription: Subscription, available_credit_cents: int | None = None) -> RenewalPrice:
    """The next period: the locked price, less a promo still running, less the referral credit available
    (`available_credit_cents` when the caller already read it)."""
    discount = subscription.discount_cents if subscription.discounted_periods_left > 0 else 0
    due = subscription.monthly_price_cents - discount
    credit = referrals.credit_for(subscription.user_id, due, available_credit_cents)
    return RenewalPrice(due - credit, discount, credit)
