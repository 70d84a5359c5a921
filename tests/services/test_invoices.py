"""Invoices and credit notes: gapless numbering, VAT once and half up, frozen seller, one PDF/A-3 with Factur-X."""

import io
import re
import secrets
import threading
from datetime import UTC, datetime

import pytest
from facturx import get_facturx_xml_from_pdf, xml_check_xsd
from lxml import etree
from pypdf import PdfReader
from sqlalchemy import delete
from sqlalchemy.orm import Session

from app import jobs
from app.extensions import db
from app.models import Invoice, InvoiceCounter
from app.models.commerce import OfferKind
from app.models.invoice import InvoiceKind
from app.services.billing import invoices
from app.services.common import clock
from tests.conftest import make_user
from tests.factories import paid_subscription, refund_of
from tests.pdf_checks import normalised, pdf_text, structure_kinds

PAID_AT = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)  # 10:30 in Paris
RAM = "{urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100}"


@pytest.fixture
def learner(app):
    clock.freeze(PAID_AT)
    return make_user("ana.lopez@example.org")


def rendered(invoice: Invoice) -> Invoice:
    """The invoice once its transaction has committed and the job queue has rendered its PDF (at once here)."""
    db.session.commit()
    jobs.enqueue_committed_jobs()
    return db.session.get(Invoice, invoice.id)


def issue(user, amount_cents: int = 2000, discount_cents: int = 0, language: str = "fr") -> Invoice:
    subscription, charge = paid_subscription(user, amount_cents, discount_cents)
    return rendered(invoices.issue_for_charge(charge, subscription, subscription.current_period_start,
                                              subscription.current_period_end, discount_cents, language))


# --- Numbering -----------------------------------------------------------------------------------------------

@pytest.mark.clause("CGS-3.3-01")
def test_numbers_are_continuous_per_prefix_and_year(learner):
    assert [invoices.next_number("FA") for _ in range(3)] == ["FA-2026-000001", "FA-2026-000002", "FA-2026-000003"]
    assert invoices.next_number("AV") == "AV-2026-000001"  # the credit notes' series is independent
    assert invoices.next_number("FA") == "FA-2026-000004"
    clock.freeze(datetime(2026, 12, 31, 23, 30, tzinfo=UTC))  # already 1 January 2027 in Paris
    assert invoices.next_number("FA") == "FA-2027-000001"  # a new year restarts at 1
    assert invoices.next_number("AV") == "AV-2027-000001"
    assert invoices.next_number("FA", year=2026) == "FA-2026-000005"


def test_a_rolled_back_invoice_gives_its_number_back(learner):
    """A counter row, not a SEQUENCE: what the transaction took is returned with it, so no gap is left."""
    assert invoices.next_number("FA") == "FA-2026-000001"
    savepoint = db.session.begin_nested()
    assert invoices.next_number("FA") == "FA-2026-000002"
    savepoint.rollback()
    assert invoices.next_number("FA") == "FA-2026-000002"


@pytest.mark.clause("CGS-3.3-01")
def test_issued_invoices_and_credit_notes_follow_their_own_series(learner):
    first, second = issue(learner), issue(learner)
    note = invoices.issue_credit_note(refund_of(first), first)
    third = issue(learner)
    assert [first.number, second.number, third.number] == ["FA-2026-000001", "FA-2026-000002", "FA-2026-000003"]
    assert note.number == "AV-2026-000001" and note.kind == InvoiceKind.CREDIT_NOTE
    assert first.issued_at <= second.issued_at <= third.issued_at


def test_concurrent_numbering_leaves_no_gap_and_no_duplicate(app):
    """Four workers, each on its own connection, each committing ten numbers: exactly 1..40 come out."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("row locks are PostgreSQL's (SQLite serialises writers): set TEST_DATABASE_URL to a PostgreSQL "
                    "database to run this test")
    engine = db.engine
    prefix = f"T{secrets.token_hex(3).upper()}"
    start = threading.Barrier(4)
    numbers: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker():
        try:
            start.wait()
            for _ in range(10):
                with Session(bind=engine) as session:
                    number = invoices.next_number(prefix, 2026, session=session)
                    session.commit()
                with lock:
                    numbers.append(number)
        except BaseException as error:  # noqa: BLE001 - reported below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert not errors, errors
        assert sorted(int(number.rsplit("-", 1)[1]) for number in numbers) == list(range(1, 41))
    finally:
        with engine.begin() as connection:
            connection.execute(delete(InvoiceCounter).where(InvoiceCounter.prefix == prefix))


# --- Amounts -------------------------------------------------------------------------------------------------

@pytest.mark.clause("CGS-3.3-01")
@pytest.mark.parametrize(("ttc", "vat", "ht"), [(2000, 333, 1667), (1000, 167, 833), (15, 3, 12), (2990, 498, 2492)])
def test_vat_is_computed_once_on_the_invoice_half_up(learner, ttc, vat, ht):
    invoice = issue(learner, ttc)
    assert (invoice.amount_ttc_cents, invoice.vat_cents, invoice.amount_ht_cents) == (ttc, vat, ht)
    assert invoice.vat_rate_percent == 20
    assert invoice.amount_ht_cents + invoice.vat_cents == invoice.amount_ttc_cents


def test_a_discounted_first_month_shows_the_discount_included(learner):
    invoice = issue(learner, 1000, discount_cents=1000)
    assert invoice.discount_cents == 1000 and invoice.amount_before_discount_cents == 2000
    text = pdf_text(invoice.pdf)
    assert "mois du 26/11/2026 au 25/12/2026 20,00 € Remise (code promo) −10,00 €" in text
    assert "Total hors taxes (HT) 8,33 € TVA (20 %) 1,67 € Total toutes taxes comprises (TTC) 10,00 €" in text


# --- What is printed, and frozen -----------------------------------------------------------------------------

def test_the_period_ends_the_day_before_the_next_period_starts(learner):
    invoice = issue(learner)
    assert (invoice.period_start.isoformat(), invoice.period_end.isoformat()) == ("2026-11-26", "2026-12-25")
    assert invoice.description_fr == "Abonnement Premium Solo — mois du 26/11/2026 au 25/12/2026"
    assert invoice.description_en == "Premium Solo subscription — month from 26/11/2026 to 25/12/2026"


def test_a_premium_plus_invoice_names_the_parcours(learner):
    from app.models import Parcours

    parcours = db.session.query(Parcours).order_by(Parcours.id).first()
    subscription, charge = paid_subscription(learner)
    subscription.offer, subscription.parcours = OfferKind.PLUS, parcours
    invoice = rendered(invoices.issue_for_charge(charge, subscription, subscription.current_period_start,
                                                 subscription.current_period_end, 0, "en"))
    assert invoice.description_fr == (f"Abonnement Premium Plus, Parcours « {parcours.title_fr} » — "
                                      "mois du 26/11/2026 au 25/12/2026")
    assert invoice.description_en.startswith(f"Premium Plus subscription, Parcours “{parcours.title_en}”")
    assert parcours.title_en in pdf_text(invoice.pdf)


def test_a_period_given_as_days_is_printed_as_given(learner):
    """Renewals may pass the first and last days; the subscription's datetimes end at the next period's start."""
    from datetime import date

    subscription, charge = paid_subscription(learner)
    invoice = invoices.issue_for_charge(charge, subscription, date(2026, 12, 26), date(2027, 1, 25), 0, "fr")
    assert invoice.description_fr == "Abonnement Premium Solo — mois du 26/12/2026 au 25/01/2027"
    # 31 January 00:30 in Paris is still 30 January in UTC: the days are Paris days.
    start, end = datetime(2027, 1, 31, 0, 30, tzinfo=clock.PARIS), datetime(2027, 2, 28, 0, 30, tzinfo=clock.PARIS)
    assert invoices.period_days(start, end) == (date(2027, 1, 31), date(2027, 2, 27))


@pytest.mark.clause("CGS-3.3-01")
def test_the_seller_is_frozen_on_the_invoice_when_it_is_issued(app, learner, monkeypatch):
    invoice = issue(learner)
    original = dict(app.config["COMPANY"])
    sha = invoice.pdf_sha256
    monkeypatch.setitem(app.config["COMPANY"], "name", "Nouvelle Raison Sociale")
    monkeypatch.setitem(app.config["COMPANY"], "address", "1 place du Changement, 69001 Lyon, France")
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(Invoice, invoice.id)
    assert stored.seller["name"] == original["name"] and stored.seller["address"] == original["address"]
    assert set(stored.seller) == {"name", "legal_form", "capital", "rcs", "siren", "vat_number", "address"}
    assert stored.pdf_sha256 == sha and "Nouvelle Raison Sociale" not in pdf_text(stored.pdf)
    assert issue(learner).seller["name"] == "Nouvelle Raison Sociale"  # the next invoice has the new identity


def test_an_issued_invoice_cannot_be_edited(learner):
    invoice = issue(learner)
    invoice.amount_ttc_cents = 1
    with pytest.raises(ValueError, match="never changes"):
        db.session.flush()
    db.session.rollback()


@pytest.mark.clause("CGS-3.3-01")
def test_a_transaction_is_invoiced_once(learner, monkeypatch):
    subscription, charge = paid_subscription(learner)
    first = invoices.issue_for_charge(charge, subscription, subscription.current_period_start,
                                      subscription.current_period_end, 0, "fr")

    def must_not_render(invoice):
        raise AssertionError("rendered twice")

    monkeypatch.setattr(invoices, "render", must_not_render)
    again = invoices.issue_for_charge(charge, subscription, subscription.current_period_start,
                                      subscription.current_period_end, 0, "en")
    assert again.id == first.id
    assert db.session.query(Invoice).filter_by(transaction_id=charge.id).count() == 1
    refund = refund_of(first)
    monkeypatch.undo()
    note = invoices.issue_credit_note(refund, first)
    assert invoices.issue_credit_note(refund, first).id == note.id
    assert db.session.query(Invoice).count() == 2
    assert invoices.next_number("FA") == "FA-2026-000002" and invoices.next_number("AV") == "AV-2026-000002"


# --- The PDF -------------------------------------------------------------------------------------------------

def mandatory_mentions(app, invoice: Invoice) -> list[str]:
    company = app.config["COMPANY"]
    return [
        "Facture FA-2026-000001", "Date d'émission : 26 novembre 2026",
        company["name"], company["address"], f"SIREN : {company['siren']}",
        f"N° de TVA intracommunautaire : {company['vat_number']}",
        f"{company['legal_form']} au capital de {company['capital']}", f"RCS {company['rcs']}",
        "Ana Lopez", "12 rue des Écoles", "75005 Paris", "France",
        "Abonnement Premium Solo — mois du 26/11/2026 au 25/12/2026",
        "Total hors taxes (HT) 16,67 €", "TVA (20 %) 3,33 €", "Total toutes taxes comprises (TTC) 20,00 €",
        "Payée le 26 novembre 2026 par Visa •••• 1111.",
    ]


@pytest.mark.clause("CGS-3.3-01")
def test_the_pdf_carries_every_mandatory_mention(app, learner, weasyprint_errors):
    invoice = issue(learner)
    text = pdf_text(invoice.pdf)
    missing = [mention for mention in mandatory_mentions(app, invoice) if normalised(mention) not in text]
    assert not missing, (missing, text)


def test_the_pdf_is_tagged_pdf_a_3_with_its_language_and_title(learner, weasyprint_errors):
    invoice = issue(learner)
    reader = PdfReader(io.BytesIO(invoice.pdf))
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "fr"
    assert "/StructTreeRoot" in catalog
    assert catalog["/MarkInfo"]["/Marked"] == True  # noqa: E712 - a pypdf BooleanObject
    assert reader.metadata.title == "Facture FA-2026-000001"
    xmp = reader.xmp_metadata.stream.get_data()
    assert re.search(rb"pdfaid:part(>|=\")3", xmp), xmp[:2000]
    assert re.search(rb"pdfaid:conformance(>|=\")B", xmp)
    assert b"urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#" in xmp


def test_the_pdf_structure_tree_holds_the_heading_and_a_table(learner):
    reader = PdfReader(io.BytesIO(issue(learner).pdf))
    kinds = structure_kinds(reader)
    assert {"/H1", "/H2", "/Table", "/TH", "/TD", "/Caption"} <= kinds, kinds


@pytest.mark.clause("CGS-3.3-01")
def test_the_pdf_embeds_a_valid_factur_x_minimum_xml(learner):
    invoice = issue(learner)
    filename, xml = get_facturx_xml_from_pdf(invoice.pdf, check_xsd=False)
    assert filename == "factur-x.xml"
    root = etree.fromstring(xml)
    assert xml_check_xsd(root, flavor="factur-x", level="minimum")
    assert root.findtext(f".//{RAM}GuidelineSpecifiedDocumentContextParameter/{RAM}ID") == "urn:factur-x.eu:1p0:minimum"
    assert root.findtext(".//{*}ExchangedDocument/{*}ID") == "FA-2026-000001"
    assert root.findtext(".//{*}ExchangedDocument/{*}TypeCode") == "380"
    assert root.findtext(f".//{RAM}GrandTotalAmount") == "20.00"
    assert root.findtext(f".//{RAM}TaxTotalAmount") == "3.33"
    assert root.findtext(f".//{RAM}TaxBasisTotalAmount") == "16.67"
    assert root.findtext(f".//{RAM}SpecifiedTaxRegistration/{RAM}ID") == "FR48493861073"


def test_an_english_learner_gets_an_english_pdf(learner):
    invoice = issue(learner, language="en")
    reader = PdfReader(io.BytesIO(invoice.pdf))
    assert reader.trailer["/Root"]["/Lang"] == "en"
    text = pdf_text(invoice.pdf)
    assert "Invoice FA-2026-000001" in text and "Premium Solo subscription — month from 26/11/2026" in text
    assert "Total excluding VAT €16.67 VAT (20 %) €3.33 Total including VAT €20.00" in text
    assert "Paid on November 26, 2026 by Visa •••• 1111." in text and "Customer Ana Lopez" in text


# --- Credit notes --------------------------------------------------------------------------------------------

@pytest.mark.clause("CGS-3.3-01")
def test_a_refund_gets_a_credit_note_that_names_the_credited_invoice(learner, weasyprint_errors):
    invoice = issue(learner)
    clock.freeze(datetime(2026, 11, 28, 9, 0, tzinfo=UTC))
    note = rendered(invoices.issue_credit_note(refund_of(invoice), invoice))
    assert note.number == "AV-2026-000001" and note.kind == InvoiceKind.CREDIT_NOTE
    assert note.credited_invoice_id == invoice.id
    assert (note.amount_ttc_cents, note.vat_cents, note.amount_ht_cents) == (2000, 333, 1667)  # positive amounts
    text = pdf_text(note.pdf)
    for mention in ("Avoir AV-2026-000001", "Avoir relatif à la facture FA-2026-000001 du 26 novembre 2026",
                    "Date d'émission : 28 novembre 2026", "Total toutes taxes comprises (TTC) 20,00 €",
                    "Remboursé le 28 novembre 2026 sur Visa •••• 1111."):
        assert mention in text, mention
    _, xml = get_facturx_xml_from_pdf(note.pdf, check_xsd=True)
    root = etree.fromstring(xml)
    assert root.findtext(".//{*}ExchangedDocument/{*}TypeCode") == "381"
    assert root.findtext(".//{*}ExchangedDocument/{*}ID") == "AV-2026-000001"


def test_a_partial_refund_credits_only_what_was_refunded(learner):
    invoice = issue(learner, 1000, discount_cents=1000)
    note = invoices.issue_credit_note(refund_of(invoice, 400), invoice)
    assert (note.amount_ttc_cents, note.vat_cents, note.amount_ht_cents, note.discount_cents) == (400, 67, 333, 0)
