"""The payment provider, seen from the portal.

Two implementations: `simulated.SimulatedGateway` (the default; refuses to run in production) imitates a
hosted payment page and signed notifications so that the whole flow runs offline, and `adyen.AdyenGateway`
(Checkout API: sessions in hosted mode, stored payment methods for renewals, refunds, HMAC-signed webhooks).

Rules every caller relies on:
- Card numbers never reach the portal: the shopper pays on the provider's hosted page and comes back.
- An order is fulfilled only from a verified notification or a server-side status query, never from a
  parameter of the browser's return URL.
- Every call that moves money carries an idempotency key derived from the order or the renewal period; a
  timeout is an UNKNOWN outcome, retried with the same key, never a second charge.
- Amounts are integer cents, currency EUR.
"""

import enum
from dataclasses import dataclass, field
from typing import Any, Protocol


class PaymentError(Exception):
    """The provider refused the request itself (bad configuration, 401, 422): not a refused card."""


class ProviderUnavailable(PaymentError):
    """Timeout, connection error or 5xx: the outcome is unknown; retry later with the same idempotency key."""


class InvalidNotification(Exception):
    """A webhook whose HMAC signature does not verify (forged or corrupted): it is ignored."""


class MalformedNotification(InvalidNotification):
    """A signed webhook whose values cannot be what the provider sends (a reference longer than any the
    provider makes, an amount beyond any charge): refused as a bad request, nothing is recorded."""


class Outcome(enum.StrEnum):
    AUTHORISED = "authorised"
    REFUSED = "refused"
    PENDING = "pending"  # the shopper has not finished, or the provider has not decided yet
    CANCELLED = "cancelled"  # the shopper left the payment page
    UNKNOWN = "unknown"  # timeout: ask again later, never charge again


class PaymentMethod(enum.StrEnum):
    CARD = "card"
    PAYPAL = "paypal"


@dataclass(frozen=True)
class CheckoutRequest:
    """A first payment on the provider's hosted page, storing the method for monthly renewals."""

    reference: str  # the order's merchant reference, unique ("ORD-000042")
    amount_cents: int
    shopper_reference: str  # one per learner ("learner-42"): renewals charge the method stored under it
    shopper_email: str
    shopper_locale: str  # "fr-FR" or "en-GB"
    return_url: str  # absolute URL the shopper comes back to
    payment_method: PaymentMethod
    idempotency_key: str
    currency: str = "EUR"
    description: str = ""


@dataclass(frozen=True)
class HostedPayment:
    session_id: str
    redirect_url: str  # where the browser goes to pay

    @classmethod
    def already_open(cls, session_id: str | None, redirect_url: str | None) -> "HostedPayment | None":
        """The page opened before, stored as its two halves: a double click or a replay is sent back to it
        rather than opening a second payment."""
        if session_id and redirect_url:
            return cls(session_id, redirect_url)
        return None


def shopper_locale(language: str) -> str:
    """The provider's page in the learner's language."""
    return "en-GB" if language == "en" else "fr-FR"


@dataclass(frozen=True)
class PaymentResult:
    outcome: Outcome
    psp_reference: str | None = None
    refusal_reason: str | None = None
    stored_method_id: str | None = None  # the token renewals charge
    method_label: str | None = None  # masked, for the learner: "Visa •••• 1111", "PayPal"


@dataclass(frozen=True)
class RecurringCharge:
    """A renewal: the stored method, merchant-initiated (`shopperInteraction=ContAuth`)."""

    reference: str
    amount_cents: int
    shopper_reference: str
    stored_method_id: str
    idempotency_key: str
    currency: str = "EUR"
    payment_method: PaymentMethod = PaymentMethod.CARD


@dataclass(frozen=True)
class RefundRequest:
    psp_reference: str  # of the payment refunded
    reference: str  # the refund's own merchant reference
    amount_cents: int
    idempotency_key: str
    currency: str = "EUR"


@dataclass(frozen=True)
class RefundResult:
    psp_reference: str  # of the refund request; the REFUND notification confirms it
    status: str  # "received"


class EventCode(enum.StrEnum):
    AUTHORISATION = "AUTHORISATION"
    REFUND = "REFUND"
    CANCELLATION = "CANCELLATION"
    CHARGEBACK = "CHARGEBACK"


# The largest values a notification may carry: what the columns that record it hold (PostgreSQL enforces them).
REFERENCE_MAX_LENGTH = 80
EVENT_CODE_MAX_LENGTH = 40
STORED_METHOD_MAX_LENGTH = 120
REASON_MAX_LENGTH = 300
AMOUNT_MAX_CENTS = 2**31 - 1


@dataclass(frozen=True)
class Notification:
    """One verified webhook item (Adyen's standard notification format, for both gateways)."""

    event_code: str
    psp_reference: str
    merchant_reference: str
    success: bool
    amount_cents: int
    currency: str
    merchant_account: str = ""
    reason: str | None = None
    original_reference: str | None = None  # for REFUND / CHARGEBACK: the payment concerned
    stored_method_id: str | None = None
    method_label: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, compare=False)


class PaymentGateway(Protocol):
    name: str
    merchant_account: str  # the account notifications must be addressed to

    def start_checkout(self, request: CheckoutRequest) -> HostedPayment:
        """Open a hosted payment session; raises ProviderUnavailable or PaymentError."""

    def session_result(self, session_id: str, session_result: str | None = None) -> PaymentResult:
        """The server-side status of a hosted session (the browser's return parameters are not trusted)."""

    def charge_stored_method(self, charge: RecurringCharge) -> PaymentResult:
        """Charge a stored method (renewals); a refused card is a REFUSED result, not an exception."""

    def refund(self, request: RefundRequest) -> RefundResult:
        """Ask for a refund; the REFUND notification confirms it."""

    def parse_notifications(self, body: bytes) -> list[Notification]:
        """Verify (HMAC) and parse a webhook body; raises InvalidNotification when any item is forged."""
