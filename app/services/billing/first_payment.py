"""The first payment of an order: asked of the provider on the way back from its page (never read from the
return URL) or brought by its notification, whichever comes first; the order is fulfilled once.

Fulfilling starts the subscription, records the charge, rewards the referrer, issues the invoice and mails the
confirmation. The order's own flow (a draft, "Valider", a refusal that sends the learner back to the payment
step) is the checkout's.
"""

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import Order, PaymentTransaction
from app.models.commerce import OrderStatus
from app.models.payment import TransactionKind
from app.services.billing import invoices, referrals
from app.services.commerce import checkout, mentors, order_mail, pricing, subscriptions
from app.services.common import clock, rows
from app.services.payments.gateway import Outcome, PaymentError, PaymentGateway, PaymentResult


def check_payment(order: Order, gateway: PaymentGateway) -> None:
    """Ask the provider how the payment went (the return URL's parameters are never trusted). No answer
    (timeout) leaves the order waiting: the notification, or the next check, will settle it."""
    if order.status != OrderStatus.PAYING or not order.payment_session_id:
        return
    try:
        result = gateway.session_result(order.payment_session_id)
    except PaymentError:
        return
    record_payment_result(order, result, gateway.name)


def record_payment_result(order: Order, result: PaymentResult, provider: str) -> None:
    """Apply a payment outcome, whether it came from the status query or the notification (idempotent)."""
    if result.outcome == Outcome.AUTHORISED:
        fulfil(order, result.psp_reference or order.payment_session_id or "", provider, result.stored_method_id,
               result.method_label)
    elif result.outcome in (Outcome.REFUSED, Outcome.CANCELLED):
        checkout.payment_failed(order, result.psp_reference, provider, result.refusal_reason,
                                cancelled=result.outcome == Outcome.CANCELLED)


def first_charge(order: Order) -> PaymentTransaction | None:
    """The payment of the order's first month (a payment refunded at once has no subscription)."""
    return db.session.scalar(select(PaymentTransaction).where(
        PaymentTransaction.order_id == order.id, PaymentTransaction.kind == TransactionKind.CHARGE,
        PaymentTransaction.subscription_id.is_not(None)).order_by(PaymentTransaction.id).limit(1))


def fulfil(order: Order, psp_reference: str, provider: str, stored_method_id: str | None,
           method_label: str | None) -> None:
    """The first month is paid: Solo starts now; Plus (signed after its reflection period) starts now."""
    order = rows.locked(Order, order.id)  # the status query and the notification at once: one fulfils
    subscription = subscriptions.for_order(order)
    if order.status == OrderStatus.PAID:
        if subscription is not None:
            subscriptions.remember_payment_method(subscription, stored_method_id, method_label)
        return
    if not checkout.awaits_payment(order):
        current_app.logger.warning("payment %s for order %s, which is not awaiting payment (%s): not fulfilled",
                                   psp_reference, order.reference, order.status)
        return
    if order.promo_code is not None and not pricing.promo_available(order.promo_code, order):
        # Paid at the reviewed price after the code ran out (its hold at "Valider" had expired): the provider
        # already took what the learner was shown and accepted, so that price is honoured.
        current_app.logger.warning("order %s paid with promo code %s beyond its usage limit: reviewed price kept",
                                   order.reference, order.promo_code.code)
    paid_at = clock.now()
    order.status = OrderStatus.PAID
    order.paid_at = paid_at
    order.last_refusal = None
    if subscription is None:
        subscription = subscriptions.create_paid(order, paid_at, stored_method_id, method_label)
    else:
        subscriptions.activate_paid(subscription, paid_at, stored_method_id, method_label)
    mentors.assign_when_due(subscription)  # a Premium Plus contract takes effect: its mentor
    charge = PaymentTransaction(
        kind=TransactionKind.CHARGE, user_id=order.user_id, order_id=order.id, subscription_id=subscription.id,
        amount_cents=order.first_charge_cents, provider=provider, psp_reference=psp_reference,
        merchant_reference=order.reference, method_label=method_label, created_at=paid_at)
    db.session.add(charge)
    referrals.reward(order, paid_at, subscription.stored_method_id)
    db.session.flush()
    period_start, period_end = subscription.current_period_start, subscription.current_period_end
    assert period_start is not None and period_end is not None  # the first period was just started
    invoices.issue_for_charge(charge, subscription, period_start, period_end,
                              order.discount_cents if order.discounted_months else 0, order.user.locale)
    order_mail.send_confirmation(order, subscription)
