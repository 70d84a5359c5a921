"""Invoices and credit notes: numbered without gaps, VAT computed once, rendered once and stored.

- Numbers: one chronological, continuous series per prefix and year ("FA-2026-000001" for invoices,
  "AV-2026-000001" for credit notes). The series' counter row is locked in the caller's transaction, the one
  that inserts the invoice, so a number is never skipped nor given twice, even under concurrency (a database
  SEQUENCE would leave gaps on rollback).
- Amounts: integer cents, VAT-inclusive; the VAT is computed once, here, rounded half up; HT = TTC - VAT.
- The PDF is rendered once (WeasyPrint, PDF/A-3b, tagged) with the Factur-X MINIMUM XML embedded, stored with
  its SHA-256, and served as stored forever after. Everything it prints (seller, customer, amounts) is copied
  onto the row at issue time, under the counter's lock; the PDF is rendered afterwards, by a job enqueued once
  that transaction has committed (`render_and_store`), off the lock and outside the payment's request: a
  rendering failure never holds the numbering nor loses a paid order, and the job (or the periodic sweep)
  tries again.
- Each money movement gets at most one document: issuing again for the same transaction returns the first.

Functions flush and never commit: the caller commits once.
"""

import hashlib
from datetime import date, datetime, timedelta
from typing import Any, cast

from flask import current_app
from flask_babel import gettext as _
from lxml import etree
from sqlalchemy import CursorResult, bindparam, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, defer

from app import labels
from app.extensions import db
from app.i18n import force_language
from app.models import Invoice, InvoiceCounter, Order, PaymentTransaction, Subscription, User
from app.models.commerce import OfferKind
from app.models.invoice import InvoiceKind
from app.services.accounts import countries
from app.services.billing import referrals
from app.services.commerce import pricing
from app.services.common import clock, pdf, safe_text
from app.services.payments.gateway import PaymentMethod

INVOICE_PREFIX = "FA"
CREDIT_NOTE_PREFIX = "AV"
LANGUAGES = ("fr", "en")
SELLER_FIELDS = ("name", "legal_form", "capital", "rcs", "siren", "vat_number", "address")
PDF_VARIANT = "pdf/a-3b"
FACTURX_LEVEL = "minimum"
# Set on the session (the ids of the invoices it issued): once its transaction has committed, the job queue
# renders their PDFs (app/jobs.py).
RENDER_FLAG = "invoices_to_render"


# --- Numbers -------------------------------------------------------------------------------------------------

def format_number(prefix: str, year: int, number: int) -> str:
    return f"{prefix}-{year}-{number:06d}"


def _insert_counter_if_missing(session: Session, prefix: str, year: int) -> None:
    """Create the series' row unless it exists, safely when two transactions start a series at once. On SQLite
    this write statement also takes the database's write lock, which serialises the numbering there."""
    dialect = session.get_bind().dialect.name
    values = {"prefix": prefix, "year": year, "last_number": 0}
    if dialect == "postgresql":
        session.execute(postgresql_insert(InvoiceCounter).values(**values)
                     .on_conflict_do_nothing(index_elements=["prefix", "year"]))
        return
    if dialect == "sqlite":
        session.execute(sqlite_insert(InvoiceCounter).values(**values)
                     .on_conflict_do_nothing(index_elements=["prefix", "year"]))
        return
    try:  # any other database: a savepoint absorbs the duplicate
        with session.begin_nested():
            session.add(InvoiceCounter(**values))
    except IntegrityError:
        pass


def next_number(prefix: str, year: int | None = None, session: Session | None = None) -> str:
    """The next number of the (prefix, year) series, e.g. "FA-2026-000042". The counter row stays locked (by
    the UPDATE that moves it on) until the caller's transaction ends: whoever numbers next waits for the commit
    or the rollback, so a rolled-back invoice gives its number back instead of leaving a gap."""
    numbering = session if session is not None else db.session()  # another session: the numbering test's workers
    year = year or clock.today_in_paris().year
    number = _move_on(numbering, prefix, year)
    if number is None:  # the series' first number: its row is made once, then counted like the others
        _insert_counter_if_missing(numbering, prefix, year)
        number = _move_on(numbering, prefix, year)
    assert number is not None  # the row exists now
    return format_number(prefix, year, number)


def _move_on(session: Session, prefix: str, year: int) -> int | None:
    """The series' next number in one statement (UPDATE ... RETURNING: a billing run numbers thousands); the
    write locks the counter's row (PostgreSQL) or the database (SQLite) until the transaction ends. None when
    the series has no row yet."""
    number: int | None = session.scalar(
        update(InvoiceCounter).where(InvoiceCounter.prefix == prefix, InvoiceCounter.year == year)
        .values(last_number=InvoiceCounter.last_number + 1).returning(InvoiceCounter.last_number)
        .execution_options(synchronize_session=False))
    return number


# --- Look-ups ------------------------------------------------------------------------------------------------

def for_transaction(transaction: PaymentTransaction) -> Invoice | None:
    """The invoice (or credit note) issued for this charge (or refund), if any."""
    return db.session.scalar(select(Invoice).where(Invoice.transaction_id == transaction.id))


_OF_USER = (select(Invoice).where(Invoice.user_id == bindparam("user_id")).options(defer(Invoice.pdf))
            .order_by(Invoice.issued_at.desc(), Invoice.id.desc()))  # built once: on the Premium tab's every view


def for_user(user_id: int) -> list[Invoice]:
    """The learner's invoices and credit notes, newest first (without loading the PDFs)."""
    return list(db.session.scalars(_OF_USER, {"user_id": user_id}))


def owned_by(user_id: int, number: str) -> Invoice | None:
    """The learner's own invoice; anyone else's number is as good as unknown."""
    return db.session.scalar(select(Invoice).where(Invoice.number == number, Invoice.user_id == user_id))


# --- Issuing -------------------------------------------------------------------------------------------------

def seller_snapshot() -> dict[str, str]:
    """The seller's identity as configured now, copied onto the invoice."""
    company = current_app.config["COMPANY"]
    return {field: company.get(field, "") for field in SELLER_FIELDS}


def _paris_date(moment: datetime) -> date:
    return moment.astimezone(clock.PARIS).date()


def _description(subscription: Subscription | None, start: date, end: date, language: str,
                 termination: bool = False) -> str:
    dates = {"start": start.strftime("%d/%m/%Y"), "end": end.strftime("%d/%m/%Y")}
    with force_language(language):
        if termination and subscription is not None and subscription.parcours:
            title = getattr(subscription.parcours, f"title_{language}") or subscription.parcours.title_fr
            return str(_("Indemnité de résiliation anticipée (article L444-8 du Code de l'éducation), Parcours "
                     "« %(title)s »", title=title))
        if subscription is not None and subscription.offer == OfferKind.PLUS and subscription.parcours:
            title = getattr(subscription.parcours, f"title_{language}") or subscription.parcours.title_fr
            return str(_("Abonnement Premium Plus, Parcours « %(title)s » — mois du %(start)s au %(end)s",
                     title=title, **dates))
        return str(_("Abonnement Premium Solo — mois du %(start)s au %(end)s", **dates))


def _customer_address(order: Order | None, language: str) -> str:
    if order is None:
        return ""
    country = countries.country_name(order.billing_country, language)
    city = " ".join(part for part in (order.billing_postal_code, order.billing_city) if part)
    return "\n".join(line for line in (order.billing_address, city, country) if line)


def _method_label(transaction: PaymentTransaction, subscription: Subscription | None, order: Order | None,
                  language: str) -> str:
    with force_language(language):
        if referrals.paid_by_credit(transaction):
            return str(_("crédit de parrainage"))
    label = transaction.method_label or (subscription.method_label if subscription else None)
    if label:
        return label
    with force_language(language):
        paid_with_paypal = order is not None and order.payment_method == PaymentMethod.PAYPAL
        return labels.label(PaymentMethod.PAYPAL if paid_with_paypal else PaymentMethod.CARD)


def _set_amounts(invoice: Invoice, amount_ttc_cents: int) -> None:
    """VAT computed once, here, half up; HT is what remains, so HT + VAT = TTC to the cent."""
    invoice.amount_ttc_cents = amount_ttc_cents
    invoice.vat_rate_percent = pricing.VAT_RATE_PERCENT
    invoice.vat_cents = pricing.vat_included(amount_ttc_cents, invoice.vat_rate_percent)
    invoice.amount_ht_cents = amount_ttc_cents - invoice.vat_cents


def period_days(period_start: datetime | date, period_end: datetime | date) -> tuple[date, date]:
    """The first and last days printed on the invoice (Europe/Paris). Datetimes are a period's bounds as the
    subscription stores them: the end is the start of the next period, so the last day is the day before.
    Dates are taken as the first and last days themselves."""
    start = _paris_date(period_start) if isinstance(period_start, datetime) else period_start
    end = _paris_date(period_end) - timedelta(days=1) if isinstance(period_end, datetime) else period_end
    return start, end


def issue_for_charge(transaction: PaymentTransaction, subscription: Subscription | None,
                     period_start: datetime | date, period_end: datetime | date, discount_cents: int = 0,
                     language: str = "fr", termination: bool = False, referral_credit_cents: int = 0,
                     new_charge: bool = False) -> Invoice:
    """The invoice of a charge for a subscription period (see `period_days`: the subscription's datetimes, or
    the first and last days). `discount_cents` is the promo discount included in the charge,
    `referral_credit_cents` what the referral rewards paid of it. The PDF is in
    `language`. Issued once per transaction: a second call returns the first invoice (`new_charge`: the caller
    has just recorded the transaction, which cannot have one yet)."""
    existing = None if new_charge else for_transaction(transaction)
    if existing is not None:
        return existing
    language = language if language in LANGUAGES else "fr"
    # A renewal's charge names no order: the billing details are those given at the subscription's order.
    order = (db.session.get(Order, transaction.order_id) if transaction.order_id
             else subscription.order if subscription is not None else None)
    start, end = period_days(period_start, period_end)
    user = db.session.get_one(User, transaction.user_id)  # a foreign key
    invoice = Invoice(
        kind=InvoiceKind.INVOICE, user_id=transaction.user_id,
        subscription_id=subscription.id if subscription else transaction.subscription_id,
        order_id=transaction.order_id, transaction_id=transaction.id,
        description_fr=_description(subscription, start, end, "fr", termination),
        description_en=_description(subscription, start, end, "en", termination),
        period_start=start, period_end=end, discount_cents=discount_cents,
        referral_credit_cents=referral_credit_cents,
        payment_method_label=_method_label(transaction, subscription, order, language),
        paid_at=transaction.created_at,
        customer_name=(order.billing_name if order is not None and order.billing_name else user.full_name),
        customer_address=_customer_address(order, language), language=language,
        customer_company=order.billing_company if order is not None else "",
        customer_vat_number=order.billing_vat_number if order is not None else "")
    _set_amounts(invoice, transaction.amount_cents)
    return _issue(invoice, INVOICE_PREFIX)


def issue_credit_note(refund_transaction: PaymentTransaction, invoice: Invoice) -> Invoice:
    """The credit note ("avoir") of a refund of `invoice`'s charge: positive amounts, kind credit_note, the
    credited invoice's number printed on it. Issued once per refund transaction."""
    existing = for_transaction(refund_transaction)
    if existing is not None:
        return existing
    full = refund_transaction.amount_cents == invoice.amount_ttc_cents
    note = Invoice(
        kind=InvoiceKind.CREDIT_NOTE, user_id=invoice.user_id, subscription_id=invoice.subscription_id,
        order_id=invoice.order_id, transaction_id=refund_transaction.id, credited_invoice=invoice,
        description_fr=invoice.description_fr, description_en=invoice.description_en,
        period_start=invoice.period_start, period_end=invoice.period_end,
        discount_cents=invoice.discount_cents if full else 0,
        referral_credit_cents=invoice.referral_credit_cents if full else 0,
        payment_method_label=refund_transaction.method_label or invoice.payment_method_label,
        paid_at=refund_transaction.created_at, customer_name=invoice.customer_name,
        customer_address=invoice.customer_address, language=invoice.language,
        customer_company=invoice.customer_company, customer_vat_number=invoice.customer_vat_number)
    _set_amounts(note, refund_transaction.amount_cents)
    return _issue(note, CREDIT_NOTE_PREFIX)


def _issue(invoice: Invoice, prefix: str) -> Invoice:
    # The number first, then the time: whoever waited for the counter's lock is issued later, so the series
    # is chronological as well as continuous.
    invoice.number = next_number(prefix)
    invoice.issued_at = clock.now()
    invoice.seller = seller_snapshot()
    db.session.add(invoice)
    db.session.flush()
    # Not rendered here: the counter stays locked until the commit, and the PDF does not need it.
    db.session.info.setdefault(RENDER_FLAG, set()).add(invoice.id)
    return invoice


# --- The PDF, after the commit ------------------------------------------------------------------------------

def waiting_for_pdf(issued_before: datetime) -> list[int]:
    """The invoices issued by `issued_before` whose PDF is not stored yet, newest first (for the periodic sweep,
    `jobs.sweep_invoices`)."""
    return list(db.session.scalars(select(Invoice.id).where(Invoice.pdf_sha256.is_(None),
                                                            Invoice.issued_at <= issued_before)
                                   .order_by(Invoice.id.desc())))


def render_and_store(invoice_id: int) -> bool:
    """Render the invoice's PDF and store it, unless it is stored already (or the invoice does not exist: its
    transaction rolled back). True when this call stored it. Never commits: the job does."""
    invoice = db.session.scalar(select(Invoice).where(Invoice.id == invoice_id).options(defer(Invoice.pdf)))
    if invoice is None or invoice.pdf_ready:
        return False
    return store_pdf(invoice_id, render(invoice))


def store_pdf(invoice_id: int, document: bytes) -> bool:
    """Store the PDF unless one is stored already: when two workers render the same invoice, the first to store
    wins and the other's copy is dropped, so the invoice keeps one PDF forever. True when this one was stored."""
    stored = cast(CursorResult[Any], db.session.execute(
        update(Invoice).where(Invoice.id == invoice_id, Invoice.pdf_sha256.is_(None))
        .values(pdf=document, pdf_sha256=hashlib.sha256(document).hexdigest())))
    return stored.rowcount == 1


# --- Rendering -----------------------------------------------------------------------------------------------

def document_title(invoice: Invoice) -> str:
    """"Facture FA-2026-000001" / "Avoir AV-2026-000001", in the current language."""
    if invoice.is_credit_note:
        return str(_("Avoir %(number)s", number=invoice.number))
    return str(_("Facture %(number)s", number=invoice.number))


def preparing_title(invoice: Invoice) -> str:
    """The title of the page shown while the PDF is being rendered, in the current language."""
    if invoice.is_credit_note:
        return str(_("Avoir %(number)s en préparation", number=invoice.number))
    return str(_("Facture %(number)s en préparation", number=invoice.number))


def render(invoice: Invoice) -> bytes:
    """The PDF, rendered once: tagged PDF/A-3b in the invoice's language, with its Factur-X XML embedded."""
    with force_language(invoice.language):
        # The Jinja environment directly: no request (hence no context processor) is needed to issue an invoice.
        html = current_app.jinja_env.get_template("pdf/invoice.html").render(
            invoice=invoice, seller=invoice.seller, title=document_title(invoice), pdf=True)
        metadata = {"author": invoice.seller["name"], "title": document_title(invoice),
                    "subject": invoice.t("description")}
    document = pdf.render_pdf(html, PDF_VARIANT)
    return embed_facturx(document, facturx_xml(invoice), metadata, invoice.language)


def embed_facturx(document: bytes, xml: bytes, metadata: dict[str, str], language: str) -> bytes:
    from facturx import generate_from_binary

    metadata = {key: safe_text.xml_safe(value) for key, value in metadata.items()}  # written as XMP (XML)
    # The XML is checked against the Factur-X schema by the tests (tests/services/test_invoices.py), not at
    # every invoice: loading the schema cost more than the rest of the embedding.
    embedded: bytes = generate_from_binary(document, xml, flavor="factur-x", level=FACTURX_LEVEL, check_xsd=False,
                                           pdf_metadata=metadata, lang=language)
    return embedded


def _amount(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
}


def facturx_xml(invoice: Invoice) -> bytes:
    """The Factur-X MINIMUM (CII) XML: number, type (380 invoice, 381 credit note), date, seller, buyer and
    totals. The invoice is paid when issued: nothing is due."""

    def element(parent: etree._Element, tag: str, text: str | None = None, **attributes: str) -> etree._Element:
        prefix, name = tag.split(":")
        node = etree.SubElement(parent, f"{{{NS[prefix]}}}{name}", attributes)
        if text is not None:
            node.text = safe_text.xml_safe(text)  # a name stored with a NUL or U+000B must not stop the payment
        return node

    root = etree.Element(f"{{{NS['rsm']}}}CrossIndustryInvoice", nsmap=NS)
    context = element(root, "rsm:ExchangedDocumentContext")
    element(element(context, "ram:BusinessProcessSpecifiedDocumentContextParameter"), "ram:ID", "A1")
    element(element(context, "ram:GuidelineSpecifiedDocumentContextParameter"), "ram:ID",
            "urn:factur-x.eu:1p0:minimum")
    document = element(root, "rsm:ExchangedDocument")
    element(document, "ram:ID", invoice.number)
    element(document, "ram:TypeCode", "381" if invoice.is_credit_note else "380")
    element(element(document, "ram:IssueDateTime"), "udt:DateTimeString",
            _paris_date(invoice.issued_at).strftime("%Y%m%d"), format="102")
    transaction = element(root, "rsm:SupplyChainTradeTransaction")
    agreement = element(transaction, "ram:ApplicableHeaderTradeAgreement")
    seller = element(agreement, "ram:SellerTradeParty")
    element(seller, "ram:Name", invoice.seller["name"])
    element(element(seller, "ram:SpecifiedLegalOrganization"), "ram:ID",
            invoice.seller["siren"].replace(" ", ""), schemeID="0002")  # 0002: SIREN
    element(element(seller, "ram:PostalTradeAddress"), "ram:CountryID", "FR")
    element(element(seller, "ram:SpecifiedTaxRegistration"), "ram:ID",
            invoice.seller["vat_number"].replace(" ", ""), schemeID="VA")
    # The buyer is the company when one is named (its VAT number is printed on the PDF: the MINIMUM profile has
    # no place for a buyer's).
    element(element(agreement, "ram:BuyerTradeParty"), "ram:Name", invoice.customer_company or invoice.customer_name)
    element(transaction, "ram:ApplicableHeaderTradeDelivery")
    settlement = element(transaction, "ram:ApplicableHeaderTradeSettlement")
    element(settlement, "ram:InvoiceCurrencyCode", "EUR")
    totals = element(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    element(totals, "ram:TaxBasisTotalAmount", _amount(invoice.amount_ht_cents))
    element(totals, "ram:TaxTotalAmount", _amount(invoice.vat_cents), currencyID="EUR")
    element(totals, "ram:GrandTotalAmount", _amount(invoice.amount_ttc_cents))
    element(totals, "ram:DuePayableAmount", _amount(0))
    xml: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return xml
