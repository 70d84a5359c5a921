"""The Adyen gateway: Checkout API v72 (hosted sessions, stored methods for renewals, refunds) and HMAC-signed
standard notifications. The only module of the portal that imports the Adyen library."""

from __future__ import annotations

import binascii
import copy
import http.client
import json
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote

import Adyen
from Adyen.exceptions import AdyenAPIResponseError, AdyenError

from .gateway import (
    AMOUNT_MAX_CENTS,
    EVENT_CODE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    REFERENCE_MAX_LENGTH,
    STORED_METHOD_MAX_LENGTH,
    CheckoutRequest,
    HostedPayment,
    InvalidNotification,
    MalformedNotification,
    Notification,
    Outcome,
    PaymentError,
    PaymentMethod,
    PaymentResult,
    ProviderUnavailable,
    RecurringCharge,
    RefundRequest,
    RefundResult,
)

ENVIRONMENTS = ("test", "live")
COUNTRY_CODE = "FR"

ALLOWED_METHODS = {PaymentMethod.CARD: ["scheme"], PaymentMethod.PAYPAL: ["paypal"]}
STORED_METHOD_TYPES = {PaymentMethod.CARD: "scheme", PaymentMethod.PAYPAL: "paypal"}

SESSION_OUTCOMES = {
    "completed": Outcome.AUTHORISED,
    "paymentPending": Outcome.PENDING,
    "active": Outcome.PENDING,
    "canceled": Outcome.CANCELLED,
    "expired": Outcome.CANCELLED,
    "refused": Outcome.REFUSED,
}
PENDING_RESULT_CODES = {"Pending", "Received"}

BRAND_LABELS = {
    "visa": "Visa",
    "mc": "Mastercard",
    "amex": "American Express",
    "cb": "CB",
    "cartebancaire": "CB",
    "maestro": "Maestro",
    "paypal": "PayPal",
}
STORED_METHOD_KEYS = ("tokenization.storedPaymentMethodId", "recurring.recurringDetailReference")
# The fields Adyen's HMAC covers (amount gives value and currency); nothing else of an item is authenticated.
SIGNED_FIELDS = ("pspReference", "originalReference", "merchantAccountCode", "merchantReference", "amount",
                 "eventCode", "success")

# 408/429: Adyen did not process the request; 704: the same idempotency key is still being processed.
# All three mean "ask again later with the same key", like a 5xx.
RETRYABLE_STATUSES = {408, 429}
IN_PROGRESS_ERROR_CODE = "704"

# What the transport raises when no HTTP answer arrives: urllib's URLError, socket timeouts and refused
# connections are OSError, and so are requests' exceptions (RequestException subclasses IOError).
TRANSPORT_ERRORS = (OSError, http.client.HTTPException)


class AdyenGateway:
    name = "adyen"

    def __init__(self, api_key: str, merchant_account: str, hmac_key: str, environment: str = "test",
                 checkout_base_url: str | None = None, timeout: float = 15.0,
                 live_url_prefix: str | None = None) -> None:
        _check_settings(api_key, merchant_account, hmac_key, environment, checkout_base_url, live_url_prefix)
        self.merchant_account = merchant_account
        self.environment = environment
        self._hmac_key = hmac_key
        # One client per gateway: the library's module-level client is shared process-wide state.
        adyen = Adyen.Adyen(xapikey=api_key, platform=environment, http_timeout=timeout,
                            live_endpoint_prefix=live_url_prefix, merchant_account=merchant_account,
                            # The library otherwise picks requests or pycurl when importable, each raising
                            # its own errors; urllib is always there and is the transport the tests exercise.
                            http_force="urllib")
        self._payments = adyen.checkout.payments_api
        self._modifications = adyen.checkout.modifications_api
        if checkout_base_url:
            # Each service object builds its URLs from its own `baseUrl` (version included); the client only
            # swaps "-test"/"-live" in it, which a local URL does not contain.
            for service in (self._payments, self._modifications):
                service.baseUrl = checkout_base_url.rstrip("/")

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> AdyenGateway:
        environment = config.get("ADYEN_ENVIRONMENT") or "test"
        required = ["ADYEN_API_KEY", "ADYEN_MERCHANT_ACCOUNT", "ADYEN_HMAC_KEY"]
        if environment == "live" and not config.get("ADYEN_CHECKOUT_BASE_URL"):
            required.append("ADYEN_LIVE_URL_PREFIX")
        missing = [key for key in required if not config.get(key)]
        if missing:
            raise PaymentError(f"Adyen is not configured: missing {', '.join(missing)}")
        return cls(api_key=config["ADYEN_API_KEY"], merchant_account=config["ADYEN_MERCHANT_ACCOUNT"],
                   hmac_key=config["ADYEN_HMAC_KEY"], environment=environment,
                   checkout_base_url=config.get("ADYEN_CHECKOUT_BASE_URL") or None,
                   live_url_prefix=config.get("ADYEN_LIVE_URL_PREFIX") or None)

    # Checkout API -----------------------------------------------------------------------------------------

    def start_checkout(self, request: CheckoutRequest) -> HostedPayment:
        body = {
            "mode": "hosted",
            "merchantAccount": self.merchant_account,
            "amount": _amount(request.amount_cents, request.currency),
            "reference": request.reference,
            "returnUrl": request.return_url,
            "shopperReference": request.shopper_reference,
            "shopperEmail": request.shopper_email,
            "shopperLocale": request.shopper_locale,
            "countryCode": COUNTRY_CODE,
            "storePaymentMethodMode": "enabled",
            "recurringProcessingModel": "Subscription",
            "shopperInteraction": "Ecommerce",
            "allowedPaymentMethods": ALLOWED_METHODS[PaymentMethod(request.payment_method)],
        }
        response = self._call(self._payments.sessions, body, idempotency_key=request.idempotency_key)
        return HostedPayment(session_id=_required(response, "id"), redirect_url=_required(response, "url"))

    def session_result(self, session_id: str, session_result: str | None = None) -> PaymentResult:
        options = {}
        if session_result:
            # The library appends query parameters without encoding them, and sessionResult is base64-like.
            options["query_parameters"] = {"sessionResult": quote(session_result, safe="")}
        response = self._call(self._payments.get_result_of_payment_session, quote(session_id, safe=""), **options)
        outcome = SESSION_OUTCOMES.get(str(response.get("status")), Outcome.UNKNOWN)
        return PaymentResult(outcome=outcome, psp_reference=_session_psp_reference(response))

    def charge_stored_method(self, charge: RecurringCharge) -> PaymentResult:
        body = {
            "merchantAccount": self.merchant_account,
            "amount": _amount(charge.amount_cents, charge.currency),
            "reference": charge.reference,
            "shopperReference": charge.shopper_reference,
            "paymentMethod": {"type": _stored_method_type(charge), "storedPaymentMethodId": charge.stored_method_id},
            "shopperInteraction": "ContAuth",
            "recurringProcessingModel": "Subscription",
        }
        response = self._call(self._payments.payments, body, idempotency_key=charge.idempotency_key)
        return _charge_result(response)

    def refund(self, request: RefundRequest) -> RefundResult:
        body = {
            "merchantAccount": self.merchant_account,
            "amount": _amount(request.amount_cents, request.currency),
            "reference": request.reference,
        }
        response = self._call(self._modifications.refund_captured_payment, body,
                              quote(request.psp_reference, safe=""), idempotency_key=request.idempotency_key)
        return RefundResult(psp_reference=_required(response, "pspReference"), status=_required(response, "status"))

    def _call(self, operation: Callable[..., Any], *args: Any, **kwargs: Any) -> dict[str, Any]:
        try:
            result = operation(*args, **kwargs)
        except AdyenAPIResponseError as error:
            raise _http_error(error) from error
        except AdyenError as error:
            raise PaymentError(f"Adyen request not sent: {error.message}") from error
        except TRANSPORT_ERRORS as error:
            # No answer: Adyen may or may not have acted, only a retry with the same key tells.
            raise ProviderUnavailable(f"Adyen did not answer: {error!r}") from error
        if not isinstance(result.message, dict):
            raise ProviderUnavailable(f"Adyen answered HTTP {result.status_code} without a JSON object")
        return result.message

    # Notifications ----------------------------------------------------------------------------------------

    def parse_notifications(self, body: bytes) -> list[Notification]:
        return parse_notification_body(body, self._hmac_key)


# Notifications, shared with the simulated gateway ------------------------------------------------------------


def parse_notification_body(body: bytes, hmac_key: str) -> list[Notification]:
    """Verify every item of a standard notification body, then parse them; InvalidNotification otherwise."""
    items = _notification_items(body)
    # Every item is verified before any is parsed: one forged item refuses the whole batch.
    for item in items:
        _verify(item, hmac_key)
    return [_notification(item) for item in items]


def sign_notification_item(item: dict[str, Any], hmac_key: str) -> str:
    """Adyen's HMAC signature (base64) of one NotificationRequestItem; additionalData is not signed."""
    signature: bytes = Adyen.util.generate_notification_sig(item, hmac_key)
    return signature.decode("ascii")


def notification_body(items: list[dict[str, Any]], hmac_key: str, live: bool = False) -> bytes:
    """A webhook body as Adyen posts it, each item signed in additionalData.hmacSignature."""
    signed = []
    for item in items:
        item = copy.deepcopy(item)
        item.setdefault("additionalData", {}).pop("hmacSignature", None)
        item["additionalData"]["hmacSignature"] = sign_notification_item(item, hmac_key)
        signed.append({"NotificationRequestItem": item})
    # Adyen sends `live` as a string, like `success`.
    return json.dumps({"live": "true" if live else "false", "notificationItems": signed}).encode()


def method_label(payment_method: str | None, card_summary: str | None = None) -> str | None:
    """What the learner sees of a method: "Visa •••• 1111", "PayPal"."""
    if not payment_method:
        return None
    brand = BRAND_LABELS.get(payment_method.lower(), payment_method.capitalize())
    if card_summary and payment_method.lower() != "paypal":
        return f"{brand} •••• {card_summary}"
    return brand


def _verify(item: dict[str, Any], hmac_key: str) -> None:
    additional = item.get("additionalData")
    signature = additional.get("hmacSignature") if isinstance(additional, dict) else None
    if not isinstance(signature, str) or not signature:
        raise InvalidNotification(f"notification {item.get('pspReference')!r} is not signed")
    # Only the signed fields go to the library: given a whole item carrying a `notificationItems` key, it
    # would verify the first item nested there instead, letting a forged item borrow a genuine signature.
    signed_view = {key: item[key] for key in SIGNED_FIELDS if key in item}
    signed_view["additionalData"] = {"hmacSignature": signature}
    try:
        valid = Adyen.util.is_valid_hmac_notification(signed_view, hmac_key)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise InvalidNotification(f"notification {item.get('pspReference')!r} is malformed") from error
    if not valid:
        raise InvalidNotification(f"notification {item.get('pspReference')!r} has a wrong signature")


def _notification_items(body: bytes) -> list[dict[str, Any]]:
    try:
        document = json.loads(body)
    except (ValueError, TypeError) as error:
        raise InvalidNotification("the notification body is not JSON") from error
    wrappers = document.get("notificationItems") if isinstance(document, dict) else None
    if not isinstance(wrappers, list):
        raise InvalidNotification("the notification body has no notificationItems")
    items = [wrapper.get("NotificationRequestItem") if isinstance(wrapper, dict) else None for wrapper in wrappers]
    checked = [item for item in items if isinstance(item, dict)]
    if len(checked) != len(items):
        raise InvalidNotification("a notification item is not a NotificationRequestItem")
    return checked


def _notification(item: dict[str, Any]) -> Notification:
    additional = item.get("additionalData") or {}
    amount = item.get("amount") or {}
    try:
        amount_cents = int(amount["value"])
        reason = item.get("reason")
        notification = Notification(
            event_code=str(item["eventCode"]),
            psp_reference=str(item["pspReference"]),
            merchant_reference=str(item.get("merchantReference") or ""),
            success=item.get("success") == "true",
            amount_cents=amount_cents,
            currency=str(amount["currency"]),
            merchant_account=str(item.get("merchantAccountCode") or ""),
            # Free text from the provider, kept for information only: the recorded length is enough.
            reason=str(reason)[:REASON_MAX_LENGTH] if reason else None,
            original_reference=item.get("originalReference") or None,
            stored_method_id=next((additional[key] for key in STORED_METHOD_KEYS if additional.get(key)), None),
            method_label=method_label(additional.get("paymentMethod") or item.get("paymentMethod"),
                                      additional.get("cardSummary")),
            raw=item,
        )
    except (KeyError, TypeError, ValueError) as error:
        raise InvalidNotification(f"notification {item.get('pspReference')!r} lacks a field: {error}") from error
    _check_sizes(notification)
    return notification


def _check_sizes(notification: Notification) -> None:
    """Refuse what no column can record (and no provider sends), rather than fail while recording it."""
    limits = {"pspReference": (notification.psp_reference, REFERENCE_MAX_LENGTH),
              "merchantReference": (notification.merchant_reference, REFERENCE_MAX_LENGTH),
              "originalReference": (notification.original_reference or "", REFERENCE_MAX_LENGTH),
              "merchantAccountCode": (notification.merchant_account, REFERENCE_MAX_LENGTH),
              "eventCode": (notification.event_code, EVENT_CODE_MAX_LENGTH),
              "currency": (notification.currency, 3),
              "storedPaymentMethodId": (notification.stored_method_id or "", STORED_METHOD_MAX_LENGTH),
              "paymentMethod": (notification.method_label or "", REFERENCE_MAX_LENGTH)}
    for name, (value, limit) in limits.items():
        if not isinstance(value, str) or len(value) > limit or "\x00" in value:
            raise MalformedNotification(f"notification field {name} is not a usable value")
    if not notification.psp_reference or not 0 <= notification.amount_cents <= AMOUNT_MAX_CENTS:
        raise MalformedNotification("notification without a reference or with an impossible amount")


# Checkout helpers ----------------------------------------------------------------------------------------------


def _check_settings(api_key: str, merchant_account: str, hmac_key: str, environment: str,
                    checkout_base_url: str | None, live_url_prefix: str | None) -> None:
    # Fail at start-up rather than on the first payment or the first webhook.
    if not api_key or not merchant_account:
        raise PaymentError("Adyen needs an API key and a merchant account")
    if environment not in ENVIRONMENTS:
        raise PaymentError(f"ADYEN_ENVIRONMENT must be 'test' or 'live', not {environment!r}")
    if environment == "live" and not live_url_prefix and not checkout_base_url:
        raise PaymentError("the live environment needs ADYEN_LIVE_URL_PREFIX")
    if checkout_base_url and not checkout_base_url.startswith(("http://", "https://")):
        raise PaymentError(f"ADYEN_CHECKOUT_BASE_URL must be an http(s) URL, not {checkout_base_url!r}")
    if not _is_hex(hmac_key):
        raise PaymentError("ADYEN_HMAC_KEY must be the hexadecimal key of the webhook")


def _is_hex(key: str) -> bool:
    try:
        return bool(binascii.a2b_hex(key))
    except (ValueError, TypeError, binascii.Error):
        return False


def _amount(cents: int, currency: str) -> dict[str, Any]:
    return {"value": cents, "currency": currency}


def _required(response: dict[str, Any], key: str) -> Any:
    # A 2xx without the expected field says nothing about what Adyen did: treat it as no answer.
    if key not in response:
        raise ProviderUnavailable(f"Adyen's answer has no {key!r}")
    return response[key]


def _stored_method_type(charge: RecurringCharge) -> str:
    # RecurringCharge does not say yet which kind of method was stored; renewals are cards until it does.
    return STORED_METHOD_TYPES[PaymentMethod(getattr(charge, "payment_method", PaymentMethod.CARD))]


def _charge_result(response: dict[str, Any]) -> PaymentResult:
    code = _required(response, "resultCode")
    psp_reference = response.get("pspReference")
    if code == "Authorised":
        return PaymentResult(outcome=Outcome.AUTHORISED, psp_reference=psp_reference)
    if code in PENDING_RESULT_CODES:
        return PaymentResult(outcome=Outcome.PENDING, psp_reference=psp_reference)
    reason = response.get("refusalReason") if code == "Refused" else None
    return PaymentResult(outcome=Outcome.REFUSED, psp_reference=psp_reference, refusal_reason=reason or code)


def _session_psp_reference(response: dict[str, Any]) -> str | None:
    payments = [payment for payment in response.get("payments") or [] if isinstance(payment, dict)]
    authorised = [payment for payment in payments if payment.get("resultCode") == "Authorised"]
    chosen = (authorised or payments or [{}])[-1]
    return chosen.get("pspReference")


def _http_error(error: AdyenAPIResponseError) -> PaymentError:
    status = _status(error)
    detail = error.message if isinstance(error.message, dict) else {"message": str(error.message)[:200]}
    code = str(detail.get("errorCode") or error.error_code or "")
    text = f"Adyen HTTP {status} {code}: {detail.get('message') or ''}".strip()
    transient = _header(error, "Transient-Error") == "true"
    if status >= 500 or status in RETRYABLE_STATUSES or code == IN_PROGRESS_ERROR_CODE or transient:
        return ProviderUnavailable(text)
    return PaymentError(text)


def _status(error: AdyenError) -> int:
    try:
        return int(error.status_code)
    except (TypeError, ValueError):
        return 0


def _header(error: AdyenError, name: str) -> str | None:
    if not hasattr(error.headers, "get"):
        return None
    value = error.headers.get(name)
    return str(value).lower() if value is not None else None
