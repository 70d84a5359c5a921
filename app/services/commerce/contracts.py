"""Premium Plus contracts: the seven-day reflection period, signature, first payment, or giving up.

Code de l'éducation L444-8 (Annexe 1 of the terms): the contract can be signed only seven days after it was
received (here: after the terms were accepted), and no more than 30 % of the price may be paid in advance.
"""

from collections.abc import Callable
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.models import Subscription
from app.models.commerce import OrderStatus, SubscriptionStatus
from app.services import DomainError
from app.services.commerce import checkout, pricing, subscription_mail, subscriptions
from app.services.common import clock, mail
from app.services.payments.gateway import HostedPayment, PaymentGateway

# The session flag the job queue turns into `render_contracts` (contract_pdf) once a signature has committed.
CONTRACT_RENDER_FLAG = "contracts_to_render"

def _reflection_end(subscription: Subscription) -> datetime:
    """For a subscription in its reflection period, which always has an end."""
    assert subscription.reflection_ends_at is not None  # set when the reflection period starts
    return subscription.reflection_ends_at


def _duration_months(subscription: Subscription) -> int:
    """A contract is a Premium Plus subscription, which is always for a Parcours."""
    assert subscription.parcours is not None
    return subscription.parcours.duration_months


def can_sign(subscription: Subscription) -> bool:
    return (subscription.status == SubscriptionStatus.REFLECTION
            and clock.now() >= _reflection_end(subscription))


def can_give_up(subscription: Subscription) -> bool:
    """Only during the reflection period (then there is no contract yet, and nothing was charged)."""
    return subscription.status == SubscriptionStatus.REFLECTION


def first_payment_cents(subscription: Subscription) -> int:
    return subscription.order.first_charge_cents


def sign(subscription: Subscription, gateway: PaymentGateway, return_url: str, language: str) -> HostedPayment:
    """Sign (once the reflection period is over) and open the payment of the first month only."""
    order = subscription.order
    reopened = checkout.payment_already_open(order)
    if reopened is not None:
        return reopened
    if subscription.status != SubscriptionStatus.REFLECTION:
        raise DomainError([(None, str(_l("Ce contrat ne peut plus être signé.")))])
    reflection_end = _reflection_end(subscription)
    if clock.now() < reflection_end:
        raise DomainError([(None, str(_l("Le délai de réflexion de 7 jours n'est pas terminé : vous pourrez "
                                         "signer à partir du %(date)s.",
                                         date=reflection_end.astimezone(clock.PARIS)
                                         .strftime("%d/%m/%Y %H:%M"))))])
    amount = first_payment_cents(subscription)
    pricing.check_advance_payment(amount, subscription.monthly_price_cents, _duration_months(subscription))
    hosted = checkout.open_order_payment(order, amount, gateway, return_url, language)
    subscriptions.transition(subscription, SubscriptionStatus.AWAITING_PAYMENT)
    subscription.signed_at = clock.now()
    db.session.flush()
    # The signed contract's PDF, rendered and mailed by the job queue once this signature has committed.
    db.session.info.setdefault(CONTRACT_RENDER_FLAG, set()).add(subscription.id)
    return hosted


def give_up(subscription: Subscription) -> None:
    """During the reflection period: no contract, nothing charged, nothing owed."""
    if not can_give_up(subscription):
        raise DomainError([(None, str(_l("Il n'est plus possible de renoncer de cette façon.")))])
    subscriptions.transition(subscription, SubscriptionStatus.ABANDONED)
    subscription.order.status = OrderStatus.ABANDONED
    db.session.flush()
    subscription_mail.given_up(subscription)


def invite_to_sign_when_due(contract_url: Callable[[Subscription], str]) -> int:
    """Day 7: invite each learner whose reflection period has ended to sign (once). Returns how many."""
    due = db.session.scalars(select(Subscription).where(
        Subscription.status == SubscriptionStatus.REFLECTION, Subscription.reflection_ends_at <= clock.now(),
        Subscription.signature_invited_at.is_(None)))
    count = 0
    for subscription in due:
        user = subscription.user
        mail.queue(user.email, "sign_contract", user.locale, user=user, subscription=subscription,
                   contract_url=contract_url(subscription))
        subscription.signature_invited_at = clock.now()
        count += 1
    db.session.flush()
    return count


def for_learner(user_id: int, subscription_id: int) -> Subscription | None:
    subscription = db.session.get(Subscription, subscription_id)
    if subscription is None or subscription.user_id != user_id or subscription.parcours_id is None:
        return None
    return subscription


def contract_price_cents(subscription: Subscription) -> int:
    return pricing.contract_price_cents(subscription.monthly_price_cents, _duration_months(subscription))


def advance_cap_cents(subscription: Subscription) -> int:
    return pricing.advance_payment_cap_cents(subscription.monthly_price_cents, _duration_months(subscription))


