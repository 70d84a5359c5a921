"""Replacing the payment method that renewals charge, on the provider's page.

The provider verifies the new card (or PayPal agreement) with a zero-amount authorisation and stores it
under the learner's shopper reference; nothing is charged. Until the provider confirms, renewals keep
charging the old method. The outcome is read from a status query or a verified notification, never from
the browser's return URL.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.models import PaymentMethodUpdate, Subscription
from app.models.commerce import SubscriptionStatus
from app.models.payment import MethodUpdateStatus
from app.services import DomainError
from app.services.commerce import checkout, subscriptions
from app.services.common import clock
from app.services.payments import references
from app.services.payments.gateway import (
    CheckoutRequest,
    HostedPayment,
    Outcome,
    PaymentError,
    PaymentGateway,
    PaymentMethod,
    shopper_locale,
)

# Statuses in which a renewal may still be charged: only then does the stored method matter.
REPLACEABLE = (SubscriptionStatus.ACTIVE, SubscriptionStatus.PAST_DUE, SubscriptionStatus.SUSPENDED)


def can_replace(subscription: Subscription) -> bool:
    return subscription.status in REPLACEABLE


def start(subscription: Subscription, method: PaymentMethod, gateway: PaymentGateway, return_url: str,
          language: str) -> HostedPayment:
    """Open the provider's page; a double click reuses the page already open for the same kind of method."""
    if not can_replace(subscription):
        raise DomainError([(None, str(_l("Cet abonnement n'est plus prélevé : il n'y a pas de moyen de paiement "
                                          "à remplacer.")))])
    open_update = _latest(subscription, MethodUpdateStatus.OPEN)
    if open_update is not None and open_update.method == method:
        reopened = HostedPayment.already_open(open_update.session_id, open_update.redirect_url)
        if reopened is not None:
            return reopened
    update = PaymentMethodUpdate(subscription_id=subscription.id, status=MethodUpdateStatus.OPEN,
                                 method=method, created_at=clock.now())
    db.session.add(update)
    db.session.flush()
    hosted = checkout.open_hosted_payment(gateway, CheckoutRequest(
        reference=references.make(references.Kind.METHOD_UPDATE, update.id), amount_cents=0,
        shopper_reference=subscription.shopper_reference,
        shopper_email=subscription.user.email, shopper_locale=shopper_locale(language),
        return_url=return_url, payment_method=method, idempotency_key=f"method-update-{update.id}"))
    update.session_id, update.redirect_url = hosted.session_id, hosted.redirect_url
    db.session.flush()
    return hosted


def _latest(subscription: Subscription, status: MethodUpdateStatus | None = None) -> PaymentMethodUpdate | None:
    statement = select(PaymentMethodUpdate).where(PaymentMethodUpdate.subscription_id == subscription.id)
    if status is not None:
        statement = statement.where(PaymentMethodUpdate.status == status)
    return db.session.scalar(statement.order_by(PaymentMethodUpdate.id.desc()).limit(1))


def apply_outcome(update: PaymentMethodUpdate, outcome: Outcome, stored_method_id: str | None,
                  method_label: str | None) -> None:
    """Idempotent: the status query and the notification may both arrive, in either order; the notification
    brings the token when the status query did not."""
    subscription = db.session.get_one(Subscription, update.subscription_id)
    if outcome == Outcome.AUTHORISED:
        if update.status != MethodUpdateStatus.STORED:
            update.status, update.finished_at = MethodUpdateStatus.STORED, clock.now()
        subscriptions.remember_payment_method(subscription, stored_method_id, method_label)
        update.method_label = method_label or update.method_label
    elif outcome in (Outcome.REFUSED, Outcome.CANCELLED) and update.status == MethodUpdateStatus.OPEN:
        update.status, update.finished_at = MethodUpdateStatus.FAILED, clock.now()
    db.session.flush()


def check_latest(subscription: Subscription, gateway: PaymentGateway) -> PaymentMethodUpdate | None:
    """Back from the provider's page: ask the provider how the latest update ended."""
    update = _latest(subscription)
    if update is None or update.status != MethodUpdateStatus.OPEN or not update.session_id:
        return update
    try:
        result = gateway.session_result(update.session_id)
    except PaymentError:
        return update
    apply_outcome(update, result.outcome, result.stored_method_id, result.method_label)
    return update
