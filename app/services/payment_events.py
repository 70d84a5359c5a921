"""Provider notifications (webhooks), verified and acted on exactly once, whichever gateway sent them."""

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Order, PaymentTransaction, ProcessedNotification
from app.models.payment import TransactionKind
from app.services import billing, checkout, clock, invoices, payment_methods
from app.services.payments.gateway import EventCode, Notification, Outcome, PaymentGateway


def handle_body(body: bytes, gateway: PaymentGateway) -> int:
    """Verify the body's HMAC signatures (InvalidNotification if forged) and apply each new item.
    Returns how many items were new."""
    return sum(apply(notification, gateway.name) for notification in gateway.parse_notifications(body))


def _first_time(notification: Notification, provider: str) -> bool:
    marker = ProcessedNotification(provider=provider, event_code=notification.event_code,
                                   psp_reference=notification.psp_reference, success=notification.success,
                                   merchant_reference=notification.merchant_reference, received_at=clock.now())
    try:
        with db.session.begin_nested():
            db.session.add(marker)
    except IntegrityError:
        return False  # a replay, or the same notification sent twice by the provider
    return True


def apply(notification: Notification, provider: str) -> bool:
    if not _first_time(notification, provider):
        return False
    if notification.event_code == EventCode.AUTHORISATION and (
            renewal := billing.renewal_of_settlement(notification.merchant_reference)) is not None:
        billing.settle(renewal, Outcome.AUTHORISED if notification.success else Outcome.REFUSED,
                       notification.psp_reference, notification.stored_method_id, notification.method_label,
                       current_app.extensions["payment_gateway"])
    elif notification.event_code == EventCode.AUTHORISATION and (
            update := payment_methods.update_of(notification.merchant_reference)) is not None:
        payment_methods.apply_outcome(update, Outcome.AUTHORISED if notification.success else Outcome.REFUSED,
                                      notification.stored_method_id, notification.method_label)
    elif notification.event_code == EventCode.AUTHORISATION:
        order = db.session.scalar(select(Order).where(Order.reference == notification.merchant_reference))
        if order is not None:
            if notification.success:
                checkout.fulfil(order, notification.psp_reference, provider, notification.stored_method_id,
                                notification.method_label)
            else:
                checkout.payment_failed(order, notification.psp_reference, provider, notification.reason)
    elif notification.event_code in (EventCode.REFUND, EventCode.CHARGEBACK) and notification.success:
        _record_reversal(notification, provider)
    db.session.flush()
    return True


def _record_reversal(notification: Notification, provider: str) -> None:
    """A refund or chargeback of a payment this portal recorded: an append-only row of its own."""
    original = db.session.scalar(select(PaymentTransaction).where(
        PaymentTransaction.psp_reference == notification.original_reference,
        PaymentTransaction.kind == TransactionKind.CHARGE))
    if original is None:
        return
    kind = TransactionKind.REFUND if notification.event_code == EventCode.REFUND else TransactionKind.CHARGEBACK
    reversal = PaymentTransaction(
        kind=kind, user_id=original.user_id, order_id=original.order_id, subscription_id=original.subscription_id,
        amount_cents=notification.amount_cents, currency=notification.currency, provider=provider,
        psp_reference=notification.psp_reference, merchant_reference=notification.merchant_reference,
        reason=notification.reason, created_at=clock.now())
    db.session.add(reversal)
    credited = invoices.for_transaction(original) if kind == TransactionKind.REFUND else None
    if credited is not None:  # the credit note of the refunded charge's invoice
        db.session.flush()
        invoices.issue_credit_note(reversal, credited)
