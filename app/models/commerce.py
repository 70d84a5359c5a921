"""Offers and what a learner buys: prices, promo codes, orders, consents, subscriptions, guardians."""

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models._types import UTCDateTime, string_enum
from app.models.catalog import Parcours
from app.models.user import User


class OfferKind(enum.StrEnum):
    SOLO = "solo"
    PLUS = "plus"


class PriceSetting(Model):
    """A price that is not a Parcours': the Premium Solo monthly price (`premium_solo_monthly`)."""

    __tablename__ = "price_setting"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    amount_cents: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DiscountKind(enum.StrEnum):
    PERCENT = "percent"
    AMOUNT = "amount"


class PromoCode(Model):
    __tablename__ = "promo_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)  # stored upper case
    kind: Mapped[DiscountKind] = mapped_column(string_enum(DiscountKind, 30))
    value: Mapped[int] = mapped_column(Integer)  # a percentage (1-100) or cents off each discounted month
    months: Mapped[int] = mapped_column(Integer, default=1)  # how many first months it applies to
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)
    max_uses: Mapped[int | None] = mapped_column(Integer, nullable=True)
    offer: Mapped[OfferKind | None] = mapped_column(string_enum(OfferKind, 30), nullable=True)  # None: both offers
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class OrderStatus(enum.StrEnum):
    DRAFT = "draft"  # steps 1-3, nothing charged
    PAYING = "paying"  # "Valider" pressed: a hosted payment session is open
    PAID = "paid"  # Solo: the first month is paid, the subscription is active
    ACCEPTED = "accepted"  # Plus: terms accepted, reflection period running, nothing charged
    ABANDONED = "abandoned"


class Order(Model):
    """A checkout in progress or done. What the review showed is stored here and is what gets charged."""

    __tablename__ = "customer_order"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(30), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    offer: Mapped[OfferKind] = mapped_column(string_enum(OfferKind, 30))
    parcours_id: Mapped[int | None] = mapped_column(ForeignKey("parcours.id"), nullable=True)
    status: Mapped[OrderStatus] = mapped_column(string_enum(OrderStatus, 30), default=OrderStatus.DRAFT)
    # Step 1: personal details and billing address.
    billing_name: Mapped[str] = mapped_column(String(200), default="")
    billing_address: Mapped[str] = mapped_column(String(300), default="")
    billing_postal_code: Mapped[str] = mapped_column(String(20), default="")
    billing_city: Mapped[str] = mapped_column(String(120), default="")
    billing_country: Mapped[str] = mapped_column(String(2), default="FR")
    # Optional, for a learner whose employer pays: printed on the invoices issued after they are given.
    billing_company: Mapped[str] = mapped_column(String(200), default="", server_default="")
    billing_vat_number: Mapped[str] = mapped_column(String(20), default="", server_default="")
    details_done: Mapped[bool] = mapped_column(Boolean, default=False)
    # Step 2: payment method, promo code, consents.
    payment_method: Mapped[str] = mapped_column(String(20), default="card")
    promo_code_id: Mapped[int | None] = mapped_column(ForeignKey("promo_code.id"), nullable=True)
    referrer_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    payment_done: Mapped[bool] = mapped_column(Boolean, default=False)
    # The prices of the review, fixed when step 2 is completed.
    monthly_price_cents: Mapped[int] = mapped_column(Integer, default=0)
    discount_cents: Mapped[int] = mapped_column(Integer, default=0)  # off each discounted month
    discounted_months: Mapped[int] = mapped_column(Integer, default=0)
    # Payment of the first month (Solo at "Valider", Plus at signature).
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    # A definite refusal ends an attempt; the next one gets a new idempotency key (order key + attempt).
    payment_attempt: Mapped[int] = mapped_column(Integer, default=1)
    payment_session_id: Mapped[str | None] = mapped_column(String(120), nullable=True)
    payment_redirect_url: Mapped[str | None] = mapped_column(Text, nullable=True)
    last_refusal: Mapped[str | None] = mapped_column(String(300), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    validated_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    parcours: Mapped[Parcours | None] = relationship()
    promo_code: Mapped[PromoCode | None] = relationship()

    @property
    def first_charge_cents(self) -> int:
        return self.monthly_price_cents - (self.discount_cents if self.discounted_months else 0)

    @property
    def attempt_key(self) -> str:
        """The idempotency key of the current payment attempt: a double click or a replay reuses it."""
        return f"{self.idempotency_key}-{self.payment_attempt}"


class ConsentKind(enum.StrEnum):
    TERMS = "terms"  # the service terms (every offer)
    STUDENT_RULES = "student_rules"  # Premium Plus
    IMMEDIATE_ACCESS = "immediate_access"  # Solo: access at once, withdrawal right lost on first access
    PAYMENT_HOLDER = "payment_holder"  # holder of the payment method, or holder's written consent
    GUARDIAN_TERMS = "guardian_terms"  # a guardian read and accepted the terms for the learner


class Consent(Model):
    """A box ticked: what, which version of which document, when, from where. Append-only."""

    __tablename__ = "consent"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ConsentKind] = mapped_column(string_enum(ConsentKind, 30))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("customer_order.id"), nullable=True, index=True)
    document_version_id: Mapped[int | None] = mapped_column(ForeignKey("legal_document_version.id"),
                                                            nullable=True)
    wording: Mapped[str] = mapped_column(Text)  # the label the person ticked, in their language
    given_by: Mapped[str] = mapped_column(String(254))  # the learner's email, or the guardian's
    ip_address: Mapped[str] = mapped_column(String(64))
    given_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SubscriptionStatus(enum.StrEnum):
    REFLECTION = "reflection"  # Plus: 7 days from acceptance, nothing charged, contract not signable yet
    AWAITING_PAYMENT = "awaiting_payment"  # Plus: signed, first month being paid
    ACTIVE = "active"
    CANCELLING = "cancelling"  # cancelled, access until the end of the paid period
    PAST_DUE = "past_due"
    SUSPENDED = "suspended"
    ENDED = "ended"
    WITHDRAWN = "withdrawn"  # Solo withdrawal within 14 days, before first access: refunded
    ABANDONED = "abandoned"  # Plus, given up during the reflection period: nothing was charged


class Subscription(Model):
    __tablename__ = "subscription"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("customer_order.id"), unique=True)
    offer: Mapped[OfferKind] = mapped_column(string_enum(OfferKind, 30))
    parcours_id: Mapped[int | None] = mapped_column(ForeignKey("parcours.id"), nullable=True)
    status: Mapped[SubscriptionStatus] = mapped_column(string_enum(SubscriptionStatus, 30), index=True)
    # The price displayed at order time, charged at every renewal while subscribed (price lock).
    monthly_price_cents: Mapped[int] = mapped_column(Integer)
    discount_cents: Mapped[int] = mapped_column(Integer, default=0)
    discounted_periods_left: Mapped[int] = mapped_column(Integer, default=0)
    accepted_at: Mapped[datetime] = mapped_column(UTCDateTime())  # acceptance of the terms
    reflection_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    current_period_start: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    current_period_end: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    cancel_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    past_due_since: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    signature_invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    first_premium_access_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    shopper_reference: Mapped[str] = mapped_column(String(60))
    stored_method_id: Mapped[str | None] = mapped_column(String(120), nullable=True)
    method_label: Mapped[str | None] = mapped_column(String(80), nullable=True)

    user: Mapped[User] = relationship()
    order: Mapped[Order] = relationship()
    parcours: Mapped[Parcours | None] = relationship()
    # Premium Plus: the mentor who accompanies it now (models/mentoring.py keeps the history).
    current_mentoring: Mapped["MentorAssignment | None"] = relationship(
        primaryjoin="and_(MentorAssignment.subscription_id == Subscription.id, MentorAssignment.ended_at.is_(None))",
        viewonly=True, uselist=False)


class MentorAssignment(Model):
    """Who accompanies a Premium Plus subscription, from when; a change of mentor ends one row and starts
    another, so that the history stays."""
    __tablename__ = "mentor_assignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscription.id"), index=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    subscription: Mapped[Subscription] = relationship()
    mentor: Mapped[User] = relationship()


class ContractPdf(Model):
    """The signed Premium Plus contract as a tagged PDF, rendered once by the job queue after the signature and
    kept as it was: the learner's durable copy (mailed, downloadable, in the data export)."""

    __tablename__ = "contract_pdf"

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscription.id"), unique=True)
    language: Mapped[str] = mapped_column(String(5))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class GuardianStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"
    REVOKED = "revoked"


class GuardianApproval(Model):
    """A minor's or a protected adult's request to subscribe, and the guardian's answer (art. 1)."""

    __tablename__ = "guardian_approval"
    # The guardian request form's limit counts the requests made to an address over the last day.
    __table_args__ = (Index("ix_guardian_approval_guardian_email_requested_at", "guardian_email", "requested_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    offer: Mapped[OfferKind] = mapped_column(string_enum(OfferKind, 30))
    parcours_id: Mapped[int | None] = mapped_column(ForeignKey("parcours.id"), nullable=True)
    guardian_name: Mapped[str] = mapped_column(String(200))
    guardian_email: Mapped[str] = mapped_column(String(254))
    relationship_kind: Mapped[str] = mapped_column(String(30))  # parent, legal_representative, tutor, curator
    status: Mapped[GuardianStatus] = mapped_column(string_enum(GuardianStatus, 30), default=GuardianStatus.PENDING)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    decided_ip: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # Bumped when a link is used: a guardian's link works once.
    link_version: Mapped[int] = mapped_column(Integer, default=0)

    learner: Mapped[User] = relationship()
    parcours: Mapped[Parcours | None] = relationship()

    @property
    def is_pending(self) -> bool:
        """Sent to the guardian, not answered yet."""
        return self.status == GuardianStatus.PENDING

    @property
    def is_approved(self) -> bool:
        return self.status == GuardianStatus.APPROVED

    @property
    def is_refused(self) -> bool:
        return self.status == GuardianStatus.REFUSED

    @property
    def is_revoked(self) -> bool:
        """The approval withdrawn by the guardian, or the request replaced by a newer one."""
        return self.status == GuardianStatus.REVOKED


class GuardianActKind(enum.StrEnum):
    CANCELLATION = "cancellation"
    CANCELLATION_UNDONE = "cancellation_undone"
    EARLY_TERMINATION = "early_termination"
    FORCE_MAJEURE = "force_majeure"


class GuardianAct(Model):
    """What a guardian did for the learner from the guardian's space (the law lets the legal representative end
    the contract on the learner's behalf): kept so that the learner sees who asked, and when."""

    __tablename__ = "guardian_act"

    id: Mapped[int] = mapped_column(primary_key=True)
    approval_id: Mapped[int] = mapped_column(ForeignKey("guardian_approval.id"))
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscription.id"), index=True)
    kind: Mapped[GuardianActKind] = mapped_column(string_enum(GuardianActKind, 30))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    approval: Mapped[GuardianApproval] = relationship()


class ReferralReward(Model):
    """A referred learner subscribed: the referrer earns the configured reward, once per referred order.
    It can be spent from `earned_at` (after the referred Solo subscription's withdrawal period) unless it
    was taken back (the referred payment was refunded or withdrawn)."""

    __tablename__ = "referral_reward"
    __table_args__ = (UniqueConstraint("order_id", name="uq_referral_reward_order_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    referrer_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("customer_order.id"))
    amount_cents: Mapped[int] = mapped_column(Integer)  # credit on the referrer's next renewals
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    earned_at: Mapped[datetime] = mapped_column(UTCDateTime())
    taken_back_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class ForceMajeureStatus(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REFUSED = "refused"


class ForceMajeureRequest(Model):
    """Premium Plus: termination asked for a fortuitous event or force majeure, decided by Student Success;
    accepted, it costs no indemnity (L444-8)."""

    __tablename__ = "force_majeure_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscription.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    document_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    document_type: Mapped[str | None] = mapped_column(String(60), nullable=True)
    document: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    status: Mapped[ForceMajeureStatus] = mapped_column(string_enum(ForceMajeureStatus),
                                                       default=ForceMajeureStatus.PENDING)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)

    subscription: Mapped[Subscription] = relationship()

    @property
    def is_accepted(self) -> bool:
        """Student Success accepted the force majeure: the contract ended without indemnity."""
        return self.status == ForceMajeureStatus.ACCEPTED


class ParcoursChangeStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for Student Success
    APPROVED = "approved"  # written approval sent: the learner may order the new Parcours
    REFUSED = "refused"
    COMPLETED = "completed"  # the new Parcours was ordered ("Valider"): the former subscription ends


class ParcoursChangeRequest(Model):
    """A Premium Plus learner asks to change Parcours (art. 2.2 c): Student Success answers in writing; an
    approved change is a new subscription, ordered with every formality of the first one."""

    __tablename__ = "parcours_change_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscription.id"))  # the one to leave
    target_parcours_id: Mapped[int] = mapped_column(ForeignKey("parcours.id"))
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[ParcoursChangeStatus] = mapped_column(string_enum(ParcoursChangeStatus), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decision_message: Mapped[str | None] = mapped_column(Text, nullable=True)  # the written answer, as sent
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    new_order_id: Mapped[int | None] = mapped_column(ForeignKey("customer_order.id"), nullable=True)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    subscription: Mapped[Subscription] = relationship()
    target_parcours: Mapped[Parcours] = relationship()

    @property
    def reference(self) -> str:
        return f"CHP-{self.id:06d}"

    @property
    def is_approved(self) -> bool:
        """Approved in writing and not ordered yet: the learner may order the new Parcours."""
        return self.status == ParcoursChangeStatus.APPROVED
