"""Money movements, append-only: every charge, refund, failure and chargeback is a row of its own."""

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model
from app.models._types import UTCDateTime, string_enum


class TransactionKind(enum.StrEnum):
    CHARGE = "charge"
    FAILURE = "failure"
    REFUND = "refund"
    CHARGEBACK = "chargeback"


class PaymentTransaction(Model):
    __tablename__ = "payment_transaction"
    __table_args__ = (UniqueConstraint("provider", "psp_reference", "kind", name="uq_payment_transaction_psp"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[TransactionKind] = mapped_column(
        string_enum(TransactionKind))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("customer_order.id"), nullable=True, index=True)
    subscription_id: Mapped[int | None] = mapped_column(ForeignKey("subscription.id"), nullable=True, index=True)
    amount_cents: Mapped[int] = mapped_column(Integer)  # always positive; the kind gives the direction
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    # A refund or chargeback: the charge it gives back (what remains refundable is counted on it).
    original_id: Mapped[int | None] = mapped_column(ForeignKey("payment_transaction.id"), nullable=True, index=True)
    provider: Mapped[str] = mapped_column(String(20))
    psp_reference: Mapped[str] = mapped_column(String(80))
    merchant_reference: Mapped[str] = mapped_column(String(80))
    method_label: Mapped[str | None] = mapped_column(String(80), nullable=True)
    reason: Mapped[str | None] = mapped_column(String(300), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class NotificationOutcome(enum.StrEnum):
    APPLIED = "applied"  # acted on (or nothing to do: a replay of what is already recorded)
    REJECTED = "rejected"  # signed, but not what it claims to pay for: kept with its reason, no effect
    PENDING = "pending"  # a refund that arrived before its payment: applied when the payment arrives


class ProcessedNotification(Model):
    """Each provider notification is acted on once: a replayed one finds its row and changes nothing.
    The row keeps what the notification said, so that a rejected one can be investigated and a refund
    that arrived before its payment can be applied later."""

    __tablename__ = "processed_notification"
    __table_args__ = (
        UniqueConstraint("provider", "event_code", "psp_reference", "success", name="uq_processed_notification"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(20))
    event_code: Mapped[str] = mapped_column(String(40))
    psp_reference: Mapped[str] = mapped_column(String(80))
    success: Mapped[bool] = mapped_column(Boolean)
    merchant_reference: Mapped[str] = mapped_column(String(80))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    outcome: Mapped[NotificationOutcome] = mapped_column(string_enum(NotificationOutcome),
                                                         default=NotificationOutcome.APPLIED,
                                                         server_default=NotificationOutcome.APPLIED.value, index=True)
    reason: Mapped[str | None] = mapped_column(String(300), nullable=True)  # why it was rejected
    merchant_account: Mapped[str | None] = mapped_column(String(80), nullable=True)
    amount_cents: Mapped[int | None] = mapped_column(Integer, nullable=True)
    currency: Mapped[str | None] = mapped_column(String(3), nullable=True)
    original_reference: Mapped[str | None] = mapped_column(String(80), nullable=True, index=True)
    provider_reason: Mapped[str | None] = mapped_column(String(300), nullable=True)


class SimulatedPaymentSession(Model):
    """The simulated provider's own records (what Adyen keeps on its side)."""

    __tablename__ = "simulated_payment_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[str] = mapped_column(String(60), unique=True)
    idempotency_key: Mapped[str] = mapped_column(String(100), unique=True)
    reference: Mapped[str] = mapped_column(String(80))
    amount_cents: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    shopper_reference: Mapped[str] = mapped_column(String(60))
    shopper_locale: Mapped[str] = mapped_column(String(10))
    payment_method: Mapped[str] = mapped_column(String(20))
    return_url: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="active")  # active, completed, refused, canceled
    psp_reference: Mapped[str | None] = mapped_column(String(40), nullable=True)
    refusal_reason: Mapped[str | None] = mapped_column(String(200), nullable=True)
    stored_method_id: Mapped[str | None] = mapped_column(String(60), nullable=True)
    method_label: Mapped[str | None] = mapped_column(String(80), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    @property
    def pays_with_paypal(self) -> bool:
        """PayPal is approved on its own page; a card is typed in."""
        return self.payment_method == "paypal"


class SimulatedStoredMethod(Model):
    """A card or PayPal account the simulated provider tokenised for renewals."""

    __tablename__ = "simulated_stored_method"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(60), unique=True)
    shopper_reference: Mapped[str] = mapped_column(String(60), index=True)
    label: Mapped[str] = mapped_column(String(80))
    refuses: Mapped[bool] = mapped_column(Boolean, default=False)  # a card that declines renewals (tests)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SimulatedCharge(Model):
    """Charges and refunds the simulated provider made, by idempotency key (a retry finds the first)."""

    __tablename__ = "simulated_charge"

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # payment, refund
    reference: Mapped[str] = mapped_column(String(80))
    amount_cents: Mapped[int] = mapped_column(Integer)
    psp_reference: Mapped[str] = mapped_column(String(40))
    result: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class RenewalStatus(enum.StrEnum):
    PENDING = "pending"  # recorded before the provider is asked: a crash resumes it with the same key
    PAID = "paid"
    FAILED = "failed"  # this try was refused; `next_try_at` says when to try again


class Renewal(Model):
    """One monthly period of a subscription to be paid, and its tries (at most one paid per period)."""

    __tablename__ = "renewal"
    __table_args__ = (UniqueConstraint("subscription_id", "period_start", name="uq_renewal_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscription.id"), index=True)
    period_start: Mapped[datetime] = mapped_column(UTCDateTime())
    period_end: Mapped[datetime] = mapped_column(UTCDateTime())
    amount_cents: Mapped[int] = mapped_column(Integer)
    discount_cents: Mapped[int] = mapped_column(Integer, default=0)  # the promo discount, TTC
    # Referral rewards spent on this period (art. 4), TTC; given back if the period is never paid.
    referral_credit_cents: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    status: Mapped[RenewalStatus] = mapped_column(
        string_enum(RenewalStatus))
    tries: Mapped[int] = mapped_column(Integer, default=1)
    next_try_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    psp_reference: Mapped[str | None] = mapped_column(String(80), nullable=True)
    refusal_reason: Mapped[str | None] = mapped_column(String(300), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # "Régler": the learner pays the overdue period at once on the provider's page (with a new method if need be).
    settle_attempt: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    settle_session_id: Mapped[str | None] = mapped_column(String(120), nullable=True)
    settle_redirect_url: Mapped[str | None] = mapped_column(Text, nullable=True)

    @property
    def idempotency_key(self) -> str:
        """Per subscription, period and try: a resumed try repeats its key, a new try gets its own."""
        return f"renewal-{self.subscription_id}-{self.period_start:%Y%m%d}-{self.tries}"


class MethodUpdateStatus(enum.StrEnum):
    OPEN = "open"  # the provider's page is open
    STORED = "stored"  # the new method replaced the old one
    FAILED = "failed"  # refused or abandoned: the old method stays


class PaymentMethodUpdate(Model):
    """The learner replaces the stored payment method on the provider's page (a zero-amount verification
    that stores the new method); renewals charge it from then on."""

    __tablename__ = "payment_method_update"

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscription.id"), index=True)
    status: Mapped[MethodUpdateStatus] = mapped_column(string_enum(MethodUpdateStatus))
    method: Mapped[str] = mapped_column(String(20))  # card, paypal: what the learner chose to use now
    session_id: Mapped[str | None] = mapped_column(String(120), nullable=True)
    redirect_url: Mapped[str | None] = mapped_column(Text, nullable=True)
    method_label: Mapped[str | None] = mapped_column(String(80), nullable=True)  # the new method, masked
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
