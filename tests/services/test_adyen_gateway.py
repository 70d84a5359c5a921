"""The Adyen gateway against a fake Checkout API over real HTTP (the library's own client), and its webhooks."""

import json
import socket
import time

import pytest

from app.services.payments import adyen as adyen_module
from app.services.payments.adyen import (
    AdyenGateway,
    notification_body,
    parse_notification_body,
    sign_notification_item,
)
from app.services.payments.gateway import (
    CheckoutRequest,
    EventCode,
    HostedPayment,
    InvalidNotification,
    Outcome,
    PaymentError,
    PaymentMethod,
    ProviderUnavailable,
    RecurringCharge,
    RefundRequest,
    RefundResult,
)
from tests.fakes import FakeAdyen, running_fake_adyen

API_KEY = "AQE-test-api-key"
MERCHANT = "LearnerPortalECOM"
# Adyen's published example key; test_adyens_published_signature_verifies pins it to Adyen's own signature.
HMAC_KEY = "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056"
OTHER_KEY = "0" * 62 + "01"


@pytest.fixture
def _isolated():
    """Pure service tests: no database, so conftest's transaction-per-test fixture is not needed here."""
    yield


@pytest.fixture(scope="module")
def _adyen_server():
    with running_fake_adyen() as fake:
        yield fake


@pytest.fixture
def fake_adyen(_adyen_server: FakeAdyen, monkeypatch) -> FakeAdyen:
    monkeypatch.setenv("no_proxy", "127.0.0.1")  # urllib would send a local URL through a configured proxy
    _adyen_server.reset()
    yield _adyen_server
    _adyen_server.reset()


@pytest.fixture
def gateway(fake_adyen: FakeAdyen) -> AdyenGateway:
    return AdyenGateway(API_KEY, MERCHANT, HMAC_KEY, checkout_base_url=fake_adyen.base_url, timeout=2.0)


def checkout_request(**changes) -> CheckoutRequest:
    values = dict(reference="ORD-000042", amount_cents=1990, shopper_reference="learner-42",
                  shopper_email="lea.martin@example.org", shopper_locale="fr-FR",
                  return_url="https://portail.example.fr/paiement/retour?commande=ORD-000042",
                  payment_method=PaymentMethod.CARD, idempotency_key="checkout-ORD-000042")
    values.update(changes)
    return CheckoutRequest(**values)


def renewal(**changes) -> RecurringCharge:
    values = dict(reference="REN-000042-2025-03", amount_cents=1990, shopper_reference="learner-42",
                  stored_method_id="M5N7TQ4TG5PFWR50", idempotency_key="renewal-42-2025-03")
    values.update(changes)
    return RecurringCharge(**values)


def only_request(fake: FakeAdyen):
    assert len(fake.requests) == 1, fake.requests
    return fake.requests[0]


# Hosted checkout -----------------------------------------------------------------------------------------------


def test_checkout_session_is_hosted_and_stores_the_card_for_renewals(gateway, fake_adyen):
    fake_adyen.respond("POST", "/sessions", 201, {
        "id": "CS1D3A5F", "url": "https://checkoutshopper-test.adyen.com/checkoutshopper/pay/CS1D3A5F",
        "sessionData": "Ab02b4c0!BQABAgA"})

    hosted = gateway.start_checkout(checkout_request())

    assert hosted == HostedPayment(session_id="CS1D3A5F",
                                   redirect_url="https://checkoutshopper-test.adyen.com/checkoutshopper/pay/CS1D3A5F")
    sent = only_request(fake_adyen)
    assert (sent.method, sent.path) == ("POST", "/sessions")
    assert sent.header("X-API-Key") == API_KEY
    assert sent.header("Idempotency-Key") == "checkout-ORD-000042"
    assert sent.json == {
        "mode": "hosted",
        "merchantAccount": MERCHANT,
        "amount": {"value": 1990, "currency": "EUR"},
        "reference": "ORD-000042",
        "returnUrl": "https://portail.example.fr/paiement/retour?commande=ORD-000042",
        "shopperReference": "learner-42",
        "shopperEmail": "lea.martin@example.org",
        "shopperLocale": "fr-FR",
        "countryCode": "FR",
        "storePaymentMethodMode": "enabled",
        "recurringProcessingModel": "Subscription",
        "shopperInteraction": "Ecommerce",
        "allowedPaymentMethods": ["scheme"],
    }


def test_paypal_checkout_offers_only_paypal_and_still_stores_it(gateway, fake_adyen):
    gateway.start_checkout(checkout_request(payment_method=PaymentMethod.PAYPAL, shopper_locale="en-GB"))

    body = only_request(fake_adyen).json
    assert body["allowedPaymentMethods"] == ["paypal"]
    assert body["storePaymentMethodMode"] == "enabled"
    assert body["recurringProcessingModel"] == "Subscription"
    assert body["shopperLocale"] == "en-GB"


def test_each_gateway_has_its_own_client_and_leaves_the_librarys_global_alone(fake_adyen):
    library = adyen_module.Adyen  # reached through the gateway module, the only one that imports the library
    first = AdyenGateway("key-one", "MerchantOne", HMAC_KEY, checkout_base_url=fake_adyen.base_url)
    second = AdyenGateway("key-two", "MerchantTwo", HMAC_KEY, checkout_base_url=fake_adyen.base_url)

    first.start_checkout(checkout_request())
    second.start_checkout(checkout_request())

    assert [(r.header("x-api-key"), r.json["merchantAccount"]) for r in fake_adyen.requests] == [
        ("key-one", "MerchantOne"), ("key-two", "MerchantTwo")]
    assert library.checkout.client.xapikey is None
    assert library.checkout.payments_api.baseUrl.startswith("https://checkout-test.adyen.com/")


@pytest.mark.parametrize("status, outcome", [
    ("completed", Outcome.AUTHORISED),
    ("paymentPending", Outcome.PENDING),
    ("active", Outcome.PENDING),
    ("canceled", Outcome.CANCELLED),
    ("expired", Outcome.CANCELLED),
    ("refused", Outcome.REFUSED),
])
def test_session_result_is_read_from_adyen_not_from_the_browser(gateway, fake_adyen, status, outcome):
    fake_adyen.respond("GET", "/sessions/CS1D3A5F", 200, {"id": "CS1D3A5F", "status": status})

    result = gateway.session_result("CS1D3A5F", "Ab02b4c0!BQABAg+/x=")

    assert result.outcome is outcome
    sent = only_request(fake_adyen)
    assert (sent.method, sent.path) == ("GET", "/sessions/CS1D3A5F")
    assert sent.query == {"sessionResult": "Ab02b4c0!BQABAg+/x="}  # '+', '/' and '=' arrive intact
    assert sent.header("X-API-Key") == API_KEY


def test_session_result_gives_the_psp_reference_of_the_authorised_payment(gateway, fake_adyen):
    fake_adyen.respond("GET", "/sessions/", 200, {"id": "CS1", "status": "completed", "payments": [
        {"pspReference": "PSP-REFUSED", "resultCode": "Refused"},
        {"pspReference": "PSP-PAID", "resultCode": "Authorised"},
    ]})

    assert gateway.session_result("CS1").psp_reference == "PSP-PAID"
    assert only_request(fake_adyen).query == {}


def test_unknown_session_status_is_an_unknown_outcome(gateway, fake_adyen):
    fake_adyen.respond("GET", "/sessions/", 200, {"id": "CS1", "status": "somethingNew"})

    assert gateway.session_result("CS1").outcome is Outcome.UNKNOWN


# Renewals ------------------------------------------------------------------------------------------------------


def test_renewal_charges_the_stored_method_as_a_merchant_initiated_subscription_payment(gateway, fake_adyen):
    fake_adyen.respond("POST", "/payments", 200, {"pspReference": "8816178952380553", "resultCode": "Authorised"})

    result = gateway.charge_stored_method(renewal())

    assert result.outcome is Outcome.AUTHORISED
    assert result.psp_reference == "8816178952380553"
    sent = only_request(fake_adyen)
    assert (sent.method, sent.path) == ("POST", "/payments")
    assert sent.header("X-API-Key") == API_KEY
    assert sent.header("Idempotency-Key") == "renewal-42-2025-03"
    assert sent.json == {
        "merchantAccount": MERCHANT,
        "amount": {"value": 1990, "currency": "EUR"},
        "reference": "REN-000042-2025-03",
        "shopperReference": "learner-42",
        "paymentMethod": {"type": "scheme", "storedPaymentMethodId": "M5N7TQ4TG5PFWR50"},
        "shopperInteraction": "ContAuth",
        "recurringProcessingModel": "Subscription",
    }


def test_refused_card_is_a_result_not_an_exception(gateway, fake_adyen):
    fake_adyen.respond("POST", "/payments", 200, {
        "pspReference": "8816178952380554", "resultCode": "Refused", "refusalReason": "Not enough balance",
        "refusalReasonCode": "12"})

    result = gateway.charge_stored_method(renewal())

    assert (result.outcome, result.refusal_reason) == (Outcome.REFUSED, "Not enough balance")
    assert result.psp_reference == "8816178952380554"


@pytest.mark.parametrize("result_code, outcome, reason", [
    ("Pending", Outcome.PENDING, None),
    ("Received", Outcome.PENDING, None),
    ("Error", Outcome.REFUSED, "Error"),
    ("Cancelled", Outcome.REFUSED, "Cancelled"),
])
def test_other_result_codes_of_a_renewal(gateway, fake_adyen, result_code, outcome, reason):
    fake_adyen.respond("POST", "/payments", 200, {"pspReference": "881", "resultCode": result_code})

    result = gateway.charge_stored_method(renewal())

    assert (result.outcome, result.refusal_reason) == (outcome, reason)


# Errors: refused requests versus unknown outcomes ----------------------------------------------------------


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_client_errors_are_payment_errors_never_an_outage_to_retry(gateway, fake_adyen, status):
    fake_adyen.respond("POST", "/payments", status, {"status": status, "errorCode": "000", "message": "Nope"})

    with pytest.raises(PaymentError) as raised:
        gateway.charge_stored_method(renewal())

    # The library raises the same class for 404 as for 500: the status, not the class, must decide.
    assert not isinstance(raised.value, ProviderUnavailable)
    assert str(status) in str(raised.value)


def test_unprocessable_request_carries_adyens_error_code_and_message(gateway, fake_adyen):
    fake_adyen.respond("POST", "/sessions", 422, {"status": 422, "errorCode": "14_030",
                                                  "message": "Return URL is missing.", "errorType": "validation"})

    with pytest.raises(PaymentError, match="14_030.*Return URL is missing"):
        gateway.start_checkout(checkout_request())


def test_missing_api_key_is_refused_by_adyen_as_a_payment_error(fake_adyen):
    # The fake, like Adyen, answers 401 to a request without X-API-Key; here the key Adyen rejects is a wrong one.
    fake_adyen.respond("POST", "/sessions", 401, {"status": 401, "errorCode": "000",
                                                  "message": "HTTP Status Response - Unauthorized"})
    gateway = AdyenGateway("revoked-key", MERCHANT, HMAC_KEY, checkout_base_url=fake_adyen.base_url)

    with pytest.raises(PaymentError, match="401.*Unauthorized") as raised:
        gateway.start_checkout(checkout_request())
    assert not isinstance(raised.value, ProviderUnavailable)


@pytest.mark.parametrize("status, body", [
    (500, {"status": 500, "errorCode": "905", "message": "Payment details are not supported"}),
    (502, None),
    (503, {"status": 503, "errorCode": "000", "message": "Service Unavailable"}),
])
def test_server_errors_are_an_unknown_outcome(gateway, fake_adyen, status, body):
    fake_adyen.respond("POST", "/payments", status, body)

    with pytest.raises(ProviderUnavailable):
        gateway.charge_stored_method(renewal())


def test_html_error_page_from_a_proxy_is_an_unknown_outcome(gateway, fake_adyen):
    fake_adyen.respond("POST", "/payments", 502, raw=b"<html><body>Bad Gateway</body></html>")

    with pytest.raises(ProviderUnavailable):
        gateway.charge_stored_method(renewal())


@pytest.mark.parametrize("status, body", [
    (422, {"status": 422, "errorCode": "704", "message": "request already processed or in progress"}),
    (429, {"status": 429, "errorCode": "000", "message": "Too many requests"}),
])
def test_request_still_in_progress_or_throttled_is_retried_later(gateway, fake_adyen, status, body):
    fake_adyen.respond("POST", "/payments", status, body)

    with pytest.raises(ProviderUnavailable):
        gateway.charge_stored_method(renewal())


def test_slow_answer_is_an_unknown_outcome_and_the_retry_reuses_the_idempotency_key(fake_adyen):
    gateway = AdyenGateway(API_KEY, MERCHANT, HMAC_KEY, checkout_base_url=fake_adyen.base_url, timeout=0.5)
    fake_adyen.respond("POST", "/payments", 200, {"pspReference": "881", "resultCode": "Authorised"}, delay=2)
    charge = renewal()

    started = time.monotonic()
    with pytest.raises(ProviderUnavailable):
        gateway.charge_stored_method(charge)
    assert time.monotonic() - started < 1.5  # the gateway's timeout, not the library's 30 s default

    assert gateway.charge_stored_method(charge).outcome is Outcome.AUTHORISED
    keys = [r.header("Idempotency-Key") for r in fake_adyen.requests_to("POST", "/payments")]
    assert keys == ["renewal-42-2025-03", "renewal-42-2025-03"]


def test_unreachable_adyen_is_an_unknown_outcome(fake_adyen):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    gateway = AdyenGateway(API_KEY, MERCHANT, HMAC_KEY, checkout_base_url=f"http://127.0.0.1:{closed_port}")

    with pytest.raises(ProviderUnavailable):
        gateway.charge_stored_method(renewal())


def test_success_without_the_expected_fields_is_an_unknown_outcome(gateway, fake_adyen):
    fake_adyen.respond("POST", "/payments", 200, raw=b"")

    with pytest.raises(ProviderUnavailable):
        gateway.charge_stored_method(renewal())


# Refunds -------------------------------------------------------------------------------------------------------


def test_refund_is_asked_for_the_payment_under_its_own_reference_and_key(gateway, fake_adyen):
    fake_adyen.respond("POST", "/payments/8816178952380553/refunds", 201, {
        "pspReference": "993617895215577D", "paymentPspReference": "8816178952380553", "status": "received",
        "merchantAccount": MERCHANT, "reference": "RMB-000042-1"})

    result = gateway.refund(RefundRequest(psp_reference="8816178952380553", reference="RMB-000042-1",
                                          amount_cents=1990, idempotency_key="refund-ORD-000042"))

    assert result == RefundResult(psp_reference="993617895215577D", status="received")
    sent = only_request(fake_adyen)
    assert (sent.method, sent.path) == ("POST", "/payments/8816178952380553/refunds")
    assert sent.header("Idempotency-Key") == "refund-ORD-000042"
    assert sent.header("X-API-Key") == API_KEY
    assert sent.json == {"merchantAccount": MERCHANT, "amount": {"value": 1990, "currency": "EUR"},
                         "reference": "RMB-000042-1"}


# Configuration -------------------------------------------------------------------------------------------------

CONFIG = {"ADYEN_API_KEY": API_KEY, "ADYEN_MERCHANT_ACCOUNT": MERCHANT, "ADYEN_HMAC_KEY": HMAC_KEY}


def test_missing_api_key_in_the_configuration_is_named():
    with pytest.raises(PaymentError, match="ADYEN_API_KEY"):
        AdyenGateway.from_config({**CONFIG, "ADYEN_API_KEY": ""})


def test_live_environment_needs_its_url_prefix():
    with pytest.raises(PaymentError, match="ADYEN_LIVE_URL_PREFIX"):
        AdyenGateway.from_config({**CONFIG, "ADYEN_ENVIRONMENT": "live"})


@pytest.mark.parametrize("changes, named", [
    ({"ADYEN_ENVIRONMENT": "prod"}, "ADYEN_ENVIRONMENT"),
    ({"ADYEN_HMAC_KEY": "not-hex"}, "ADYEN_HMAC_KEY"),
    ({"ADYEN_MERCHANT_ACCOUNT": None}, "ADYEN_MERCHANT_ACCOUNT"),
])
def test_wrong_configuration_fails_at_start_up(changes, named):
    with pytest.raises(PaymentError, match=named):
        AdyenGateway.from_config({**CONFIG, **changes})


def test_configuration_builds_a_working_gateway(fake_adyen):
    gateway = AdyenGateway.from_config({**CONFIG, "ADYEN_CHECKOUT_BASE_URL": fake_adyen.base_url + "/"})

    assert gateway.name == "adyen"
    assert gateway.start_checkout(checkout_request()).session_id.startswith("CS-")
    assert only_request(fake_adyen).path == "/sessions"


# Webhooks ------------------------------------------------------------------------------------------------------


def item(**changes) -> dict:
    values = {
        "amount": {"value": 1990, "currency": "EUR"},
        "eventCode": "AUTHORISATION",
        "eventDate": "2025-03-01T10:15:00+01:00",
        "merchantAccountCode": MERCHANT,
        "merchantReference": "ORD-000042",
        "pspReference": "8816178952380553",
        "paymentMethod": "visa",
        "reason": "074538:1111:03/2030",
        "success": "true",
        "additionalData": {
            "tokenization.storedPaymentMethodId": "M5N7TQ4TG5PFWR50",
            "paymentMethod": "visa",
            "cardSummary": "1111",
        },
    }
    values.update(changes)
    return values


def forge(body: bytes, change) -> bytes:
    document = json.loads(body)
    change(document["notificationItems"][0]["NotificationRequestItem"])
    return json.dumps(document).encode()


def test_signed_authorisation_gives_the_stored_method_and_its_label(gateway):
    [notification] = gateway.parse_notifications(notification_body([item()], HMAC_KEY))

    assert notification.event_code == EventCode.AUTHORISATION
    assert notification.psp_reference == "8816178952380553"
    assert notification.merchant_reference == "ORD-000042"
    assert notification.success is True
    assert (notification.amount_cents, notification.currency) == (1990, "EUR")
    assert notification.stored_method_id == "M5N7TQ4TG5PFWR50"
    assert notification.method_label == "Visa •••• 1111"
    assert notification.reason == "074538:1111:03/2030"
    assert notification.original_reference is None
    assert notification.raw["eventDate"] == "2025-03-01T10:15:00+01:00"


def test_refund_notification_names_the_refunded_payment(gateway):
    refund = item(eventCode="REFUND", pspReference="993617895215577D", originalReference="8816178952380553",
                  merchantReference="RMB-000042-1", reason="", additionalData={})

    [notification] = gateway.parse_notifications(notification_body([refund], HMAC_KEY))

    assert notification.event_code == EventCode.REFUND
    assert notification.original_reference == "8816178952380553"
    assert notification.psp_reference == "993617895215577D"
    assert (notification.reason, notification.stored_method_id) == (None, None)
    assert notification.method_label == "Visa"  # the item's own paymentMethod, without a card summary


@pytest.mark.parametrize("event_code, reason", [
    (EventCode.CHARGEBACK, "Fraudulent transaction"),
    (EventCode.CANCELLATION, ""),
])
def test_chargeback_and_cancellation_notifications(gateway, event_code, reason):
    body = notification_body([item(eventCode=event_code.value, pspReference="9915555555555555",
                                   originalReference="8816178952380553", reason=reason)], HMAC_KEY)

    [notification] = gateway.parse_notifications(body)

    assert notification.event_code == event_code
    assert notification.original_reference == "8816178952380553"
    assert notification.reason == (reason or None)


def test_failed_authorisation_is_success_false(gateway):
    body = notification_body([item(success="false", reason="Refused")], HMAC_KEY)

    [notification] = gateway.parse_notifications(body)

    assert notification.success is False
    assert notification.reason == "Refused"


@pytest.mark.parametrize("additional, label, stored", [
    ({"paymentMethod": "mc", "cardSummary": "4444"}, "Mastercard •••• 4444", None),
    ({"paymentMethod": "amex", "cardSummary": "8431"}, "American Express •••• 8431", None),
    ({"paymentMethod": "cb", "cardSummary": "0006", "recurring.recurringDetailReference": "8415"},
     "CB •••• 0006", "8415"),
    ({"paymentMethod": "paypal", "tokenization.storedPaymentMethodId": "PP-TOKEN"}, "PayPal", "PP-TOKEN"),
])
def test_method_label_and_stored_method_per_brand(gateway, additional, label, stored):
    [notification] = gateway.parse_notifications(
        notification_body([item(paymentMethod=additional["paymentMethod"], additionalData=additional)], HMAC_KEY))

    assert (notification.method_label, notification.stored_method_id) == (label, stored)


def test_adyens_published_signature_verifies(gateway):
    published = {"pspReference": "7914073381342284", "originalReference": "", "merchantAccountCode": "TestMerchant",
                 "merchantReference": "TestPayment-1407325143704", "amount": {"value": 1130, "currency": "EUR"},
                 "eventCode": "AUTHORISATION", "success": "true",
                 "additionalData": {"hmacSignature": "coqCmt/IZ4E3CzPvMY8zTjQVL5hYJUiBRg8UU+iCWo0="}}
    body = json.dumps({"live": "false", "notificationItems": [{"NotificationRequestItem": published}]}).encode()

    assert [n.psp_reference for n in gateway.parse_notifications(body)] == ["7914073381342284"]
    assert sign_notification_item(published, HMAC_KEY) == "coqCmt/IZ4E3CzPvMY8zTjQVL5hYJUiBRg8UU+iCWo0="


def test_notification_signed_with_another_key_is_refused(gateway):
    with pytest.raises(InvalidNotification):
        gateway.parse_notifications(notification_body([item()], OTHER_KEY))


@pytest.mark.parametrize("tamper", [
    pytest.param(lambda i: i["amount"].update(value=1), id="amount"),
    pytest.param(lambda i: i["amount"].update(currency="USD"), id="currency"),
    pytest.param(lambda i: i.update(success="true" if i["success"] == "false" else "false"), id="success"),
    pytest.param(lambda i: i.update(eventCode="REFUND"), id="event"),
    pytest.param(lambda i: i.update(merchantReference="ORD-000043"), id="reference"),
    pytest.param(lambda i: i.update(pspReference="8816178952389999"), id="psp"),
])
def test_field_altered_after_signing_is_refused(gateway, tamper):
    body = forge(notification_body([item()], HMAC_KEY), tamper)

    with pytest.raises(InvalidNotification):
        gateway.parse_notifications(body)


@pytest.mark.parametrize("strip", [
    pytest.param(lambda i: i["additionalData"].pop("hmacSignature"), id="no-signature"),
    pytest.param(lambda i: i["additionalData"].update(hmacSignature=""), id="empty-signature"),
    pytest.param(lambda i: i.pop("additionalData"), id="no-additional-data"),
])
def test_unsigned_notification_is_refused(gateway, strip):
    body = forge(notification_body([item()], HMAC_KEY), strip)

    with pytest.raises(InvalidNotification):
        gateway.parse_notifications(body)


def test_one_forged_item_refuses_the_whole_batch(gateway):
    genuine = json.loads(notification_body([item()], HMAC_KEY))["notificationItems"]
    forged = json.loads(notification_body([item(pspReference="8816178952380999")], OTHER_KEY))["notificationItems"]
    body = json.dumps({"live": "false", "notificationItems": genuine + forged}).encode()

    with pytest.raises(InvalidNotification):
        gateway.parse_notifications(body)


def test_forged_item_cannot_borrow_the_signature_of_a_nested_genuine_item(gateway):
    genuine = json.loads(notification_body([item()], HMAC_KEY))
    forged = item(pspReference="FORGED", amount={"value": 1, "currency": "EUR"},
                  additionalData={"hmacSignature": "anything"}, notificationItems=genuine["notificationItems"])
    body = json.dumps({"live": "false", "notificationItems": [{"NotificationRequestItem": forged}]}).encode()

    with pytest.raises(InvalidNotification):
        gateway.parse_notifications(body)


@pytest.mark.parametrize("body", [
    b"not json", b"", b"[]", b'{"live": "false"}', b'{"notificationItems": {}}', b'{"notificationItems": [42]}',
    b'{"notificationItems": [{"NotificationRequestItem": "x"}]}',
])
def test_malformed_body_is_refused(gateway, body):
    with pytest.raises(InvalidNotification):
        gateway.parse_notifications(body)


def test_parsing_the_same_body_twice_gives_equal_notifications(gateway):
    body = notification_body([item(), item(eventCode="REFUND", originalReference="8816178952380553")], HMAC_KEY)

    first, second = gateway.parse_notifications(body), gateway.parse_notifications(body)

    assert first == second
    assert [n.event_code for n in first] == ["AUTHORISATION", "REFUND"]


def test_notification_body_is_what_adyen_posts(gateway):
    document = json.loads(notification_body([item()], HMAC_KEY, live=True))

    assert document["live"] == "true"
    signed = document["notificationItems"][0]["NotificationRequestItem"]
    assert signed["success"] == "true"
    assert signed["additionalData"]["hmacSignature"] == sign_notification_item(item(), HMAC_KEY)
    assert signed["additionalData"]["cardSummary"] == "1111"


def test_module_level_parser_used_by_the_simulated_gateway_verifies_the_same_way():
    body = notification_body([item()], HMAC_KEY)

    gateway = AdyenGateway(API_KEY, MERCHANT, HMAC_KEY)
    assert parse_notification_body(body, HMAC_KEY) == gateway.parse_notifications(body)
    with pytest.raises(InvalidNotification):
        parse_notification_body(body, OTHER_KEY)
