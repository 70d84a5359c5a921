"""The few seconds between the payment and the PDF rendered by the job queue: the learner is told the invoice is
being prepared, with the HTML invoice (always there) and a link to try again; then the PDF downloads."""

from datetime import datetime

import pytest

from app import jobs
from app.extensions import db
from app.models import Invoice, PaymentTransaction
from app.services.billing import invoices
from app.services.common import clock
from app.services.payments import adyen
from tests import checkout_flow as flow
from tests.conftest import past_the_sweep_delay, text_of

NUMBER = "FA-2026-000001"
URL = f"/compte/factures/{NUMBER}"


@pytest.fixture
def bought_while_rendering(app, client, monkeypatch):
    """Ana Lopez bought Premium Solo; the job queue has not rendered her invoice's PDF yet."""
    clock.freeze(datetime(2026, 11, 26, 10, 0, tzinfo=clock.PARIS))
    monkeypatch.setattr(jobs, "_enqueue", lambda job, *args: None)  # enqueued, not run yet
    flow.buy_solo(client)
    monkeypatch.undo()
    assert not db.session.query(Invoice).one().pdf_ready


@pytest.mark.parametrize(("lang", "heading", "html_link", "retry"), [
    ("fr", f"Facture {NUMBER} en préparation", f"Consulter la facture {NUMBER} en HTML, déjà disponible",
     "Réessayer le téléchargement du PDF"),
    ("en", f"Invoice {NUMBER} being prepared", f"View invoice {NUMBER} in HTML, already available",
     "Try downloading the PDF again"),
])
def test_the_pdf_link_says_the_invoice_is_being_prepared_until_the_job_has_rendered_it(
        client, bought_while_rendering, lang, heading, html_link, retry):
    response = client.get(f"{URL}.pdf", headers={"Accept-Language": lang})
    assert response.status_code == 202 and response.mimetype == "text/html"
    soup = flow.soup(response)
    assert soup.html["lang"] == lang
    assert text_of(soup.h1) == heading
    assert ("quelques secondes" if lang == "fr" else "a few seconds") in text_of(soup.main)
    assert text_of(soup.select_one(f"main a[href='{URL}']")) == html_link
    assert text_of(soup.select_one(f"main a[href='{URL}.pdf']")) == retry
    assert soup.find("meta", attrs={"http-equiv": "refresh"}) is None  # no refresh that moves the reader's focus


def test_the_html_invoice_and_the_premium_tab_list_an_invoice_being_prepared(client, bought_while_rendering):
    invoice_page = flow.soup(client.get(URL))
    assert text_of(invoice_page.h1) == f"Facture {NUMBER}"
    pdf_link = invoice_page.select_one(f"main a[href='{URL}.pdf']")
    assert not pdf_link.has_attr("download")  # it opens the page saying the PDF is on its way, never saves it
    tab = flow.soup(client.get("/compte/parametres/premium"))
    row = tab.select_one("#invoices tbody tr")
    assert text_of(row.select_one(f"th a[href='{URL}']")) == NUMBER
    assert row.select_one(f"a[href='{URL}.pdf']") is not None


def test_once_the_sweep_has_rendered_it_the_pdf_downloads(client, bought_while_rendering):
    past_the_sweep_delay()
    assert jobs.sweep_invoices.call_local() == 1
    assert flow.soup(client.get(URL)).select_one(f"main a[href='{URL}.pdf']").has_attr("download")
    response = client.get(f"{URL}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data == invoices.owned_by(db.session.query(Invoice).one().user_id, NUMBER).pdf
    assert response.data.startswith(b"%PDF-")


def test_a_credit_note_being_prepared_says_so_in_its_own_words(app, client, bought_while_rendering, monkeypatch):
    charge = db.session.query(PaymentTransaction).one()
    refund = {"eventCode": "REFUND", "success": "true", "pspReference": "PSPREFUND",
              "originalReference": charge.psp_reference, "merchantReference": "REFUND-1",
              "merchantAccountCode": "SimulatedMerchant", "eventDate": "2026-11-27T10:00:00+01:00",
              "amount": {"value": 2000, "currency": "EUR"}, "reason": ""}
    body = adyen.notification_body([refund], app.extensions["payment_gateway"].hmac_key)
    monkeypatch.setattr(jobs, "_enqueue", lambda job, *args: None)
    assert client.post("/webhooks/paiement", data=body, content_type="application/json").status_code == 200
    soup = flow.soup(client.get("/compte/factures/AV-2026-000001.pdf"))
    assert text_of(soup.h1) == "Avoir AV-2026-000001 en préparation"
    assert text_of(soup.select_one("main a[href='/compte/factures/AV-2026-000001']")) == (
        "Consulter l'avoir AV-2026-000001 en HTML, déjà disponible")
