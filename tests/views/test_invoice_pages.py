"""The learner's invoice after buying Premium Solo: its accessible HTML page and its stored PDF, owner only."""

import hashlib
import io
from datetime import datetime

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from app.extensions import db
from app.models import Invoice, Order, PaymentTransaction
from app.models.invoice import InvoiceKind
from app.services.billing import first_payment, invoices
from app.services.common import clock
from app.services.payments import adyen
from tests import checkout_flow as flow
from tests.conftest import PASSWORD, make_user, text_of

NUMBER = "FA-2026-000001"
URL = f"/compte/factures/{NUMBER}"


@pytest.fixture
def bought(app, client):
    """Ana Lopez bought Premium Solo on 26 November 2026 and is still signed in."""
    clock.freeze(datetime(2026, 11, 26, 10, 0, tzinfo=clock.PARIS))
    return flow.buy_solo(client)


def sign_in_as_someone_else(app):
    other = app.test_client()
    make_user("lea.martin@example.org")
    assert other.post("/connexion", data={"email": "lea.martin@example.org", "password": PASSWORD}).status_code == 302
    return other


@pytest.mark.clause("CGS-3.3-01")
def test_buying_premium_solo_issues_the_first_months_invoice(bought):
    order = db.session.query(Order).filter_by(reference=bought).one()
    invoice = db.session.query(Invoice).one()
    charge = db.session.query(PaymentTransaction).one()
    assert invoice.number == f"FA-{clock.today_in_paris().year}-000001" == NUMBER
    assert invoice.kind == InvoiceKind.INVOICE and invoice.transaction_id == charge.id
    assert invoice.user_id == order.user_id and invoice.order_id == order.id
    assert invoice.amount_ttc_cents == charge.amount_cents == 2000
    assert invoice.description_fr == "Abonnement Premium Solo — mois du 26/11/2026 au 25/12/2026"
    assert invoice.customer_name == "Ana Lopez" and invoice.language == "fr"
    assert invoice.pdf_sha256 == hashlib.sha256(invoice.pdf).hexdigest()


@pytest.mark.clause("CGS-3.3-01")
def test_the_invoice_page_shows_every_mandatory_mention(app, bought, page):
    soup = page(URL)
    assert text_of(soup.h1) == f"Facture {NUMBER}"
    body = text_of(soup.main)
    company = app.config["COMPANY"]
    for mention in ("Date d'émission : 26 novembre 2026", company["name"], company["address"],
                    f"SIREN : {company['siren']}", f"N° de TVA intracommunautaire : {company['vat_number']}",
                    f"{company['legal_form']} au capital de {company['capital']}", f"RCS {company['rcs']}",
                    "Ana Lopez", "12 rue des Écoles", "75005 Paris",
                    "Abonnement Premium Solo — mois du 26/11/2026 au 25/12/2026",
                    "Total hors taxes (HT) 16,67 €", "TVA (20 %) 3,33 €", "Total toutes taxes comprises (TTC) 20,00 €",
                    "Payée le 26 novembre 2026 par Visa •••• 1111."):
        assert mention in body, mention
    table = soup.select_one("main table")
    assert text_of(table.caption) == f"Détail de la facture {NUMBER}"
    assert [th["scope"] for th in table.select("thead th")] == ["col", "col"]
    assert all(th.get("scope") == "row" for th in table.select("tbody th"))
    link = soup.select_one(f"main a[href='{URL}.pdf']")
    assert text_of(link) == f"Télécharger la facture {NUMBER} (PDF)"


def test_the_invoice_page_follows_the_readers_language(bought, page):
    soup = page(URL, lang="en")
    assert text_of(soup.h1) == f"Invoice {NUMBER}"
    body = text_of(soup.main)
    assert "Premium Solo subscription — month from 26/11/2026 to 25/12/2026" in body
    assert "VAT (20 %) €3.33" in body
    assert text_of(soup.select_one(f"main a[href='{URL}.pdf']")) == f"Download invoice {NUMBER} (PDF)"


@pytest.mark.clause("CGS-3.3-01")
def test_the_pdf_downloads_as_stored(bought, client, monkeypatch):
    def must_not_render(invoice):
        raise AssertionError("an issued invoice is never rendered again")

    monkeypatch.setattr(invoices, "render", must_not_render)
    response = client.get(f"{URL}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert f'filename="{NUMBER}.pdf"' in response.headers["Content-Disposition"]
    assert "private" in response.headers["Cache-Control"]
    invoice = db.session.query(Invoice).one()
    assert response.data == invoice.pdf and hashlib.sha256(response.data).hexdigest() == invoice.pdf_sha256
    text = " ".join(PdfReader(io.BytesIO(response.data)).pages[0].extract_text().replace("\u202f", " ")
                    .replace("\u00a0", " ").split())
    assert f"Facture {NUMBER}" in text and "Ana Lopez" in text


def test_a_later_change_of_the_company_never_alters_an_issued_invoice(app, bought, page, monkeypatch):
    original = app.config["COMPANY"]["name"]
    monkeypatch.setitem(app.config["COMPANY"], "name", "Nouvelle Raison Sociale")
    invoice_text = text_of(page(URL).select_one("main article"))
    assert original in invoice_text and "Nouvelle Raison Sociale" not in invoice_text


@pytest.mark.clause("CGS-3.3-01")
def test_another_learner_gets_404_on_the_page_and_the_pdf(app, bought):
    other = sign_in_as_someone_else(app)
    assert other.get(URL).status_code == 404
    assert other.get(f"{URL}.pdf").status_code == 404
    assert other.get("/compte/factures/FA-2026-999999").status_code == 404


@pytest.mark.clause("CGS-3.3-01")
def test_a_visitor_is_sent_to_sign_in(app, bought):
    visitor = app.test_client()
    for url in (URL, f"{URL}.pdf"):
        response = visitor.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/connexion")


def test_fulfilling_twice_issues_one_invoice(app, bought):
    order = db.session.query(Order).filter_by(reference=bought).one()
    with app.test_request_context():
        first_payment.fulfil(order, "PSP-AGAIN", "simulated", None, None)
    assert db.session.query(Invoice).count() == 1


@pytest.mark.clause("CGS-3.3-01")
def test_a_refund_notification_issues_a_credit_note_for_the_invoice(app, client, bought):
    charge = db.session.query(PaymentTransaction).one()
    key = app.extensions["payment_gateway"].hmac_key
    refund = {"eventCode": "REFUND", "success": "true", "pspReference": "PSPREFUND",
              "originalReference": charge.psp_reference, "merchantReference": "REFUND-1",
              "merchantAccountCode": "SimulatedMerchant", "eventDate": "2026-11-27T10:00:00+01:00",
              "amount": {"value": 2000, "currency": "EUR"}, "reason": ""}
    body = adyen.notification_body([refund], key)
    for _ in range(2):  # a replay changes nothing
        assert client.post("/webhooks/paiement", data=body, content_type="application/json").status_code == 200
    note = db.session.query(Invoice).filter_by(kind=InvoiceKind.CREDIT_NOTE).one()
    assert note.number == "AV-2026-000001" and note.credited_invoice.number == NUMBER
    assert note.amount_ttc_cents == 2000
    soup = BeautifulSoup(client.get(f"/compte/factures/{note.number}").get_data(as_text=True), "html.parser")
    assert text_of(soup.h1) == "Avoir AV-2026-000001"
    assert f"Avoir relatif à la facture {NUMBER}" in text_of(soup.main)
    assert text_of(soup.select_one("main a[href$='.pdf']")) == "Télécharger l'avoir AV-2026-000001 (PDF)"
