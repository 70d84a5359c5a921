"""Mes coordonnées de facturation: a subscriber corrects the billing name and address of their subscription and
may name the employer who pays, with its VAT number; the invoices issued afterwards carry them, those issued
before never change (issue: rectification; CGS-3.3-01 for what an invoice shows)."""

from datetime import datetime

import pytest
from facturx import get_facturx_xml_from_pdf, xml_check_xsd
from lxml import etree
from sqlalchemy import select

from app import jobs
from app.extensions import db
from app.models import Invoice, Subscription
from app.services.billing import invoices
from app.services.common import clock
from tests.banners import SUCCESS_MESSAGE
from tests.conftest import signed_in_client, soup_of, text_of
from tests.factories import PaymentTransactionFactory, make_user, subscriber
from tests.pdf_checks import pdf_text

PAGE = "/compte/parametres/facturation"


@pytest.fixture
def learner(app):
    clock.freeze(datetime(2027, 3, 2, 10, 0, tzinfo=clock.PARIS))
    return subscriber("facture@example.org", "Léa", "Martin")


def details(**changes) -> dict[str, str]:
    values = {"billing_name": "Léa Martin", "billing_address": "12 rue des Lilas", "billing_postal_code": "69003",
              "billing_city": "Lyon", "billing_country": "FR", "billing_company": "", "billing_vat_number": ""}
    values.update(changes)
    return values


def next_invoice(user) -> Invoice:
    """The invoice of a charge made after the correction, rendered as the job queue renders it."""
    subscription = db.session.scalars(select(Subscription).where(Subscription.user_id == user.id)).one()
    charge = PaymentTransactionFactory(subscription=subscription, amount_cents=2000)
    invoice = invoices.issue_for_charge(charge, subscription, subscription.current_period_start,
                                        subscription.current_period_end)
    db.session.commit()
    jobs.enqueue_committed_jobs()
    return db.session.get(Invoice, invoice.id)


@pytest.mark.clause("CGS-3.3-01")
def test_the_next_invoice_names_the_employer_and_its_vat_number(app, learner):
    before = next_invoice(learner)
    browser = signed_in_client(app, learner)
    response = browser.post(PAGE, data=details(billing_company="Atelier  Dupont SARL",
                                               billing_vat_number="fr 12 345678901"), follow_redirects=True)
    assert "Vos coordonnées de facturation sont corrigées : vos prochaines factures les porteront." in [
        text_of(notice) for notice in soup_of(response).select(SUCCESS_MESSAGE)]
    after = next_invoice(learner)
    assert (after.customer_company, after.customer_vat_number) == ("Atelier Dupont SARL", "FR12345678901")
    assert after.customer_address.splitlines()[:2] == ["12 rue des Lilas", "69003 Lyon"]
    text = pdf_text(after.pdf)
    assert "Atelier Dupont SARL" in text and "N° de TVA intracommunautaire : FR12345678901" in text
    _name, xml = get_facturx_xml_from_pdf(after.pdf, check_xsd=False)
    root = etree.fromstring(xml)
    assert xml_check_xsd(root, flavor="factur-x", level="minimum")
    assert root.findtext(".//{*}BuyerTradeParty/{*}Name") == "Atelier Dupont SARL"
    db.session.refresh(before)
    assert before.customer_company == "" and "Atelier" not in before.customer_address  # issued: unchanged


def test_a_wrong_vat_number_is_said_next_to_its_field_and_loses_nothing(app, learner):
    soup = soup_of(signed_in_client(app, learner).post(PAGE, data=details(
        billing_address="5 place Bellecour", billing_company="Atelier Dupont", billing_vat_number="123")))
    assert soup.select_one("#billing_vat_number")["aria-invalid"] == "true"
    assert "Indiquez un numéro de TVA intracommunautaire" in text_of(soup.select_one("#error-summary"))
    assert soup.select_one("#billing_address")["value"] == "5 place Bellecour"


def test_a_vat_number_needs_the_company_it_belongs_to(app, learner):
    soup = soup_of(signed_in_client(app, learner).post(PAGE, data=details(billing_vat_number="FR12345678901")))
    assert soup.select_one("#billing_company")["aria-invalid"] == "true"


def test_without_a_subscription_there_is_nothing_to_correct_yet(app):
    soup = soup_of(signed_in_client(app, make_user("sans@example.org")).get(PAGE))
    assert text_of(soup.select_one("#no-billing")).startswith("Vous n'avez pas d'abonnement en cours")
    assert soup.select_one("main form") is None


def test_the_page_in_english_and_the_link_from_my_profile(app, learner):
    browser = signed_in_client(app, learner)
    assert soup_of(browser.get("/compte/parametres/profil")).select_one("#billing-link")["href"] == PAGE
    soup = soup_of(browser.get(PAGE, headers={"Accept-Language": "en"}))
    assert text_of(soup.h1) == "My billing details"
    assert text_of(soup.select_one("label[for=billing_company]")) == "Company (optional)"
