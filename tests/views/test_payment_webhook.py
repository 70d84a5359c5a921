"""The payment webhook: only signed notifications count, each one once; the order is fulfilled from it."""

import pytest

from app.extensions import db
from app.models import Order, PaymentTransaction, ProcessedNotification, Subscription
from app.models.commerce import OrderStatus
from app.models.payment import TransactionKind
from app.services.payments import adyen


def authorisation(order, success="true", psp="PSP0001"):
    return {"eventCode": "AUTHORISATION", "success": success, "pspReference": psp, "merchantReference":
            order.reference, "merchantAccountCode": "SimulatedMerchant", "eventDate": "2026-11-26T10:00:00+01:00",
            "amount": {"value": order.first_charge_cents, "currency": "EUR"}, "reason": "",
            "additionalData": {"paymentMethod": "mc", "cardSummary": "4444",
                               "tokenization.storedPaymentMethodId": "TOKEN123"}}


def hmac_key(app):
    return app.extensions["payment_gateway"].hmac_key


def test_a_signed_authorisation_fulfils_the_order(app, client, paying_order):
    body = adyen.notification_body([authorisation(paying_order)], hmac_key(app))
    response = client.post("/webhooks/paiement", data=body, content_type="application/json")
    assert response.status_code == 200 and response.get_data(as_text=True) == "[accepted]"
    subscription = db.session.query(Subscription).one()
    assert subscription.stored_method_id == "TOKEN123" and subscription.method_label == "Mastercard •••• 4444"
    assert db.session.query(Order).one().status == OrderStatus.PAID


def test_a_forged_notification_is_refused_and_changes_nothing(client, paying_order):
    body = adyen.notification_body([authorisation(paying_order)], "00" * 32)
    response = client.post("/webhooks/paiement", data=body, content_type="application/json")
    assert response.status_code == 401
    assert db.session.query(Subscription).count() == 0
    assert db.session.query(ProcessedNotification).count() == 0


def test_a_replayed_notification_is_acted_on_once(app, client, paying_order):
    body = adyen.notification_body([authorisation(paying_order)], hmac_key(app))
    for _ in range(3):
        assert client.post("/webhooks/paiement", data=body, content_type="application/json").status_code == 200
    assert db.session.query(PaymentTransaction).filter_by(kind=TransactionKind.CHARGE).count() == 1
    assert db.session.query(ProcessedNotification).count() == 1


def test_a_refused_authorisation_sends_the_learner_back_to_the_payment_step(app, client, paying_order):
    body = adyen.notification_body([authorisation(paying_order, success="false", psp="PSP0002")], hmac_key(app))
    client.post("/webhooks/paiement", data=body, content_type="application/json")
    order = db.session.query(Order).one()
    assert order.status == OrderStatus.DRAFT and order.payment_attempt == 2
    assert db.session.query(PaymentTransaction).one().kind == TransactionKind.FAILURE


def test_a_refund_notification_is_recorded_against_the_payment(app, client, paying_order):
    key = hmac_key(app)
    client.post("/webhooks/paiement", data=adyen.notification_body([authorisation(paying_order)], key),
                content_type="application/json")
    refund = {"eventCode": "REFUND", "success": "true", "pspReference": "PSPREFUND", "originalReference": "PSP0001",
              "merchantReference": "REFUND-1", "merchantAccountCode": "SimulatedMerchant",
              "eventDate": "2026-11-27T10:00:00+01:00", "amount": {"value": 2000, "currency": "EUR"}, "reason": ""}
    client.post("/webhooks/paiement", data=adyen.notification_body([refund], key), content_type="application/json")
    kinds = sorted(t.kind for t in db.session.query(PaymentTransaction).all())
    assert kinds == [TransactionKind.CHARGE, TransactionKind.REFUND]


def test_the_simulated_provider_refuses_to_start_in_production(monkeypatch):
    from app import create_app
    from app.config import Config

    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("PAYMENT_PROVIDER", "simulated")
    with pytest.raises(RuntimeError, match="simulated payment provider cannot run in production"):
        create_app(Config())


def test_the_adyen_provider_needs_its_configuration(monkeypatch):
    from app import create_app
    from app.config import Config
    from app.services.payments.gateway import PaymentError

    monkeypatch.setenv("PAYMENT_PROVIDER", "adyen")
    monkeypatch.delenv("ADYEN_API_KEY", raising=False)
    with pytest.raises(PaymentError, match="ADYEN_API_KEY"):
        create_app(Config())


def test_an_unknown_simulated_payment_session_is_not_found(client):
    assert client.get("/paiement-simule/NOPE").status_code == 404
