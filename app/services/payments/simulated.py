"""The simulated payment provider: a hosted payment page on the portal itself, Adyen's test cards, stored
methods for renewals, and notifications signed exactly like Adyen's, delivered through the same webhook code.

It lets the whole flow run offline (development, demo, tests) and refuses to run in production.
Test cards: 4111 1111 1111 1111 (Visa) and 5555 5555 5555 4444 (Mastercard) are authorised; 4000 0000 0000 0002,
or a card holder named DECLINED, is refused.
"""

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import select

from app.extensions import db
from app.models import SimulatedCharge, SimulatedPaymentSession, SimulatedStoredMethod
from app.services.common import clock
from app.services.payments import adyen
from app.services.payments.gateway import (
    CheckoutRequest,
    HostedPayment,
    Notification,
    Outcome,
    PaymentResult,
    RecurringCharge,
    RefundRequest,
    RefundResult,
)

AUTHORISED_CARDS = {"4111111111111111": ("visa", "Visa"), "5555555555554444": ("mc", "Mastercard")}
REFUSED_CARDS = {"4000000000000002": ("visa", "Visa")}
REFUSAL_REASON = "Refused"
MERCHANT_ACCOUNT = "SimulatedMerchant"


class CardRejected(ValueError):
    """Not a test card this simulator knows: the form says so, no payment is attempted."""


@dataclass(frozen=True)
class CardEntry:
    number: str
    holder: str
    expiry: str  # MM/YY
    cvc: str


def _psp() -> str:
    return f"SIM{secrets.token_hex(6).upper()}"


class SimulatedGateway:
    name = "simulated"
    merchant_account = MERCHANT_ACCOUNT

    def __init__(self, hmac_key: str, page_url: Callable[[str], str], deliver: Callable[[bytes], object]) -> None:
        self.hmac_key = hmac_key
        self._page_url = page_url  # the simulated hosted page for a session id
        self._deliver = deliver  # posts a signed notification body to the webhook processing

    # --- the PaymentGateway interface -------------------------------------------------------------
    def start_checkout(self, request: CheckoutRequest) -> HostedPayment:
        existing = db.session.scalar(select(SimulatedPaymentSession).where(
            SimulatedPaymentSession.idempotency_key == request.idempotency_key))
        if existing is None:
            existing = SimulatedPaymentSession(
                session_id=f"SIMCS{secrets.token_hex(10).upper()}", idempotency_key=request.idempotency_key,
                reference=request.reference, amount_cents=request.amount_cents, currency=request.currency,
                shopper_reference=request.shopper_reference, shopper_locale=request.shopper_locale,
                payment_method=request.payment_method.value, return_url=request.return_url,
                created_at=clock.now())
            db.session.add(existing)
            db.session.flush()
        return HostedPayment(existing.session_id, self._page_url(existing.session_id))

    def session_result(self, session_id: str, session_result: str | None = None) -> PaymentResult:
        session = self.session(session_id)
        if session is None or session.status == "active":
            return PaymentResult(Outcome.PENDING)
        if session.status == "completed":
            return PaymentResult(Outcome.AUTHORISED, session.psp_reference, None, session.stored_method_id,
                                 session.method_label)
        if session.status == "refused":
            return PaymentResult(Outcome.REFUSED, session.psp_reference, session.refusal_reason)
        return PaymentResult(Outcome.CANCELLED)

    def charge_stored_method(self, charge: RecurringCharge) -> PaymentResult:
        done = db.session.scalar(select(SimulatedCharge).where(
            SimulatedCharge.idempotency_key == charge.idempotency_key))
        if done is None:
            method = db.session.scalar(select(SimulatedStoredMethod).where(
                SimulatedStoredMethod.token == charge.stored_method_id,
                SimulatedStoredMethod.shopper_reference == charge.shopper_reference))
            refused = method is None or method.refuses
            done = SimulatedCharge(idempotency_key=charge.idempotency_key, kind="payment", reference=charge.reference,
                                   amount_cents=charge.amount_cents, psp_reference=_psp(),
                                   result="refused" if refused else "authorised",
                                   reason="Insufficient Funds" if refused else None, created_at=clock.now())
            db.session.add(done)
            db.session.flush()
        if done.result == "refused":
            return PaymentResult(Outcome.REFUSED, done.psp_reference, done.reason)
        return PaymentResult(Outcome.AUTHORISED, done.psp_reference, None, charge.stored_method_id)

    def refund(self, request: RefundRequest) -> RefundResult:
        done = db.session.scalar(select(SimulatedCharge).where(
            SimulatedCharge.idempotency_key == request.idempotency_key))
        if done is None:
            done = SimulatedCharge(idempotency_key=request.idempotency_key, kind="refund", reference=request.reference,
                                   amount_cents=request.amount_cents, psp_reference=_psp(), result="received",
                                   created_at=clock.now())
            db.session.add(done)
            db.session.flush()
            self._notify({"eventCode": "REFUND", "success": "true", "pspReference": done.psp_reference,
                          "originalReference": request.psp_reference, "merchantReference": request.reference,
                          "amount": {"value": request.amount_cents, "currency": request.currency}})
        return RefundResult(done.psp_reference, "received")

    def parse_notifications(self, body: bytes) -> list[Notification]:
        return adyen.parse_notification_body(body, self.hmac_key)

    # --- the simulated hosted page ----------------------------------------------------------------
    def session(self, session_id: str) -> SimulatedPaymentSession | None:
        return db.session.scalar(select(SimulatedPaymentSession).where(
            SimulatedPaymentSession.session_id == session_id))

    def pay_by_card(self, session: SimulatedPaymentSession, card: CardEntry) -> str:
        """Decide as the bank would, notify the portal, and give the URL the shopper returns to."""
        number = "".join(ch for ch in card.number if ch.isdigit())
        known = AUTHORISED_CARDS.get(number) or REFUSED_CARDS.get(number)
        if known is None:
            raise CardRejected(number)
        brand, label = known
        refused = number in REFUSED_CARDS or card.holder.strip().upper() == "DECLINED"
        return self._decide(session, refused, brand, f"{label} •••• {number[-4:]}", number[-4:])

    def pay_with_paypal(self, session: SimulatedPaymentSession) -> str:
        return self._decide(session, False, "paypal", "PayPal", None)

    def cancel(self, session: SimulatedPaymentSession) -> str:
        if session.status == "active":
            session.status = "canceled"
            db.session.flush()
        return self._return_url(session)

    def _decide(self, session: SimulatedPaymentSession, refused: bool, brand: str, label: str,
                last4: str | None) -> str:
        if session.status != "active":  # paid already (a replayed form): never a second charge
            return self._return_url(session)
        session.psp_reference = _psp()
        session.method_label = label
        additional = {"paymentMethod": brand}
        if last4:
            additional["cardSummary"] = last4
        if refused:
            session.status, session.refusal_reason = "refused", REFUSAL_REASON
            additional["refusalReasonRaw"] = REFUSAL_REASON
        else:
            token = f"SIMTOKEN{secrets.token_hex(8).upper()}"
            db.session.add(SimulatedStoredMethod(token=token, shopper_reference=session.shopper_reference,
                                                 label=label, created_at=clock.now()))
            session.status, session.stored_method_id = "completed", token
            additional["tokenization.storedPaymentMethodId"] = token
        db.session.flush()
        self._notify({"eventCode": "AUTHORISATION", "success": "false" if refused else "true",
                      "pspReference": session.psp_reference, "merchantReference": session.reference,
                      "reason": REFUSAL_REASON if refused else "",
                      "amount": {"value": session.amount_cents, "currency": session.currency},
                      "additionalData": additional})
        return self._return_url(session)

    def _return_url(self, session: SimulatedPaymentSession) -> str:
        result = {"completed": "authorised", "refused": "refused"}.get(session.status, session.status)
        separator = "&" if "?" in session.return_url else "?"
        return f"{session.return_url}{separator}{urlencode({'sessionId': session.session_id, 'sessionResult': result})}"

    def _notify(self, item: dict[str, Any]) -> None:
        item = {"merchantAccountCode": self.merchant_account, "eventDate": clock.now().isoformat(), **item}
        self._deliver(adyen.notification_body([item], self.hmac_key))
