"""Mes paramètres > Premium: the subscription, the transactions, cancelling and undoing it (art. 2.1 d, 3.3, 7)."""

from datetime import datetime

import pytest

from app.extensions import db
from app.models import PaymentTransaction, Subscription
from app.models.commerce import SubscriptionStatus
from app.models.payment import TransactionKind
from app.services.commerce import pricing
from app.services.common import clock
from tests import checkout_flow as flow
from tests.billing_runs import run
from tests.conftest import text_of


@pytest.fixture
def subscriber(client):
    clock.freeze(datetime(2027, 1, 31, 10, 0, tzinfo=clock.PARIS))
    flow.buy_solo(client)
    return db.session.query(Subscription).one()


@pytest.mark.clause("CGS-2.1-D2")
def test_the_premium_tab_shows_the_offer_status_next_renewal_locked_price_and_method(client, subscriber):
    pricing.set_solo_monthly_price(2500)
    db.session.commit()
    page = flow.soup(client.get("/compte/parametres/premium"))
    assert text_of(page.h1) == "Mes paramètres"
    assert page.select_one(".tabs-nav a[aria-current=page]").get_text() == "Premium"
    assert text_of(page.select_one("#subscription-status")) == "Actif"
    assert "28 février 2027 : 20,00 € TTC" in text_of(page.select_one("#next-renewal"))
    locked = text_of(page.select_one("#locked-price"))
    assert "20,00 € TTC" in locked and "prix public actuel : 25,00 € TTC" in locked
    assert "Visa •••• 1111" in text_of(page.main)
    assert page.select_one("a#cancel-trigger")["href"] == "/compte/parametres/premium/resilier"


@pytest.mark.clause("CGS-3.3-02")
@pytest.mark.clause("CGS-7-02")
def test_the_transaction_history_and_the_amount_paid_over_twelve_months(client, subscriber):
    page = flow.soup(client.get("/compte/parametres/premium"))
    table = page.select_one("section[aria-labelledby=transactions-title] table")
    assert table.caption and [th["scope"] for th in table.select("thead th")] == ["col"] * 5
    first_row = [text_of(td) for td in table.select("tbody tr")[0].select("td")]
    assert first_row[1] == "Paiement" and first_row[2].replace("\u00a0", " ") == "20,00 €"
    assert "20,00 € TTC" in text_of(page.select_one("#paid-12-months"))


@pytest.mark.clause("CGS-2.1-D2")
@pytest.mark.clause("CGS-2.1-D3")
def test_cancelling_without_javascript_states_the_end_date_then_confirms(client, subscriber):
    confirmation = flow.soup(client.get("/compte/parametres/premium/resilier"))
    assert text_of(confirmation.h1) == "Résilier mon abonnement ?"
    assert "28 février 2027" in text_of(confirmation.main) and "Le mois commencé est dû" in text_of(confirmation.main)
    client.post("/compte/parametres/premium/resilier")
    page = flow.soup(client.get("/compte/parametres/premium"))
    assert text_of(page.select_one("#subscription-status")) == "Résilié, fin le 28 février 2027"
    assert db.session.query(Subscription).one().status == SubscriptionStatus.CANCELLING


def test_with_htmx_the_confirmation_is_a_dialog_fragment(client, subscriber):
    response = client.get("/compte/parametres/premium/resilier", headers={"HX-Request": "true"})
    fragment = flow.soup(response)
    dialog = fragment.select_one("dialog#cancel-dialog")
    assert dialog["aria-labelledby"] == "cancel-dialog-title" and fragment.select_one("html") is None
    assert dialog.select_one("form")["action"] == "/compte/parametres/premium/resilier"


def test_undoing_the_cancellation_before_the_end_of_the_period(client, subscriber):
    client.post("/compte/parametres/premium/resilier")
    client.post("/compte/parametres/premium/annuler-resiliation")
    assert db.session.query(Subscription).one().status == SubscriptionStatus.ACTIVE


def test_the_premium_tab_without_a_subscription_points_to_the_offers(client, signed_in):
    page = flow.soup(client.get("/compte/parametres/premium"))
    assert page.select_one("main a[href='/premium']")
    assert client.get("/compte/parametres/premium/resilier").status_code == 404


def test_the_premium_tab_needs_to_be_signed_in(client):
    assert client.get("/compte/parametres/premium").headers["Location"].startswith("/connexion")


@pytest.mark.clause("CGS-6.1-01")
def test_before_any_premium_access_the_learner_withdraws_and_is_refunded_in_full(client, subscriber):
    from app.models import PaymentTransaction
    from app.models.payment import TransactionKind

    page = flow.soup(client.get("/compte/parametres/premium"))
    assert "14 février 2027" in text_of(page.select_one("section[aria-labelledby=premium-title]"))
    client.post("/compte/parametres/premium/retractation")
    assert db.session.query(Subscription).one().status == SubscriptionStatus.WITHDRAWN
    refund = db.session.query(PaymentTransaction).filter_by(kind=TransactionKind.REFUND).one()
    assert refund.amount_cents == 2000


@pytest.mark.clause("CGS-6.1-01")
def test_after_the_first_premium_access_the_page_explains_the_right_was_waived_and_when(client, subscriber):
    from app.services.commerce import access

    access.record_premium_access(db.session.query(Subscription).one().user)
    db.session.commit()
    page = flow.soup(client.get("/compte/parametres/premium"))
    assert "renonçant à votre droit de rétractation" in text_of(page.select_one("#withdrawal-waived"))
    assert client.get("/compte/parametres/premium/retractation").status_code == 404
    assert client.post("/compte/parametres/premium/retractation").status_code == 404


@pytest.mark.clause("CGS-6.1-01")
def test_the_withdrawal_right_lasts_fourteen_days(client, subscriber):
    from datetime import timedelta

    clock.advance(timedelta(days=14, minutes=1))
    assert client.get("/compte/parametres/premium/retractation").status_code == 404


@pytest.mark.clause("CGS-3.3-01")
def test_the_premium_tab_lists_every_invoice_with_a_pdf_link_that_says_which(client, subscriber):
    page = flow.soup(client.get("/compte/parametres/premium"))
    table = page.select_one("table#invoices")
    assert table.caption and [th["scope"] for th in table.select("thead th")] == ["col"] * 5
    number = text_of(table.select_one("tbody th[scope=row]"))
    assert number.startswith("FA-2027-")
    pdf_link = table.select_one("a[type='application/pdf']")
    assert text_of(pdf_link) == f"PDF de la facture {number}"
    assert client.get(pdf_link["href"]).mimetype == "application/pdf"


@pytest.mark.clause("CGS-3.3-01")
def test_a_withdrawal_adds_a_credit_note_to_the_list(client, subscriber):
    client.post("/compte/parametres/premium/retractation")
    rows = flow.soup(client.get("/compte/parametres/premium")).select("table#invoices tbody tr")
    numbers = [text_of(row.select_one("th")) for row in rows]
    assert any(n.startswith("AV-") for n in numbers) and any(n.startswith("FA-") for n in numbers)


@pytest.mark.clause("CGS-3.2-01")
def test_a_refused_renewal_paid_again_with_regler_restores_access_at_the_locked_price(app, client, subscriber):
    from datetime import timedelta

    from app.models import SimulatedStoredMethod
    from app.services.billing import renewals
    from app.services.commerce import subscriptions

    old_card = subscriber.stored_method_id
    db.session.query(SimulatedStoredMethod).update({"refuses": True})  # the stored card now declines
    db.session.commit()
    clock.freeze(subscriber.current_period_end + timedelta(minutes=1))
    renewals.run(app.extensions["payment_gateway"], renewals.DunningPolicy(), db.session.commit)
    clock.advance(timedelta(days=11))
    renewals.run(app.extensions["payment_gateway"], renewals.DunningPolicy(), db.session.commit)
    assert db.session.query(Subscription).one().status == SubscriptionStatus.SUSPENDED
    page = flow.soup(client.get("/compte/parametres/premium"))
    assert "Régler 20,00 € maintenant" in text_of(page.select_one("#overdue button")).replace("\u00a0", " ")
    hosted = client.post("/compte/parametres/premium/regler").headers["Location"]
    assert client.post("/compte/parametres/premium/regler").headers["Location"] == hosted  # a double click
    landing = client.post(hosted, data=flow.GOOD_CARD).headers["Location"].removeprefix(flow.BASE)
    client.get(landing)
    subscription = db.session.query(Subscription).one()
    assert subscription.status == SubscriptionStatus.ACTIVE
    assert subscriptions.has_premium_access(subscription.user_id)
    assert subscription.monthly_price_cents == 2000
    assert subscription.stored_method_id != old_card  # the new card serves the next renewals
    charges = db.session.query(PaymentTransaction).filter_by(kind=TransactionKind.CHARGE).all()
    assert sorted(c.amount_cents for c in charges) == [2000, 2000]  # the order, then the overdue month


def test_the_premium_tab_of_a_plus_subscriber_takes_five_queries_after_months_of_renewals(app, client,
                                                                                          plus_subscriber, statements):
    for month in (2, 3):
        clock.freeze(datetime(2027, month, 12, 10, 0, tzinfo=clock.PARIS))
        assert run(app.extensions["payment_gateway"]).renewed == 1
    client.get("/compte/parametres/premium")  # the session's last activity, noted every five minutes
    statements.clear()
    page = flow.soup(client.get("/compte/parametres/premium"))
    assert len(page.select("section[aria-labelledby=transactions-title] tbody tr")) == 3
    assert len(statements) <= 5, "\n".join(statements)


@pytest.mark.clause("CGS-7-02")
def test_the_amount_paid_over_twelve_months_leaves_older_payments_out(client, subscriber):
    subscriber.status = SubscriptionStatus.ENDED
    db.session.commit()
    clock.freeze(datetime(2028, 2, 15, 10, 0, tzinfo=clock.PARIS))
    page = flow.soup(client.get("/compte/parametres/premium"))
    assert "0,00 € TTC" in text_of(page.select_one("#paid-12-months"))
    assert len(page.select("section[aria-labelledby=transactions-title] tbody tr")) == 1


def test_cancelling_looks_destructive_and_replacing_the_payment_method_does_not(client, subscriber):
    page = flow.soup(client.get("/compte/parametres/premium"))
    trigger = page.select_one("a#cancel-trigger")
    assert text_of(trigger) == "Résilier mon abonnement"
    assert "govuk-button--warning" in trigger["class"] and "govuk-button--secondary" not in trigger["class"]
    replace = next(button for button in page.select("#replace-payment-method button")
                   if text_of(button) == "Remplacer le moyen de paiement")
    assert "govuk-button--warning" not in replace["class"]
    for confirmation in (flow.soup(client.get("/compte/parametres/premium/resilier")),
                         flow.soup(client.get("/compte/parametres/premium/resilier", headers={"HX-Request": "true"}))):
        confirm = next(button for button in confirmation.select("form button[type=submit]")
                       if text_of(button) == "Confirmer la résiliation")
        assert "govuk-button--warning" in confirm["class"]


def test_the_cancellation_outcome_is_in_the_title_and_a_banner_focused_on_load_with_or_without_javascript(
        client, subscriber):
    page = flow.soup(client.post("/compte/parametres/premium/resilier", follow_redirects=True))
    assert text_of(page.title).startswith("Votre abonnement est résilié — Premium — Mes paramètres")
    banner = page.select_one(".govuk-notification-banner--success")
    assert banner["role"] == "alert" and banner["tabindex"] == "-1"
    assert banner.has_attr("data-focus-on-load") and banner.has_attr("autofocus")  # script, or the browser alone
    assert text_of(banner.select_one(".govuk-notification-banner__content")).startswith(
        "Votre abonnement est résilié. Il prendra fin le 28 février 2027")
