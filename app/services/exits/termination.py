"""Premium Plus: early termination by the learner during the first three months (art. 6.2, L444-8).

The indemnity is at most 30 % of the contract price (the monthly price × the indicative duration); the sums
already paid are kept up to that amount ("à due concurrence"), and only the remainder, if any, is charged; what
was paid beyond it (a short Parcours, a lower rate) is refunded. The learner sees every line of the calculation
before confirming.
"""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.models import PaymentTransaction, Subscription
from app.models.commerce import OfferKind, SubscriptionStatus
from app.models.payment import TransactionKind
from app.services import DomainError
from app.services.billing import invoices, notifications, summary
from app.services.commerce import contracts, pricing, subscription_mail, subscriptions
from app.services.common import clock
from app.services.common.periods import add_months
from app.services.payments import references
from app.services.payments.gateway import (
    Outcome,
    PaymentError,
    PaymentGateway,
    PaymentMethod,
    RecurringCharge,
    RefundRequest,
)

LEGAL_CAP_PERCENT = 30
TERMINABLE = (SubscriptionStatus.ACTIVE, SubscriptionStatus.CANCELLING, SubscriptionStatus.PAST_DUE)


def check_rate(rate_percent: int) -> None:
    """Refuse, at start-up, a configured indemnity rate the law does not allow."""
    if not 0 <= rate_percent <= LEGAL_CAP_PERCENT:
        raise RuntimeError(f"EARLY_TERMINATION_RATE_PERCENT must be between 0 and {LEGAL_CAP_PERCENT}, "
                           f"not {rate_percent} (Code de l'éducation L444-8)")


@dataclass(frozen=True)
class TerminationQuote:
    contract_price_cents: int
    rate_percent: int
    cap_cents: int  # 30 % of the contract price
    indemnity_cents: int
    already_paid_cents: int
    kept_cents: int  # of what was paid, kept as (part of) the indemnity
    remaining_due_cents: int  # what confirming will charge
    window_ends_at: datetime
    refund_cents: int = 0  # of what was paid, beyond the indemnity: what confirming refunds


def window_end(subscription: Subscription) -> datetime:
    """Three months from the contract's entry into force, its signature (L444-8, Annexe 1); the terms' article 6.2
    counts them from the acceptance of the terms, at least seven days earlier. Where the two differ, the learner
    gets the longer window."""
    starts = [subscription.accepted_at, subscription.signed_at, subscription.started_at]
    return add_months(max(moment for moment in starts if moment is not None), 3)


def is_open(subscription: Subscription) -> bool:
    return (subscription.offer == OfferKind.PLUS and subscription.status in TERMINABLE
            and clock.now() < window_end(subscription))


def paid_for(subscription: Subscription) -> int:
    return summary.net_paid(db.session.scalars(select(PaymentTransaction).where(
        PaymentTransaction.subscription_id == subscription.id)))


def quote(subscription: Subscription, rate_percent: int, paid_cents: int | None = None) -> TerminationQuote:
    """The indemnity and what confirming charges; `paid_cents`, what was paid for the subscription, when the caller
    has read its transactions already."""
    check_rate(rate_percent)
    contract = contracts.contract_price_cents(subscription)
    cap = pricing.round_half_up(contract * LEGAL_CAP_PERCENT, 100)
    indemnity = min(pricing.round_half_up(contract * rate_percent, 100), cap)
    paid = max(paid_for(subscription) if paid_cents is None else paid_cents, 0)
    kept = min(paid, indemnity)
    return TerminationQuote(contract, rate_percent, cap, indemnity, paid, kept, indemnity - kept,
                            window_end(subscription), paid - kept)


def terminate(subscription: Subscription, rate_percent: int, gateway: PaymentGateway) -> TerminationQuote:
    """End the subscription at once and charge only what remains due of the indemnity."""
    if not is_open(subscription):
        raise DomainError([(None, str(_l("La résiliation anticipée n'est possible que pendant les trois mois qui "
                                         "suivent l'entrée en vigueur de votre contrat.")))])
    figures = quote(subscription, rate_percent)
    if figures.remaining_due_cents:
        try:
            result = gateway.charge_stored_method(RecurringCharge(
                reference=references.make(references.Kind.TERMINATION, subscription.id),
                amount_cents=figures.remaining_due_cents,
                shopper_reference=subscription.shopper_reference,
                stored_method_id=subscription.stored_method_id or "",
                idempotency_key=f"termination-{subscription.id}",
                payment_method=PaymentMethod.PAYPAL if subscription.method_label == "PayPal" else PaymentMethod.CARD))
        except PaymentError as error:
            raise DomainError([(None, str(_l("Le paiement de l'indemnité n'a pas pu être fait pour le moment ; "
                                             "rien n'a changé. Réessayez dans quelques instants.")))]) from error
        if result.outcome != Outcome.AUTHORISED:
            raise DomainError([(None, str(_l("Votre banque a refusé le paiement de l'indemnité ; l'abonnement "
                                             "continue. Vérifiez votre moyen de paiement.")))])
        transaction = PaymentTransaction(
            kind=TransactionKind.CHARGE, user_id=subscription.user_id, subscription_id=subscription.id,
            order_id=subscription.order_id, amount_cents=figures.remaining_due_cents, provider=gateway.name,
            psp_reference=result.psp_reference,
            merchant_reference=references.make(references.Kind.TERMINATION, subscription.id),
            method_label=subscription.method_label, reason="L444-8", created_at=clock.now())
        db.session.add(transaction)
        db.session.flush()
        today = clock.today_in_paris()
        invoices.issue_for_charge(transaction, subscription, today, today, 0, subscription.user.locale,
                                  termination=True)
    if figures.refund_cents:
        _refund_excess(subscription, figures.refund_cents, gateway)
    subscriptions.transition(subscription, SubscriptionStatus.ENDED)
    subscription_mail.terminated_early(subscription, figures.indemnity_cents, figures.kept_cents,
                                       figures.remaining_due_cents, figures.refund_cents)
    db.session.flush()
    return figures


def _refund_excess(subscription: Subscription, amount_cents: int, gateway: PaymentGateway) -> None:
    """Refund `amount_cents` from the subscription's payments, the latest first. The provider's notification of
    each refund records it and issues its credit note; a retry asks for the same refunds (same keys)."""
    left = amount_cents
    for charge in db.session.scalars(select(PaymentTransaction).where(
            PaymentTransaction.subscription_id == subscription.id, PaymentTransaction.kind == TransactionKind.CHARGE)
            .order_by(PaymentTransaction.created_at.desc(), PaymentTransaction.id.desc())):
        amount = min(left, notifications.refundable_cents(charge))
        if amount <= 0:
            continue
        try:
            gateway.refund(RefundRequest(
                psp_reference=charge.psp_reference,
                reference=references.make(references.Kind.TERMINATION_EXCESS_REFUND, charge.id),
                amount_cents=amount, idempotency_key=f"termination-excess-{charge.id}"))
        except PaymentError as error:
            raise DomainError([(None, str(_l("Le remboursement de ce que vous avez payé en trop n'a pas pu être "
                                             "demandé pour le moment : votre contrat continue. Réessayez dans "
                                             "quelques instants.")))]) from error
        left -= amount
        if left == 0:
            return
