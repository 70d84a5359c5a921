"""Invoices and credit notes, and the counters that number them.

An invoice is issued once per charge (a credit note once per refund): the row never changes afterwards, and its
PDF, rendered once by the job queue just after the issue and stored, never changes either. Everything printed on it
is copied onto the row at issue time (the customer, the seller's identity, the amounts), so a later change
elsewhere never alters an issued invoice.
"""

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
    inspect,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, Mapper, mapped_column, relationship

from app.extensions import Model
from app.models._i18n import Bilingual
from app.models._types import UTCDateTime, string_enum
from app.models.payment import PaymentTransaction
from app.models.user import User
from app.time_zone import PARIS


class InvoiceKind(enum.StrEnum):
    INVOICE = "invoice"  # FA-YYYY-NNNNNN
    CREDIT_NOTE = "credit_note"  # AV-YYYY-NNNNNN: cancels (part of) an invoice after a refund


class Invoice(Bilingual, Model):
    __tablename__ = "invoice"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    kind: Mapped[InvoiceKind] = mapped_column(
        string_enum(InvoiceKind))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    subscription_id: Mapped[int | None] = mapped_column(ForeignKey("subscription.id"), nullable=True, index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("customer_order.id"), nullable=True)
    # One invoice (or credit note) per money movement: the same charge is never invoiced twice.
    transaction_id: Mapped[int] = mapped_column(ForeignKey("payment_transaction.id"), unique=True)
    credited_invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoice.id"), nullable=True)
    # The service, e.g. "Abonnement Premium Solo — mois du 26/11/2026 au 25/12/2026".
    description_fr: Mapped[str] = mapped_column(String(300))
    description_en: Mapped[str] = mapped_column(String(300))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)  # the last day included: the day before the next period
    # Integer cents, EUR. VAT computed once, here, rounded half up; HT = TTC - VAT.
    amount_ttc_cents: Mapped[int] = mapped_column(Integer)
    vat_rate_percent: Mapped[int] = mapped_column(Integer)
    vat_cents: Mapped[int] = mapped_column(Integer)
    amount_ht_cents: Mapped[int] = mapped_column(Integer)
    discount_cents: Mapped[int] = mapped_column(Integer, default=0)  # the promo discount included, TTC
    # Referral rewards spent on this charge (art. 4), TTC: a line of its own, below the promo discount.
    referral_credit_cents: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    payment_method_label: Mapped[str] = mapped_column(String(80))
    paid_at: Mapped[datetime] = mapped_column(UTCDateTime())  # a credit note: when it was refunded
    customer_name: Mapped[str] = mapped_column(String(200))
    customer_address: Mapped[str] = mapped_column(Text)  # one block, lines separated by "\n"
    customer_company: Mapped[str] = mapped_column(String(200), default="", server_default="")
    customer_vat_number: Mapped[str] = mapped_column(String(20), default="", server_default="")
    language: Mapped[str] = mapped_column(String(5))  # the language of the PDF
    # The seller's identity at issue time: name, legal_form, capital, rcs, siren, vat_number, address.
    seller: Mapped[dict[str, str]] = mapped_column(JSON)
    # Rendered by the job queue once the invoice's transaction has committed: empty for the few seconds until then.
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    pdf_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)

    user: Mapped[User] = relationship()
    transaction: Mapped[PaymentTransaction] = relationship()
    credited_invoice: Mapped["Invoice | None"] = relationship(remote_side=[id])

    @property
    def is_credit_note(self) -> bool:
        return self.kind == InvoiceKind.CREDIT_NOTE

    @property
    def pdf_ready(self) -> bool:
        return self.pdf_sha256 is not None

    @property
    def issued_on(self) -> date:
        """The issue date as printed (Europe/Paris)."""
        return self.issued_at.astimezone(PARIS).date()

    @property
    def paid_on(self) -> date:
        return self.paid_at.astimezone(PARIS).date()

    @property
    def amount_before_discount_cents(self) -> int:
        return self.amount_ttc_cents + self.discount_cents + self.referral_credit_cents


@event.listens_for(Invoice, "before_update")
def _an_issued_invoice_never_changes(mapper: Mapper[Invoice], connection: Connection, target: Invoice) -> None:
    """Issued means final: a mistake is corrected by a credit note, never by editing the invoice."""
    state = inspect(target)
    if any(state.attrs[column.key].history.has_changes() for column in mapper.column_attrs):
        raise ValueError(f"invoice {target.number} is issued: it never changes (issue a credit note instead)")


class InvoiceCounter(Model):
    """The last number given in a series (prefix, year). Its row is locked while a number is taken, in the
    transaction that inserts the invoice: numbers are continuous and chronological, never skipped."""

    __tablename__ = "invoice_counter"
    __table_args__ = (UniqueConstraint("prefix", "year", name="uq_invoice_counter_prefix_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    prefix: Mapped[str] = mapped_column(String(10))
    year: Mapped[int] = mapped_column(Integer)
    last_number: Mapped[int] = mapped_column(Integer, default=0)
