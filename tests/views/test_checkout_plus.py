"""Premium Plus: "Démarrer" on a Parcours, acceptance, the 7-day reflection period, signature (art. 2.2, 6.2)."""

from datetime import datetime, timedelta

import pytest

from app.extensions import db
from app.models import Consent, Order, PaymentTransaction, SimulatedPaymentSession, Subscription
from app.models.commerce import ConsentKind, OrderStatus, SubscriptionStatus
from app.services import DomainError
from app.services.catalog import browse
from app.services.commerce import contracts, pricing
from app.services.common import clock
from app.services.legal import documents
from tests import checkout_flow as flow
from tests.conftest import text_of

PARCOURS = "developpeur-application-python"
START = f"/parcours/{PARCOURS}/demarrer"


def accept_plus(client, **details) -> str:
    reference = flow.start(client, START)
    flow.details(client, reference, **details)
    assert flow.payment_step(client, reference, consents=flow.PLUS_CONSENTS).status_code == 302
    response = flow.validate(client, reference)
    assert response.headers["Location"].endswith("/confirmation")
    return reference


@pytest.fixture
def accepted_on_26_november(client):
    clock.freeze(datetime(2026, 11, 26, 9, 0, tzinfo=clock.PARIS))
    reference = accept_plus(client)
    return db.session.query(Subscription).one(), reference


@pytest.mark.clause("CGS-2.2-B2")
def test_an_open_parcours_offers_demarrer_and_nous_contacter(page):
    section = page(f"/parcours/{PARCOURS}").select_one("#financer-section")
    links = {text_of(a).split(" — ")[0]: a["href"] for a in section.select("a")}
    assert links["Démarrer"] == START
    assert links["Nous contacter"] == f"/contact?parcours={PARCOURS}"


@pytest.mark.clause("CGS-1-07")
def test_a_parcours_not_yet_open_cannot_be_started_even_by_url(client):
    flow.enter(client, "/parcours/administrateur-infrastructure-cloud/demarrer")
    assert db.session.query(Order).count() == 0


@pytest.mark.clause("CGS-2.2-B3")
def test_demarrer_asks_for_the_terms_and_the_student_rules_both_recorded_with_their_versions(client):
    reference = flow.start(client, START)
    flow.details(client, reference)
    page = flow.soup(flow.payment_step(client, reference, consents={"consent_terms": "y",
                                                                    "consent_payment_holder": "y"}))
    assert "Règlement Intérieur Étudiant" in text_of(page.select_one("#consent_student_rules-error"))
    assert page.select_one("main a[href='/reglement-interieur']")
    flow.payment_step(client, reference, consents=flow.PLUS_CONSENTS)
    consents = {c.kind: c for c in db.session.query(Consent).all()}
    assert consents[ConsentKind.STUDENT_RULES].document_version_id == documents.version_in_force("rules").id
    assert consents[ConsentKind.TERMS].document_version_id == documents.version_in_force().id
    assert ConsentKind.IMMEDIATE_ACCESS not in consents


@pytest.mark.clause("CGS-6.2-01")
def test_validating_plus_starts_a_seven_day_reflection_and_charges_nothing(client, accepted_on_26_november):
    subscription, reference = accepted_on_26_november
    assert subscription.status == SubscriptionStatus.REFLECTION
    assert subscription.reflection_ends_at == subscription.accepted_at + timedelta(days=7)
    assert db.session.query(SimulatedPaymentSession).count() == 0
    assert db.session.query(PaymentTransaction).count() == 0
    page = flow.soup(client.get(f"/commande/{reference}/confirmation"))
    assert "Rien n'a été débité" in text_of(page.main) and "3 décembre 2026" in text_of(page.main)


def test_the_premium_tab_shows_the_reflection_period_and_leads_to_signing_or_giving_up(client,
                                                                                     accepted_on_26_november):
    subscription, _ = accepted_on_26_november
    panel = flow.soup(client.get("/compte/parametres/premium")).select_one("#reflection-period")
    assert "se termine le 3 décembre 2026" in text_of(panel) and "rien n'est dû" in text_of(panel)
    link = panel.select_one("a.govuk-button")
    assert link["href"] == f"/abonnements/{subscription.id}/contrat"
    assert text_of(link) == "Voir mon contrat ou y renoncer"  # not signable yet
    clock.freeze(subscription.reflection_ends_at + timedelta(minutes=1))
    panel = flow.soup(client.get("/compte/parametres/premium")).select_one("#reflection-period")
    assert text_of(panel.select_one("a.govuk-button")) == "Signer mon contrat ou y renoncer"


@pytest.mark.clause("CGS-6.2-01")
def test_the_contract_cannot_be_signed_before_day_seven(client, accepted_on_26_november):
    subscription, _ = accepted_on_26_november
    clock.freeze(datetime(2026, 12, 3, 8, 59, tzinfo=clock.PARIS))
    page = flow.soup(client.get(f"/abonnements/{subscription.id}/contrat"))
    assert page.select_one("#reflection-running") and not page.select_one("form[action$='/signer']")
    refused = client.post(f"/abonnements/{subscription.id}/signer")
    assert refused.headers["Location"].endswith("/contrat")
    assert db.session.query(SimulatedPaymentSession).count() == 0
    with pytest.raises(DomainError):
        contracts.sign(db.session.get(Subscription, subscription.id), None, "", "fr")


@pytest.mark.clause("CGS-6.2-01")
@pytest.mark.clause("CGS-3.1-01")
def test_on_day_seven_the_learner_is_invited_signs_and_pays_the_first_month(app, client, accepted_on_26_november):
    subscription, reference = accepted_on_26_november
    clock.freeze(datetime(2026, 12, 3, 9, 0, tzinfo=clock.PARIS))
    runner = app.test_cli_runner()
    assert "invited: 1" in runner.invoke(args=["billing", "run"]).output
    assert "invited: 0" in runner.invoke(args=["billing", "run"]).output  # once only
    page = flow.soup(client.get(f"/abonnements/{subscription.id}/contrat"))
    assert "Annexe 1" in text_of(page.select_one("details.contract-text"))
    hosted = client.post(f"/abonnements/{subscription.id}/signer").headers["Location"]
    assert flow.pay(client, hosted).endswith("/confirmation")
    subscription = db.session.get(Subscription, subscription.id)
    assert subscription.status == SubscriptionStatus.ACTIVE and subscription.signed_at
    charge = db.session.query(PaymentTransaction).one()
    assert charge.amount_cents == 30000  # one month of the Parcours, nothing more in advance


def test_a_refused_card_at_signature_leaves_the_contract_to_sign_again(client, accepted_on_26_november):
    subscription, _ = accepted_on_26_november
    clock.freeze(datetime(2026, 12, 4, 9, 0, tzinfo=clock.PARIS))
    hosted = client.post(f"/abonnements/{subscription.id}/signer").headers["Location"]
    flow.pay(client, hosted, card=flow.REFUSED_CARD)
    subscription = db.session.get(Subscription, subscription.id)
    assert subscription.status == SubscriptionStatus.REFLECTION and subscription.signed_at is None
    assert db.session.query(Order).one().status == OrderStatus.ACCEPTED


@pytest.mark.clause("CGS-6.2-01")
def test_the_learner_can_give_up_during_the_reflection_period_at_no_cost(client, accepted_on_26_november):
    subscription, _ = accepted_on_26_november
    client.post(f"/abonnements/{subscription.id}/renoncer")
    assert db.session.get(Subscription, subscription.id).status == SubscriptionStatus.ABANDONED
    assert db.session.query(PaymentTransaction).count() == 0
    from app.models import OutboxMessage

    mail = db.session.query(OutboxMessage).filter(OutboxMessage.subject.startswith("Vous avez renoncé")).one()
    assert mail.recipient == subscription.user.email and "rien n'est dû" in mail.body_text


@pytest.mark.clause("CGS-6.2-04")
@pytest.mark.parametrize(("monthly", "months", "advance", "allowed"), [
    (30000, 12, 30000, True),  # one month of a 12-month Parcours: 8 %
    (30000, 12, 108000, True),  # exactly 30 % of 360 000
    (30000, 12, 108001, False),
    (30000, 3, 30000, False),  # one month of a 3-month course is 33 %
    (45000, 18, 162000, True),  # > 12 months: 30 % of the first year (540 000), not of 810 000
    (45000, 18, 162001, False),
])
def test_no_more_than_30_percent_may_be_paid_in_advance(monthly, months, advance, allowed):
    if allowed:
        pricing.check_advance_payment(advance, monthly, months)
    else:
        with pytest.raises(DomainError):
            pricing.check_advance_payment(advance, monthly, months)


@pytest.mark.clause("CGS-2.2-F3")
def test_a_learner_who_stopped_and_comes_back_pays_the_current_price(client, accepted_on_26_november):
    subscription, _ = accepted_on_26_november
    client.post(f"/abonnements/{subscription.id}/renoncer")
    parcours = browse.parcours_by_slug(PARCOURS)
    parcours.monthly_price_cents = 32000
    db.session.commit()
    reference = flow.reference_in(client.get(START).headers["Location"])
    flow.details(client, reference)
    flow.payment_step(client, reference, consents=flow.PLUS_CONSENTS)
    review = flow.soup(client.get(f"/commande/{reference}/verification"))
    assert "320,00 € TTC" in text_of(review.select_one("#order-summary"))
