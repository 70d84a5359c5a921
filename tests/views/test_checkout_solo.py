"""Becoming Premium Solo: the visitor's checkout from the offers page to the confirmation (art. 2.1, 3, 4)."""

import email
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import update

from app.extensions import db
from app.models import (
    Consent,
    LegalDocumentVersion,
    Order,
    PaymentTransaction,
    SimulatedPaymentSession,
    Subscription,
    User,
)
from app.models.commerce import ConsentKind, OrderStatus, SubscriptionStatus
from app.models.payment import TransactionKind
from app.services.commerce import pricing
from app.services.common import clock
from app.services.legal import documents
from tests import checkout_flow as flow
from tests.banners import PROBLEM_MESSAGE
from tests.conftest import text_of


def test_offers_page_compares_the_two_offers_and_starts_solo(page):
    soup = page("/premium")
    headings = [text_of(h) for h in soup.select("main .offers h2")]
    assert headings == ["Premium Solo", "Premium Plus"]
    assert "20,00 € TTC par mois" in text_of(soup.select_one("section[aria-labelledby=offer-solo]"))
    link = soup.find("a", string="Devenir Premium Solo")
    assert link["href"] == "/commande/solo"


@pytest.mark.clause("CGS-2.1-B1")
def test_devenir_premium_solo_leads_to_personal_details_then_payment_and_terms(client):
    account_page = flow.soup(client.get("/commande/solo"))
    assert {i["name"] for i in account_page.select("main form input[name], main form select")} >= {
        "first_name", "last_name", "email", "date_of_birth-day", "date_of_birth-month", "date_of_birth-year",
        "country"}
    reference = flow.start(client)
    assert flow.soup(client.get(f"/commande/{reference}/coordonnees")).select_one("#billing_address")
    flow.details(client, reference)
    payment = flow.soup(client.get(f"/commande/{reference}/paiement"))
    assert payment.select_one("input#consent_terms[type=checkbox]")
    assert payment.select_one("fieldset#payment_method input[value=card]")
    assert payment.select_one("fieldset#payment_method input[value=paypal]")


@pytest.mark.clause("CGS-1-01")
def test_an_order_without_the_terms_box_ticked_is_refused_and_nothing_else_is_lost(client):
    reference = flow.start(client)
    flow.details(client, reference)
    response = flow.payment_step(client, reference, consents={"consent_immediate_access": "y",
                                                               "consent_payment_holder": "y"},
                                 method="paypal", promo="BIENVENUE")
    page = flow.soup(response)
    assert response.status_code == 200
    assert "conditions générales" in text_of(page.select_one("#consent_terms-error"))
    assert [a["href"] for a in page.select("#error-summary a")] == ["#consent_terms"]
    assert page.select_one("#promo_code")["value"] == "BIENVENUE"
    assert page.select_one("input[name=payment_method][value=paypal]").has_attr("checked")
    assert page.select_one("#consent_payment_holder").has_attr("checked")
    assert db.session.query(Consent).count() == 0
    assert client.get(f"/commande/{reference}/verification").headers["Location"].endswith("/paiement")


@pytest.mark.clause("CGS-1-01")
@pytest.mark.clause("CGS-3.1-03")
@pytest.mark.clause("CGS-6.1-01")
def test_each_consent_is_recorded_with_document_version_time_and_ip(client):
    reference = flow.start(client)
    flow.details(client, reference)
    flow.payment_step(client, reference)
    consents = {c.kind: c for c in db.session.query(Consent).all()}
    assert set(consents) == {ConsentKind.TERMS, ConsentKind.IMMEDIATE_ACCESS, ConsentKind.PAYMENT_HOLDER}
    assert consents[ConsentKind.TERMS].document_version_id == documents.version_in_force().id
    assert "droit de rétractation" in consents[ConsentKind.IMMEDIATE_ACCESS].wording
    assert "titulaire du moyen de paiement" in consents[ConsentKind.PAYMENT_HOLDER].wording
    assert all(c.ip_address == "127.0.0.1" and c.given_at and c.given_by == "ana.lopez@example.org"
               for c in consents.values())


def postpone_every_version_of_the_terms() -> None:
    db.session.execute(update(LegalDocumentVersion).where(LegalDocumentVersion.document == documents.TERMS)
                       .values(effective_on=date(2099, 1, 1)))
    db.session.commit()


@pytest.mark.clause("CGS-1-01")
def test_no_consent_is_recorded_when_no_version_of_the_terms_is_in_force(client):
    """A consent that cannot name the version accepted proves nothing: the learner is told and keeps their
    choices, and nothing is recorded or ordered."""
    reference = flow.start(client)
    flow.details(client, reference)
    postpone_every_version_of_the_terms()
    response = flow.payment_step(client, reference, method="paypal")
    page = flow.soup(response)
    assert response.status_code == 200
    assert "pas encore publié" in text_of(page.select_one("#error-summary"))
    assert page.select_one("input[name=payment_method][value=paypal]").has_attr("checked")
    assert db.session.query(Consent).count() == 0
    assert client.get(f"/commande/{reference}/verification").headers["Location"].endswith("/paiement")


@pytest.mark.clause("CGS-2.1-B2")
@pytest.mark.clause("CGS-3-01")
def test_review_shows_offer_price_vat_today_and_renewals_with_links_back(client):
    reference = flow.start(client)
    flow.details(client, reference)
    flow.payment_step(client, reference)
    page = flow.soup(client.get(f"/commande/{reference}/verification"))
    assert text_of(page.h1) == "Vérifier votre commande"
    summary = page.select_one("#order-summary")
    assert text_of(summary.find_previous("h2")) == "Le détail de votre commande, prix toutes taxes comprises"
    rows = {text_of(row.dt): text_of(row.select_one("dd")) for row in summary.select(".govuk-summary-list__row")}
    assert rows["Offre"] == "Premium Solo" and rows["Prix mensuel"] == "20,00 € TTC"
    assert rows["Débité aujourd'hui"] == "20,00 € TTC, dont TVA 20 % : 3,33 €"
    assert rows["Renouvellement"].startswith("Reconduit tacitement chaque mois")
    # What can be changed says what it changes, to a screen reader too.
    assert [text_of(link) for link in summary.select(".govuk-summary-list__actions a")] == [
        "Modifier le moyen de paiement ou le code promo", "Modifier mes coordonnées"]
    links = {a["href"] for a in page.select("main a")}
    assert {f"/commande/{reference}/coordonnees", f"/commande/{reference}/paiement"} <= links
    assert page.select_one("main form")["action"] == f"/commande/{reference}/valider"
    english = flow.soup(client.get(f"/commande/{reference}/verification", headers={"Accept-Language": "en"}))
    assert "€20.00" in text_of(english.select_one("#order-summary"))


@pytest.mark.clause("CGS-2.1-B2")
def test_modifier_keeps_what_was_entered(client):
    reference = flow.start(client)
    flow.details(client, reference, billing_city="Lyon")
    flow.payment_step(client, reference, method="paypal")
    details = flow.soup(client.get(f"/commande/{reference}/coordonnees"))
    assert details.select_one("#billing_city")["value"] == "Lyon"
    payment = flow.soup(client.get(f"/commande/{reference}/paiement"))
    assert payment.select_one("input[name=payment_method][value=paypal]").has_attr("checked")


@pytest.mark.clause("CGS-2.1-B2")
@pytest.mark.clause("CGS-3.1-01")
def test_nothing_is_charged_before_valider(client):
    reference = flow.start(client)
    flow.details(client, reference)
    flow.payment_step(client, reference)
    client.get(f"/commande/{reference}/verification")
    assert db.session.query(SimulatedPaymentSession).count() == 0
    assert db.session.query(PaymentTransaction).count() == 0
    assert db.session.query(Order).one().status == OrderStatus.DRAFT


@pytest.mark.clause("CGS-2.1-B3")
@pytest.mark.clause("CGS-3-02")
@pytest.mark.clause("CGS-3.1-02")
def test_visitor_buys_premium_solo_with_the_simulated_card(app, client, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_OUTBOX_DIR", str(tmp_path))  # only this test's mail
    clock.freeze(datetime(2027, 1, 31, 10, 0, tzinfo=clock.PARIS))
    reference = flow.buy_solo(client)
    confirmation = flow.soup(client.get(f"/commande/{reference}/confirmation"))
    assert text_of(confirmation.h1) == "Merci, vous êtes Premium"
    assert "20,00 € TTC ont été débités" in text_of(confirmation.main)
    assert "Prochain renouvellement 28 février 2027" in text_of(confirmation.main)  # 31 January + 1 month
    order = db.session.query(Order).filter_by(reference=reference).one()
    subscription = db.session.query(Subscription).filter_by(order_id=order.id).one()
    assert subscription.status == SubscriptionStatus.ACTIVE
    assert subscription.stored_method_id and subscription.method_label == "Visa •••• 1111"
    charge = db.session.query(PaymentTransaction).one()
    assert (charge.kind, charge.amount_cents) == (TransactionKind.CHARGE, 2000)
    mails = [email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
             for p in sorted(Path(app.config["MAIL_OUTBOX_DIR"]).glob("*.eml"))
             if b"ana.lopez@example.org" in p.read_bytes()]
    subjects = [m["Subject"] for m in mails[-3:]]
    assert any("Confirmation de votre abonnement" in s for s in subjects)
    assert any("identifiants de connexion" in s for s in subjects)
    assert any(s.startswith("Votre facture FA-") for s in subjects)  # the first month's, its PDF attached
    sign_in = next(m for m in mails if "identifiants" in m["Subject"]).get_body(("plain",)).get_content()
    assert "ana.lopez@example.org" in sign_in and "/reinitialiser-mot-de-passe/" in sign_in
    assert "mot de passe :" not in sign_in.lower()
    user = db.session.query(User).filter_by(email="ana.lopez@example.org").one()
    assert user.password_hash is None  # no password was ever chosen or sent


@pytest.mark.clause("CGS-3-02")
def test_double_click_reload_or_replay_never_charges_twice(client):
    reference = flow.start(client)
    flow.details(client, reference)
    flow.payment_step(client, reference)
    first, second = flow.validate(client, reference), flow.validate(client, reference)
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.query(SimulatedPaymentSession).count() == 1
    hosted = first.headers["Location"]
    flow.pay(client, hosted)
    client.post(hosted, data=flow.GOOD_CARD)  # the payment form sent again
    flow.validate(client, reference, amount=2000)  # and "Valider" once more
    assert db.session.query(PaymentTransaction).filter_by(kind=TransactionKind.CHARGE).count() == 1
    assert db.session.query(Subscription).count() == 1


@pytest.mark.clause("CGS-3-02")
def test_a_tampered_amount_is_never_charged(client):
    reference = flow.start(client)
    flow.details(client, reference)
    flow.payment_step(client, reference)
    response = flow.validate(client, reference, amount=1)
    assert response.headers["Location"].endswith("/verification")
    assert db.session.query(SimulatedPaymentSession).count() == 0
    page = flow.soup(client.get(f"/commande/{reference}/verification"))
    assert "Le montant a changé" in text_of(page.select_one(PROBLEM_MESSAGE))


def test_a_refused_card_returns_to_the_payment_step_with_the_reason_then_a_good_card_works(client):
    reference = flow.start(client)
    flow.details(client, reference)
    flow.payment_step(client, reference, promo="BIENVENUE")
    landing = flow.pay(client, flow.validate(client, reference).headers["Location"], card=flow.REFUSED_CARD)
    assert landing.endswith(f"/commande/{reference}/paiement")
    page = flow.soup(client.get(landing))
    notice = page.select_one("#payment-refused")
    assert text_of(notice.h2) == "Paiement refusé"
    assert text_of(page.title).startswith("Paiement refusé — Paiement et consentements")
    assert notice.has_attr("data-focus-on-load") and notice["tabindex"] == "-1"  # read first, with JavaScript
    # The provider's own reason ("Refused") is for the team; the learner reads what it means, in their language.
    assert "Refused" not in text_of(notice) and "votre banque peut vous la dire" in text_of(notice)
    assert page.select_one("#promo_code")["value"] == "BIENVENUE"
    # The boxes the learner ticked for this order stay ticked.
    assert all(box.has_attr("checked") for box in page.select("fieldset.consents input[type=checkbox]"))
    failure = db.session.query(PaymentTransaction).one()
    assert failure.kind == TransactionKind.FAILURE
    flow.payment_step(client, reference, promo="BIENVENUE")
    retry = flow.validate(client, reference).headers["Location"]
    assert db.session.query(SimulatedPaymentSession).count() == 2  # a new attempt, a new idempotency key
    assert flow.pay(client, retry).endswith("/confirmation")
    assert db.session.query(PaymentTransaction).filter_by(kind=TransactionKind.CHARGE).one().amount_cents == 1000


def test_a_new_version_of_the_terms_is_not_shown_as_already_accepted(client):
    reference = flow.start(client)
    flow.details(client, reference)
    flow.payment_step(client, reference)
    documents.publish_terms_from_files("2026-12-06", clock.today_in_paris())  # in force from today
    page = flow.soup(client.get(f"/commande/{reference}/paiement"))
    ticked = {box["name"] for box in page.select("fieldset.consents input[type=checkbox][checked]")}
    assert ticked == {"consent_immediate_access", "consent_payment_holder"}  # the terms to accept anew


def test_a_holder_named_declined_is_refused(client):
    reference = flow.start(client)
    flow.details(client, reference)
    flow.payment_step(client, reference)
    landing = flow.pay(client, flow.validate(client, reference).headers["Location"],
                       card={**flow.GOOD_CARD, "card-holder": "DECLINED"})
    assert landing.endswith("/paiement")


def test_the_return_url_parameters_are_not_trusted(client):
    reference = flow.start(client)
    flow.details(client, reference)
    flow.payment_step(client, reference)
    hosted = flow.validate(client, reference).headers["Location"]
    session_id = hosted.rsplit("/", 1)[1]
    client.get(f"/commande/{reference}/retour?sessionId={session_id}&sessionResult=authorised")
    assert db.session.query(Order).one().status == OrderStatus.PAYING
    assert db.session.query(Subscription).count() == 0


@pytest.mark.clause("CGS-4-01")
def test_a_promo_code_is_shown_on_the_review_and_charged_as_reviewed(client):
    reference = flow.start(client)
    flow.details(client, reference)
    flow.payment_step(client, reference, promo="bienvenue")
    summary = text_of(flow.soup(client.get(f"/commande/{reference}/verification")).select_one("#order-summary"))
    assert "Code promo BIENVENUE" in summary and "10,00 € TTC" in summary
    flow.pay(client, flow.validate(client, reference).headers["Location"])
    assert db.session.query(PaymentTransaction).one().amount_cents == 1000
    confirmation = text_of(flow.soup(client.get(f"/commande/{reference}/confirmation")).select_one("dl"))
    assert "BIENVENUE" in confirmation and "10,00 €" in confirmation


@pytest.mark.clause("CGS-4-01")
@pytest.mark.parametrize(("code", "reason"), [
    ("NIMPORTEQUOI", "n'existe pas"), ("ETE2026", "a expiré le 31/08/2026"),
    ("RENTREE10", "n'est pas valable pour cette offre"),
])
def test_a_wrong_promo_code_says_why(client, code, reason):
    reference = flow.start(client)
    flow.details(client, reference)
    page = flow.soup(flow.payment_step(client, reference, promo=code))
    assert reason in text_of(page.select_one("#promo_code-error"))
    assert page.select_one("#promo_code")["value"] == code


@pytest.mark.clause("CGS-2.1-C1")
@pytest.mark.clause("CGS-2.2-F2")
def test_the_price_displayed_at_order_time_is_locked_on_the_subscription(client):
    reference = flow.buy_solo(client)
    pricing.set_solo_monthly_price(2500)
    db.session.commit()
    subscription = db.session.query(Subscription).one()
    assert subscription.monthly_price_cents == 2000
    assert db.session.query(Order).filter_by(reference=reference).one().monthly_price_cents == 2000
    assert "25,00 €" in text_of(flow.soup(client.get("/premium")).select_one("section[aria-labelledby=offer-solo]"))


def test_a_signed_in_learner_skips_the_account_step(client, signed_in):
    response = client.get("/commande/solo")
    assert response.status_code == 302 and response.headers["Location"].endswith("/coordonnees")


def test_an_order_belongs_to_its_learner_only(client, app):
    reference = flow.start(client)
    other = app.test_client()
    from tests.conftest import PASSWORD, make_user

    intruder = make_user("intrus@example.org")
    other.post("/connexion", data={"email": intruder.email, "password": PASSWORD})
    assert other.get(f"/commande/{reference}/coordonnees").status_code == 404


@pytest.mark.clause("CGS-1-02")
def test_every_checkout_step_links_the_terms_and_the_legal_notice(client):
    visitor_step = client.get("/commande/solo")
    reference = flow.start(client)
    flow.details(client, reference)
    flow.payment_step(client, reference)
    steps = ("coordonnees", "paiement", "verification")
    pages = [flow.soup(visitor_step)] + [flow.soup(client.get(f"/commande/{reference}/{step}")) for step in steps]
    for page in pages:
        main_links = {a["href"] for a in page.select("main a")} | {a["href"] for a in page.select("footer a")}
        assert "/conditions-generales" in main_links and "/mentions-legales" in main_links, page.title


@pytest.mark.clause("CGS-4-01")
def test_a_referred_subscription_rewards_the_referrer(app, client):
    from app.models import ReferralReward

    referrer_client = app.test_client()
    referrer_ref = flow.buy_solo(referrer_client, email="parrain@example.org")
    link = flow.soup(referrer_client.get(f"/commande/{referrer_ref}/confirmation")).select_one("#referral-link")
    path = text_of(link).removeprefix(flow.BASE)
    assert path.startswith("/parrainage/")
    assert client.get(path).headers["Location"] == "/premium"
    flow.buy_solo(client, email="filleul@example.org", billing_address="3 place du Marché")
    reward = db.session.query(ReferralReward).one()
    referrer = db.session.query(User).filter_by(email="parrain@example.org").one()
    assert reward.referrer_id == referrer.id and reward.amount_cents == app.config["REFERRAL_REWARD_CENTS"]


def test_an_unknown_referral_code_sets_nothing(client):
    response = client.get("/parrainage/INCONNU")
    assert response.headers["Location"] == "/premium" and "parrain" not in response.headers.get("Set-Cookie", "")


@pytest.mark.clause("CGS-2.2-G4")
def test_the_faq_says_sick_leave_neither_pauses_nor_refunds_and_there_is_no_pause_feature(page, app):
    soup = page("/premium")
    answer = text_of(soup.select_one("#faq-sick-leave").find_next_sibling("p"))
    assert "ne suspend pas" in answer and "remboursement" in answer and "résiliez" in answer
    assert not [rule for rule in app.url_map.iter_rules() if "pause" in rule.rule]


@pytest.mark.parametrize(("lang", "done"), [("fr", "(étape faite)"), ("en", "(step done)")])
def test_the_steps_say_which_is_current_and_which_are_done(client, lang, done):
    reference = flow.start(client)
    flow.details(client, reference)
    flow.payment_step(client, reference)
    page = flow.soup(client.get(f"/commande/{reference}/verification", headers={"Accept-Language": lang}))
    steps = page.select("nav.steps li")
    assert [step.get("aria-current") for step in steps] == [None, None, "step", None]
    assert [done in text_of(step) for step in steps] == [True, True, False, False]
