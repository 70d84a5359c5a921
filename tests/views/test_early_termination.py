"""Premium Plus early termination during the first three months, indemnity at most 30 % (art. 6.2, L444-8)."""

from datetime import datetime

import pytest

from app.extensions import db
from app.models import PaymentTransaction, Subscription
from app.models.commerce import SubscriptionStatus
from app.models.payment import TransactionKind
from app.services.common import clock
from app.services.exits import termination
from tests import checkout_flow as flow
from tests.conftest import text_of


@pytest.mark.clause("CGS-6.2-02")
def test_the_indemnity_is_shown_line_by_line_before_confirming(client, plus_subscriber):
    page = flow.soup(client.get("/compte/parametres/premium/resiliation-anticipee"))
    table = text_of(page.select_one("#indemnity")).replace("\u202f", " ")
    assert "300,00 € × 12 mois (durée indicative) = 3 600,00 €" in table
    assert "30 % du prix du contrat" in table and "1 080,00 €" in table  # the cap and the indemnity
    assert "Sommes déjà versées 300,00 €" in table
    assert "780,00 €" in text_of(page.select_one("#remaining-due")).replace("\u202f", " ")


@pytest.mark.clause("CGS-6.2-02")
def test_confirming_ends_at_once_and_charges_only_the_remainder(client, plus_subscriber):
    client.post("/compte/parametres/premium/resiliation-anticipee")
    subscription = db.session.query(Subscription).one()
    assert subscription.status == SubscriptionStatus.ENDED
    charges = [t.amount_cents for t in db.session.query(PaymentTransaction).filter_by(kind=TransactionKind.CHARGE)]
    assert sorted(charges) == [30000, 78000]
    from app.models import Invoice

    indemnity = db.session.query(Invoice).filter_by(amount_ttc_cents=78000).one()
    assert "Indemnité de résiliation anticipée" in indemnity.description_fr  # an invoice for every charge


@pytest.mark.clause("CGS-6.2-02")
def test_the_three_months_run_from_the_contracts_entry_into_force_not_from_valider(client, plus_subscriber):
    """Valider on 4 January, signature on the 12th: the law's three months (from the contract's entry into force)
    are longer than the terms' (from the acceptance), and the learner gets the longer."""
    clock.freeze(datetime(2027, 4, 11, 18, 0, tzinfo=clock.PARIS))  # past 4 April, before 12 April
    page = flow.soup(client.get("/compte/parametres/premium/resiliation-anticipee"))
    assert "780,00 €" in text_of(page.select_one("#remaining-due")).replace("\u202f", " ")
    assert termination.window_end(plus_subscriber) == datetime(2027, 4, 12, 9, 0, tzinfo=clock.PARIS)


@pytest.mark.clause("CGS-6.2-02")
def test_after_three_months_the_normal_cancellation_applies(client, plus_subscriber):
    clock.freeze(datetime(2027, 4, 12, 9, 1, tzinfo=clock.PARIS))
    assert client.get("/compte/parametres/premium/resiliation-anticipee").status_code == 404


@pytest.mark.clause("CGS-6.2-02")
@pytest.mark.parametrize(("rate", "allowed"), [(0, True), (30, True), (31, False), (-1, False)])
def test_a_configured_rate_above_30_percent_is_refused_at_start_up(monkeypatch, rate, allowed):
    from app import create_app
    from app.config import Config

    monkeypatch.setenv("EARLY_TERMINATION_RATE_PERCENT", str(rate))
    if allowed:
        create_app(Config())
    else:
        with pytest.raises(RuntimeError, match="L444-8"):
            create_app(Config())


@pytest.mark.clause("CGS-6.2-02")
def test_a_lower_rate_lowers_the_indemnity_and_paid_sums_are_kept_up_to_it(plus_subscriber):
    figures = termination.quote(plus_subscriber, 5)  # 5 % of 3 600 € = 180 €, less than the 300 € paid
    assert (figures.indemnity_cents, figures.kept_cents, figures.remaining_due_cents) == (18000, 18000, 0)
    assert figures.refund_cents == 12000  # the 120 € paid beyond it


@pytest.mark.clause("CGS-6.2-02")
def test_what_was_paid_beyond_the_indemnity_is_refunded_with_a_credit_note(app, client, plus_subscriber,
                                                                           monkeypatch):
    monkeypatch.setitem(app.config, "EARLY_TERMINATION_RATE_PERCENT", 5)
    page = flow.soup(client.get("/compte/parametres/premium/resiliation-anticipee"))
    assert text_of(page.select_one("#refunded-excess")).replace("\u202f", " ") == "120,00 €"
    assert text_of(page.select_one("main form button")) == (
        "Confirmer la résiliation et être remboursé de 120,00 €")
    client.post("/compte/parametres/premium/resiliation-anticipee")
    assert db.session.query(Subscription).one().status == SubscriptionStatus.ENDED
    [refund] = db.session.query(PaymentTransaction).filter_by(kind=TransactionKind.REFUND).all()
    assert refund.amount_cents == 12000 and refund.merchant_reference.startswith("RTP-")
    assert [t.amount_cents for t in db.session.query(PaymentTransaction).filter_by(kind=TransactionKind.CHARGE)] \
        == [30000]  # nothing charged
    from app.models import Invoice
    [credit_note] = db.session.query(Invoice).filter(Invoice.number.like("AV-%")).all()
    assert credit_note.amount_ttc_cents == 12000
    from app.models import OutboxMessage
    confirmation = db.session.query(OutboxMessage).filter(OutboxMessage.body_text.contains("L444-8")).one()
    body = " ".join(confirmation.body_text.replace("\xa0", " ").replace("\u202f", " ").split())
    assert "Vous aviez versé 120,00 € de plus que l'indemnité" in body


@pytest.mark.clause("CGS-6.2-02")
def test_on_a_short_parcours_the_months_paid_beyond_30_percent_are_refunded(app):
    """Consultant marketing digital: 6 months at 220 €, a contract of 1 320 €, an indemnity of at most 396 €. Two
    months paid (440 €) are more than that: terminating refunds 44 €, charges nothing."""
    from flask import current_app

    from app import demo_accounts as journeys
    from tests.factories import PASSWORD

    clock.freeze(datetime(2027, 1, 4, 9, 0, tzinfo=clock.PARIS))
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_BASE_URL"]):
        user = journeys.signed_up("court@example.org", "Chloé", "Court", PASSWORD)
        subscription = journeys.subscribed_plus(journeys.simulated_provider(), user, "consultant-marketing-digital")
        journeys.renewed([subscription], times=1)
        figures = termination.terminate(subscription, 30, app.extensions["payment_gateway"])
    assert (figures.contract_price_cents, figures.indemnity_cents, figures.already_paid_cents) == (132000, 39600,
                                                                                                  44000)
    assert (figures.remaining_due_cents, figures.refund_cents) == (0, 4400)
    refunds = db.session.query(PaymentTransaction).filter_by(kind=TransactionKind.REFUND).all()
    assert [refund.amount_cents for refund in refunds] == [4400]
    assert termination.paid_for(subscription) == 39600  # exactly the indemnity is kept
