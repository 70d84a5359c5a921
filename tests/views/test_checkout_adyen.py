"""The checkout with PAYMENT_PROVIDER=adyen, against a fake Adyen Checkout API on 127.0.0.1."""

import pytest

from app.extensions import db
from app.models import Order, PaymentTransaction, Subscription
from app.models.commerce import OrderStatus, SubscriptionStatus
from app.services.payments import adyen
from app.services.payments.adyen import AdyenGateway
from tests import checkout_flow as flow
from tests.banners import PROBLEM_MESSAGE
from tests.conftest import text_of
from tests.fakes import running_fake_adyen

HMAC_KEY = "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056"


@pytest.fixture(scope="module")
def _fake_server():
    with running_fake_adyen() as fake:
        yield fake


@pytest.fixture
def fake_adyen(app, _fake_server, monkeypatch):
    """The app talks to the fake Adyen for this test, then gets its own gateway back."""
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    _fake_server.reset()
    original = app.extensions["payment_gateway"]
    app.extensions["payment_gateway"] = AdyenGateway("test-api-key", "PortalECOM", HMAC_KEY,
                                                     checkout_base_url=_fake_server.base_url, timeout=0.5)
    yield _fake_server
    app.extensions["payment_gateway"] = original


def reviewed_order(client) -> str:
    reference = flow.start(client)
    flow.details(client, reference)
    flow.payment_step(client, reference)
    return reference


@pytest.mark.clause("CGS-3.1-02")
def test_valider_opens_an_adyen_hosted_session_for_exactly_the_reviewed_amount(client, fake_adyen):
    reference = reviewed_order(client)
    response = flow.validate(client, reference)
    assert response.headers["Location"].startswith("https://checkoutshopper-test.adyen.com/")
    (sent,) = fake_adyen.requests_to("POST", "/sessions")
    order = db.session.query(Order).one()
    assert sent.json["amount"] == {"value": 2000, "currency": "EUR"}
    assert sent.json["reference"] == reference and sent.json["mode"] == "hosted"
    assert sent.json["returnUrl"] == f"http://127.0.0.1:5000/commande/{reference}/retour"
    assert sent.header("Idempotency-Key") == order.attempt_key
    flow.validate(client, reference)  # a double click
    assert len(fake_adyen.requests_to("POST", "/sessions")) == 1


def test_the_order_is_fulfilled_from_the_status_query_then_the_notification_brings_the_token(client, fake_adyen):
    reference = reviewed_order(client)
    flow.validate(client, reference)
    session_id = db.session.query(Order).one().payment_session_id
    fake_adyen.respond("GET", f"/sessions/{session_id}", 200, {"id": session_id, "status": "completed"})
    landing = client.get(f"/commande/{reference}/retour?sessionId={session_id}&sessionResult=whatever")
    assert landing.headers["Location"].endswith("/confirmation")
    subscription = db.session.query(Subscription).one()
    assert subscription.status == SubscriptionStatus.ACTIVE and subscription.stored_method_id is None
    item = {"eventCode": "AUTHORISATION", "success": "true", "pspReference": "8815000000000001",
            "merchantReference": reference, "merchantAccountCode": "PortalECOM",
            "eventDate": "2026-11-26T10:00:00+01:00", "amount": {"value": 2000, "currency": "EUR"},
            "additionalData": {"paymentMethod": "visa", "cardSummary": "1111",
                               "tokenization.storedPaymentMethodId": "M5N7TQ4TG5PFWR50"}}
    response = client.post("/webhooks/paiement", data=adyen.notification_body([item], HMAC_KEY),
                           content_type="application/json")
    assert response.status_code == 200
    subscription = db.session.query(Subscription).one()
    assert subscription.stored_method_id == "M5N7TQ4TG5PFWR50" and subscription.method_label == "Visa •••• 1111"
    assert db.session.query(PaymentTransaction).count() == 1  # fulfilled once, whatever came first


def test_a_payment_confirmed_while_the_page_waits_loads_the_whole_page_with_its_outcome(client, fake_adyen):
    reference = reviewed_order(client)
    flow.validate(client, reference)
    session_id = db.session.query(Order).one().payment_session_id
    for _ in range(3):  # asked on the return, on the confirmation page, and by the page's first poll
        fake_adyen.respond("GET", f"/sessions/{session_id}", 200, {"id": session_id, "status": "active"})
    landing = client.get(f"/commande/{reference}/retour?sessionId={session_id}")
    waiting = flow.soup(client.get(landing.headers["Location"]))
    assert text_of(waiting.h1) == "Paiement en cours de confirmation"
    assert text_of(waiting.title).startswith("Paiement en cours de confirmation — ")
    poll = waiting.select_one("#order-outcome")["hx-get"]
    still_waiting = client.get(poll, headers={"HX-Request": "true"})
    assert still_waiting.headers.get("HX-Refresh") is None  # still waiting: the waiting part alone
    assert flow.soup(still_waiting).select_one("main") is None
    assert {"HX-Request", "HX-Boosted", "HX-History-Restore-Request"} <= {
        value.strip() for value in still_waiting.headers["Vary"].split(",")}
    fake_adyen.respond("GET", f"/sessions/{session_id}", 200, {"id": session_id, "status": "completed"})
    answered = client.get(poll, headers={"HX-Request": "true"})
    assert answered.headers["HX-Refresh"] == "true"  # the whole page, not the part that was waiting
    confirmed = flow.soup(client.get(poll))
    assert text_of(confirmed.h1) == "Merci, vous êtes Premium"
    assert text_of(confirmed.title).startswith("Merci, vous êtes Premium — Confirmation de commande")


def test_a_payment_refused_while_the_page_waits_leads_to_the_payment_step_with_the_refusal(client, fake_adyen):
    reference = reviewed_order(client)
    flow.validate(client, reference)
    session_id = db.session.query(Order).one().payment_session_id
    for _ in range(2):  # asked on the return and on the confirmation page
        fake_adyen.respond("GET", f"/sessions/{session_id}", 200, {"id": session_id, "status": "active"})
    landing = client.get(f"/commande/{reference}/retour?sessionId={session_id}")
    poll = flow.soup(client.get(landing.headers["Location"])).select_one("#order-outcome")["hx-get"]
    item = {"eventCode": "AUTHORISATION", "success": "false", "pspReference": "8815000000000002",
            "merchantReference": reference, "merchantAccountCode": "PortalECOM", "reason": "Expired Card",
            "eventDate": "2026-11-26T10:00:00+01:00", "amount": {"value": 2000, "currency": "EUR"}}
    assert client.post("/webhooks/paiement", data=adyen.notification_body([item], HMAC_KEY),
                       content_type="application/json").status_code == 200
    # The page asking again is sent, whole, to the payment step (not given the step inside its waiting part).
    answered = client.get(poll, headers={"HX-Request": "true"})
    assert answered.headers["HX-Redirect"] == f"/commande/{reference}/paiement" and not answered.get_data()
    assert client.get(poll).headers["Location"] == f"/commande/{reference}/paiement"  # without JavaScript
    page = flow.soup(client.get(f"/commande/{reference}/paiement"))
    assert "Votre carte est expirée" in text_of(page.select_one("#payment-refused"))


def test_a_provider_timeout_charges_nothing_and_the_retry_uses_the_same_key(client, fake_adyen):
    reference = reviewed_order(client)
    fake_adyen.respond("POST", "/sessions", 201, {"id": "CS-SLOW", "url": "https://x"}, delay=2.0)
    response = flow.validate(client, reference)
    assert response.headers["Location"].endswith("/verification")
    page = flow.soup(client.get(f"/commande/{reference}/verification"))
    assert "ne répond pas" in text_of(page.select_one(PROBLEM_MESSAGE))
    assert db.session.query(Order).one().status == OrderStatus.DRAFT
    flow.validate(client, reference)
    keys = [r.header("Idempotency-Key") for r in fake_adyen.requests_to("POST", "/sessions")]
    assert len(keys) == 2 and keys[0] == keys[1]


def test_an_adyen_error_is_a_clear_message_never_a_trace(client, fake_adyen):
    reference = reviewed_order(client)
    fake_adyen.respond("POST", "/sessions", 422, {"status": 422, "errorCode": "14_030", "message": "Bad amount"})
    response = flow.validate(client, reference)
    page = flow.soup(client.get(response.headers["Location"]))
    assert "n'a pas pu être préparé" in text_of(page.select_one(PROBLEM_MESSAGE))


def test_a_forged_adyen_notification_is_refused(client, fake_adyen):
    reference = reviewed_order(client)
    flow.validate(client, reference)
    item = {"eventCode": "AUTHORISATION", "success": "true", "pspReference": "X", "merchantReference": reference,
            "merchantAccountCode": "PortalECOM", "eventDate": "2026-11-26T10:00:00+01:00",
            "amount": {"value": 2000, "currency": "EUR"}}
    body = adyen.notification_body([item], "00" * 32)
    assert client.post("/webhooks/paiement", data=body, content_type="application/json").status_code == 401
    assert db.session.query(Subscription).count() == 0
