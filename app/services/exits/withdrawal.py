"""Premium Solo: the 14-day right of withdrawal, until the first access to premium content (art. 6.1).

At the order the learner expressly asked for immediate access and acknowledged losing the right once the
access codes are used (L221-28 of the Code de la consommation): before that first access, and within 14 days
of the order, withdrawing ends the subscription at once and refunds every payment in full.
"""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.models import Consent, PaymentTransaction, Subscription
from app.models.commerce import ConsentKind, OfferKind, SubscriptionStatus
from app.models.payment import TransactionKind
from app.services import DomainError
from app.services.commerce import subscription_mail, subscriptions
from app.services.commerce.legal_periods import WITHDRAWAL_PERIOD
from app.services.common import clock
from app.services.payments import references
from app.services.payments.gateway import PaymentError, PaymentGateway, RefundRequest


@dataclass(frozen=True)
class WithdrawalState:
    possible: bool
    deadline: datetime | None  # the end of the 14 days
    waived_at: datetime | None  # when the waiver was given (the order's consent)
    first_access_at: datetime | None


def state(subscription: Subscription) -> WithdrawalState:
    if subscription.offer != OfferKind.SOLO or subscription.started_at is None:
        return WithdrawalState(False, None, None, None)
    waiver = db.session.scalar(select(Consent.given_at).where(
        Consent.order_id == subscription.order_id, Consent.kind == ConsentKind.IMMEDIATE_ACCESS))
    deadline = (subscription.order.validated_at or subscription.started_at) + WITHDRAWAL_PERIOD
    possible = (subscription.status in (SubscriptionStatus.ACTIVE, SubscriptionStatus.CANCELLING)
                and subscription.first_premium_access_at is None and clock.now() < deadline)
    return WithdrawalState(possible, deadline, waiver, subscription.first_premium_access_at)


def withdraw(subscription: Subscription, gateway: PaymentGateway) -> int:
    """End the subscription at once and refund everything paid for it; returns the amount refunded."""
    if not state(subscription).possible:
        raise DomainError([(None, str(_l("Le droit de rétractation ne peut plus être exercé pour cet abonnement.")))])
    charges = list(db.session.scalars(select(PaymentTransaction).where(
        PaymentTransaction.subscription_id == subscription.id, PaymentTransaction.kind == TransactionKind.CHARGE)))
    refunded = 0
    for charge in charges:
        try:
            gateway.refund(RefundRequest(psp_reference=charge.psp_reference,
                                         reference=references.make(references.Kind.WITHDRAWAL_REFUND, charge.id),
                                         amount_cents=charge.amount_cents, idempotency_key=f"withdrawal-{charge.id}"))
        except PaymentError as error:
            raise DomainError([(None, str(_l("Le remboursement n'a pas pu être demandé pour le moment : rien n'a "
                                             "changé, réessayez dans quelques instants.")))]) from error
        refunded += charge.amount_cents
    subscriptions.transition(subscription, SubscriptionStatus.WITHDRAWN)
    subscription_mail.withdrawn(subscription, refunded)
    db.session.flush()
    return refunded
