"""Provider notifications (webhooks), verified and acted on exactly once, whichever gateway sent them.

An authorisation is routed by the kind of payment its merchant reference names (payments.references): one
handler per kind, which finds its own row by the reference's id; a reference this portal did not make is
rejected. A signed notification is still checked against what it pays for before it has any effect: the merchant
account, the currency and the amount against the order, the renewal or the payment method update it names,
and their state. One that does not match is kept (outcome "rejected", with its reason) and logged for staff
to investigate, and changes nothing else. A refund never gives back more than remains of its payment; one
that arrives before its payment is kept (outcome "pending") and applied when the payment arrives.

The "processed" marker is the first write and part of the same transaction as the effect: a failure after it
rolls both back, and the provider's next delivery is applied.
"""

from collections.abc import Callable

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Order, PaymentMethodUpdate, PaymentTransaction, ProcessedNotification, Renewal
from app.models.payment import NotificationOutcome, TransactionKind
from app.services.billing import first_payment, invoices, referrals, renewals
from app.services.commerce import checkout, payment_methods
from app.services.common import clock
from app.services.payments import references
from app.services.payments.gateway import EventCode, Notification, Outcome, PaymentGateway

CURRENCY = "EUR"
REVERSALS = (TransactionKind.REFUND, TransactionKind.CHARGEBACK)


def handle_body(body: bytes, gateway: PaymentGateway) -> int:
    """Verify the body's HMAC signatures (InvalidNotification if forged) and apply each new item.
    Returns how many items were new."""
    return sum(apply(notification, gateway) for notification in gateway.parse_notifications(body))


def _first_time(notification: Notification, provider: str) -> ProcessedNotification | None:
    marker = ProcessedNotification(
        provider=provider, event_code=notification.event_code, psp_reference=notification.psp_reference,
        success=notification.success, merchant_reference=notification.merchant_reference, received_at=clock.now(),
        outcome=NotificationOutcome.APPLIED, merchant_account=notification.merchant_account,
        amount_cents=notification.amount_cents, currency=notification.currency,
        original_reference=notification.original_reference, provider_reason=notification.reason)
    try:
        with db.session.begin_nested():
            db.session.add(marker)
    except IntegrityError:
        return None  # a replay, or the same notification sent twice by the provider
    return marker


def apply(notification: Notification, gateway: PaymentGateway) -> bool:
    marker = _first_time(notification, gateway.name)
    if marker is None:
        return False
    if notification.merchant_account != gateway.merchant_account:
        _reject(marker, f"merchant account {notification.merchant_account!r} is not this portal's")
    elif notification.event_code == EventCode.AUTHORISATION:
        _authorisation(notification, gateway, marker)
    elif notification.event_code in (EventCode.REFUND, EventCode.CHARGEBACK) and notification.success:
        _reversal(notification, gateway.name, marker)
    db.session.flush()
    return True


def to_investigate(limit: int = 100) -> list[ProcessedNotification]:
    """Rejected notifications, and refunds still waiting for their payment, newest first (for staff)."""
    return list(db.session.scalars(select(ProcessedNotification).where(ProcessedNotification.outcome.in_(
        [NotificationOutcome.REJECTED, NotificationOutcome.PENDING])).order_by(ProcessedNotification.id.desc())
        .limit(limit)))


def _reject(marker: ProcessedNotification, reason: str) -> None:
    """Kept with its reason for staff to investigate; nothing else changes."""
    marker.outcome, marker.reason = NotificationOutcome.REJECTED, reason[:300]
    current_app.logger.warning("payment notification %s %s (%s) rejected: %s", marker.event_code,
                               marker.psp_reference, marker.merchant_reference, reason)


def _wrong_money(notification: Notification, expected_cents: int) -> str | None:
    if notification.currency != CURRENCY:
        return f"currency {notification.currency} instead of {CURRENCY}"
    if notification.amount_cents != expected_cents:
        return f"amount {notification.amount_cents} instead of {expected_cents}"
    return None


# What a handler of an authorisation answers: the reason to reject the notification, or None once applied.
AuthorisationHandler = Callable[[references.Reference, Notification, PaymentGateway, ProcessedNotification],
                                str | None]


def _authorisation(notification: Notification, gateway: PaymentGateway, marker: ProcessedNotification) -> None:
    """Routed by the kind its reference names, and by that alone: each kind's handler finds its own row."""
    reference = references.parse(notification.merchant_reference)
    if reference is None:
        return _reject(marker, "no order, renewal or payment method update has this reference")
    handler = AUTHORISATION_HANDLERS.get(reference.kind)
    if handler is None:
        return _reject(marker, f"a {reference.kind.name.lower()} reference is never paid by an authorisation")
    if reason := handler(reference, notification, gateway, marker):
        return _reject(marker, reason)
    if notification.success:
        _apply_pending_reversals(notification.psp_reference, gateway.name)


def _outcome(notification: Notification) -> Outcome:
    return Outcome.AUTHORISED if notification.success else Outcome.REFUSED


def _order(reference: references.Reference, notification: Notification, gateway: PaymentGateway,
           marker: ProcessedNotification) -> str | None:
    order = db.session.get(Order, reference.id)
    if order is None or order.reference != notification.merchant_reference:
        return f"no order {notification.merchant_reference}"
    if reason := _wrong_money(notification, order.first_charge_cents):
        return reason
    _order_payment(order, notification, gateway, marker)
    return None


def _settlement(reference: references.Reference, notification: Notification, gateway: PaymentGateway,
                marker: ProcessedNotification) -> str | None:
    renewal = db.session.get(Renewal, reference.id)
    if renewal is None:
        return f"no renewal {reference.id} to settle"
    if reason := _wrong_money(notification, renewal.amount_cents):
        return reason
    renewals.settle(renewal, _outcome(notification), notification.psp_reference, notification.stored_method_id,
                    notification.method_label, gateway)
    return None


def _method_update(reference: references.Reference, notification: Notification, gateway: PaymentGateway,
                   marker: ProcessedNotification) -> str | None:
    update = db.session.get(PaymentMethodUpdate, reference.id)
    if update is None:
        return f"no payment method update {reference.id}"
    if reason := _wrong_money(notification, 0):  # a verification of the new method: nothing is charged
        return reason
    payment_methods.apply_outcome(update, _outcome(notification), notification.stored_method_id,
                                  notification.method_label)
    return None


def _charged_from_the_portal(reference: references.Reference, notification: Notification,
                             gateway: PaymentGateway, marker: ProcessedNotification) -> str | None:
    """A renewal charged by the billing run, or the rest of an early termination's indemnity: the portal recorded
    the payment from the provider's answer to its request, so the notification only confirms a payment it knows."""
    if not _recorded(notification.psp_reference, gateway.name):
        return f"no payment recorded for {notification.merchant_reference}"
    return None


# One handler per kind of reference that a payment is authorised for; a refund's reference (its own kinds)
# is never authorised, so it has none.
AUTHORISATION_HANDLERS: dict[references.Kind, AuthorisationHandler] = {
    references.Kind.ORDER: _order,
    references.Kind.SETTLEMENT: _settlement,
    references.Kind.METHOD_UPDATE: _method_update,
    references.Kind.RENEWAL: _charged_from_the_portal,
    references.Kind.TERMINATION: _charged_from_the_portal,
}


def _order_payment(order: Order, notification: Notification, gateway: PaymentGateway,
                   marker: ProcessedNotification) -> None:
    """The first month of an order: only an order awaiting its payment is fulfilled (not a draft, not a Premium
    Plus order in its reflection period). A second payment of a paid order, or a payment that arrives after
    the order went back to a draft, was still taken by the provider: it is recorded and refunded at once."""
    recorded = first_payment.first_charge(order)
    if recorded is not None and recorded.psp_reference == order.payment_session_id:
        recorded.psp_reference = notification.psp_reference  # the status query did not name the payment
    if recorded is not None and recorded.psp_reference == notification.psp_reference:
        first_payment.fulfil(order, notification.psp_reference, gateway.name, notification.stored_method_id,
                             notification.method_label)  # the status query was first: this brings the stored method
    elif not checkout.awaits_payment(order):
        _reject(marker, f"order {order.reference} is not awaiting payment ({order.status})")
        if notification.success:
            renewals.refund_unwanted_payment(order.user_id, notification.psp_reference, notification.amount_cents,
                                            order.reference, gateway, "order not awaiting payment", order.id)
    elif notification.success:
        first_payment.fulfil(order, notification.psp_reference, gateway.name, notification.stored_method_id,
                             notification.method_label)
    else:
        checkout.payment_failed(order, notification.psp_reference, gateway.name, notification.reason)


def _recorded_charge(psp_reference: str | None, provider: str) -> PaymentTransaction | None:
    return db.session.scalar(select(PaymentTransaction).where(
        PaymentTransaction.provider == provider, PaymentTransaction.psp_reference == psp_reference,
        PaymentTransaction.kind == TransactionKind.CHARGE))


def _recorded(psp_reference: str, provider: str) -> bool:
    return (db.session.scalar(select(func.count()).select_from(PaymentTransaction).where(
        PaymentTransaction.provider == provider, PaymentTransaction.psp_reference == psp_reference)) or 0) > 0


def refundable_cents(charge: PaymentTransaction) -> int:
    """What remains of a charge once its refunds and chargebacks so far are given back."""
    reversed_cents = db.session.scalar(select(func.coalesce(func.sum(PaymentTransaction.amount_cents), 0)).where(
        PaymentTransaction.original_id == charge.id, PaymentTransaction.kind.in_(REVERSALS))) or 0
    return charge.amount_cents - reversed_cents


def _reversal(notification: Notification, provider: str, marker: ProcessedNotification) -> None:
    """A refund or chargeback of a payment this portal recorded: an append-only row of its own, never more
    than remains of the payment, in the payment's currency."""
    original = _recorded_charge(notification.original_reference, provider)
    if original is None:
        marker.outcome = NotificationOutcome.PENDING  # its payment has not arrived yet
        current_app.logger.info("payment notification %s %s kept until its payment %s arrives",
                                notification.event_code, notification.psp_reference, notification.original_reference)
        return
    if notification.currency != original.currency:
        return _reject(marker, f"currency {notification.currency} for a payment in {original.currency}")
    remaining = refundable_cents(original)
    if notification.amount_cents > remaining:
        return _reject(marker, f"amount {notification.amount_cents} beyond the {remaining} left of the payment")
    kind = TransactionKind.REFUND if notification.event_code == EventCode.REFUND else TransactionKind.CHARGEBACK
    reversal = PaymentTransaction(
        kind=kind, user_id=original.user_id, order_id=original.order_id, subscription_id=original.subscription_id,
        original_id=original.id, amount_cents=notification.amount_cents, currency=notification.currency,
        provider=provider, psp_reference=notification.psp_reference,
        merchant_reference=notification.merchant_reference, reason=notification.reason, created_at=clock.now())
    db.session.add(reversal)
    db.session.flush()
    if original.order_id is not None:
        referrals.take_back(original.order_id)  # the referred payment was given back
    credited = invoices.for_transaction(original) if kind == TransactionKind.REFUND else None
    if credited is not None:  # the credit note of the refunded charge's invoice
        invoices.issue_credit_note(reversal, credited)


def _apply_pending_reversals(psp_reference: str, provider: str) -> None:
    """Refunds and chargebacks that arrived before this payment: applied now, in the order they came."""
    for marker in db.session.scalars(select(ProcessedNotification).where(
            ProcessedNotification.provider == provider, ProcessedNotification.original_reference == psp_reference,
            ProcessedNotification.outcome == NotificationOutcome.PENDING).order_by(ProcessedNotification.id)):
        marker.outcome = NotificationOutcome.APPLIED
        _reversal(_kept(marker), provider, marker)


def _kept(marker: ProcessedNotification) -> Notification:
    return Notification(event_code=marker.event_code, psp_reference=marker.psp_reference,
                        merchant_reference=marker.merchant_reference, success=marker.success,
                        amount_cents=marker.amount_cents or 0, currency=marker.currency or "",
                        merchant_account=marker.merchant_account or "", reason=marker.provider_reason,
                        original_reference=marker.original_reference)
