"""The guardian's space (art. 1 of the terms, CGS-1-04): a guardian who approved a minor's or a protected adult's
subscription follows it from a signed, expiring link (a new one by entering their address), approves a new version
of the terms, and may end the contract on the learner's behalf, which the learner is told of."""

import re
from datetime import date, datetime, timedelta

import pytest

from app.extensions import db
from app.models import (
    Consent,
    ForceMajeureRequest,
    GuardianAct,
    GuardianApproval,
    Invoice,
    OutboxMessage,
    PaymentTransaction,
    Subscription,
)
from app.models.commerce import ConsentKind, GuardianActKind, GuardianStatus, SubscriptionStatus
from app.models.payment import TransactionKind
from app.services.commerce import terms_changes
from app.services.common import clock
from app.services.legal import documents
from tests.banners import PROBLEM_MESSAGE, SUCCESS_MESSAGE
from tests.conftest import check_page, soup_of, text_of

GUARDIAN = "marie.lopez@example.org"
SPACE = "/representant/espace"
SEVENTEEN_IN_2027 = date(2009, 5, 1)
TERMS_WORDING = "J'ai lu et j'accepte les conditions générales de services au nom de la personne que je représente."


@pytest.fixture
def ward(plus_subscriber: Subscription) -> Subscription:
    """The Premium Plus subscriber is 17, and her mother approved the subscription and accepted the terms."""
    learner = plus_subscriber.user
    learner.date_of_birth = SEVENTEEN_IN_2027
    approval = GuardianApproval(learner=learner, offer=plus_subscriber.offer, parcours=plus_subscriber.parcours,
                                guardian_name="Marie Lopez", guardian_email=GUARDIAN, relationship_kind="parent",
                                status=GuardianStatus.APPROVED, requested_at=clock.now() - timedelta(days=9),
                                decided_at=clock.now() - timedelta(days=8))
    db.session.add(approval)
    db.session.add(Consent(kind=ConsentKind.GUARDIAN_TERMS, user_id=learner.id, wording=TERMS_WORDING,
                           document_version_id=documents.version_in_force(documents.TERMS).id, given_by=GUARDIAN,
                           ip_address="192.0.2.1", given_at=clock.now() - timedelta(days=8)))
    db.session.commit()
    return plus_subscriber


def last_mail_to(recipient: str, subject_part: str = "") -> OutboxMessage:
    mail = (db.session.query(OutboxMessage).filter(OutboxMessage.recipient == recipient,
                                                   OutboxMessage.subject.contains(subject_part))
            .order_by(OutboxMessage.id.desc()).first())
    assert mail is not None, f"no mail to {recipient} about {subject_part!r}"
    return mail


def space_link_in(mail: OutboxMessage) -> str:
    found = re.search(r"http://127\.0\.0\.1:5000(/representant/espace/acces/\S+)", mail.body_text)
    assert found, mail.body_text
    return found[1]


def open_space(app, language: str = "fr"):
    """A guardian's browser that asked for a link from the space's page and followed the one mailed to them."""
    guardian = app.test_client()
    guardian.post(f"{SPACE}/lien", data={"email": GUARDIAN}, headers={"Accept-Language": language})
    response = guardian.get(space_link_in(last_mail_to(GUARDIAN)))
    assert response.headers["Location"] == SPACE
    return guardian


def space_page(guardian, language: str = "fr"):
    page = soup_of(guardian.get(SPACE, headers={"Accept-Language": language}))
    check_page(page)
    return page


@pytest.mark.clause("CGS-1-04")
def test_the_guardian_sees_status_dates_next_renewal_invoices_and_the_consents_they_gave(app, ward):
    page = space_page(open_space(app))
    section = page.select_one("section.ward")
    assert text_of(section.h2) == ward.user.full_name
    summary = text_of(section.select_one("dl"))
    assert "Premium Plus — Parcours" in summary and "Actif" in text_of(section.select_one(".ward-status"))
    assert "Contrat signé le 12 janvier 2027" in summary
    assert text_of(section.select_one(".ward-next-renewal")) == "le 12 février 2027 : 300,00 € TTC"
    number = db.session.query(Invoice).one().number
    row = section.select_one("table tbody tr")
    assert text_of(row.th) == number and "300,00 €" in text_of(row)
    download = app.test_client()  # the link lives in the guardian's session, not in the invoice's address
    assert download.get(f"{SPACE}/factures/{number}.pdf").status_code == 302
    pdf = row.select_one("a[type='application/pdf']")["href"]
    guardian = open_space(app)
    stored = db.session.query(Invoice).one()
    assert stored.pdf_ready and guardian.get(pdf).data == stored.pdf
    consents = text_of(section.find("h3", string="Vos accords").find_next("ul"))
    assert TERMS_WORDING in consents and "version" in consents
    # Read only: nothing on the page changes the subscription without a confirmation page of its own.
    assert [form["action"] for form in page.select("main form")] == [f"{SPACE}/quitter"]


@pytest.mark.clause("CGS-1-04")
def test_every_mail_copied_to_the_guardian_carries_the_link_to_the_space(app, client, ward):
    client.post("/compte/parametres/premium/resilier")  # the learner cancels: the guardian gets the copy
    copy = last_mail_to(GUARDIAN, "résiliation")
    assert "espace représentant" in copy.body_text
    guardian = app.test_client()
    assert guardian.get(space_link_in(copy)).headers["Location"] == SPACE
    assert "Résilié" in text_of(space_page(guardian).select_one(".ward-status"))


@pytest.mark.clause("CGS-1-04")
def test_the_link_expires_after_30_days_and_a_new_one_is_mailed_only_to_a_guardian(app, ward):
    guardian = app.test_client()
    guardian.post(f"{SPACE}/lien", data={"email": GUARDIAN})
    link = space_link_in(last_mail_to(GUARDIAN))
    clock.freeze(clock.now() + timedelta(days=30, minutes=1))
    expired = guardian.get(link)
    assert expired.status_code == 410
    page = soup_of(expired)
    assert "n'est plus valable" in text_of(page.h1)
    assert page.select_one(f"form[action='{SPACE}/lien'] input[name='email']") is not None
    # Whoever asks reads the same answer; only an address that answers for someone receives a link.
    for address in ("someone.else@example.org", GUARDIAN):
        answer = soup_of(guardian.post(f"{SPACE}/lien", data={"email": address}))
        assert "Vérifiez votre messagerie" in text_of(answer.h1)
    assert db.session.query(OutboxMessage).filter_by(recipient="someone.else@example.org").count() == 0
    fresh = space_link_in(last_mail_to(GUARDIAN))
    assert fresh != link and guardian.get(fresh).headers["Location"] == SPACE


def test_a_forged_link_or_no_link_opens_nothing(app, ward):
    guardian = app.test_client()
    assert guardian.get(f"{SPACE}/acces/forged.token").status_code == 410
    assert guardian.get(SPACE).headers["Location"] == f"{SPACE}/lien"


def test_a_bad_address_gets_its_message_next_to_the_field(app, ward):
    page = soup_of(app.test_client().post(f"{SPACE}/lien", data={"email": "not an address"}))
    assert "adresse email valide" in text_of(page.select_one("#email-error"))
    page = soup_of(app.test_client().post(f"{SPACE}/lien", data={"email": f"{GUARDIAN}\u202e"}))
    assert "inverse le sens de l'écriture" in text_of(page.select_one("#email-error"))
    assert page.select_one("input[name='email']")["value"] == GUARDIAN  # what was typed, less the override
    assert db.session.query(OutboxMessage).filter_by(recipient=GUARDIAN).count() == 0


@pytest.mark.clause("CGS-1-04")
def test_once_the_learner_comes_of_age_the_space_no_longer_shows_their_subscription(app, ward):
    guardian = open_space(app)
    ward.user.date_of_birth = date(2008, 12, 1)  # 18 on 1 December 2026
    db.session.commit()
    section = space_page(guardian).select_one("section.ward")
    assert "n'a plus besoin de votre accord" in text_of(section)
    assert section.select("table, dl") == []
    number = db.session.query(Invoice).one().number
    assert guardian.get(f"{SPACE}/factures/{number}.pdf").status_code == 404
    assert guardian.get(f"{SPACE}/abonnements/{ward.id}/resilier").status_code == 404


def test_another_guardian_sees_nothing_of_this_learner(app, ward):
    other = app.test_client()
    with app.test_request_context():
        from app.services.accounts import guardians

        token = guardians.space_token("other.parent@example.org")
    other.get(f"{SPACE}/acces/{token}")
    page = space_page(other)
    assert page.select("section.ward") == [] and "Aucun abonnement" in text_of(page.main)
    number = db.session.query(Invoice).one().number
    assert other.get(f"{SPACE}/factures/{number}.pdf").status_code == 404
    assert other.get(f"{SPACE}/abonnements/{ward.id}/resilier").status_code == 404


@pytest.mark.clause("CGS-1-04")
@pytest.mark.clause("CGS-2.2-G3")
def test_the_guardian_cancels_for_the_learner_who_is_told_who_asked(app, client, ward):
    guardian = open_space(app)
    page = soup_of(guardian.get(f"{SPACE}/abonnements/{ward.id}/resilier"))
    check_page(page)
    assert "12 février 2027" in text_of(page.main)
    response = guardian.post(f"{SPACE}/abonnements/{ward.id}/resilier")
    assert response.headers["Location"] == SPACE
    notice = text_of(space_page(guardian).select_one(SUCCESS_MESSAGE))
    assert "prendra fin le 12 février 2027" in notice
    subscription = db.session.get(Subscription, ward.id)
    assert subscription.status == SubscriptionStatus.CANCELLING
    act = db.session.query(GuardianAct).one()
    assert act.kind == GuardianActKind.CANCELLATION
    told = last_mail_to(ward.user.email, "Marie Lopez")
    assert "Résiliation à la fin de la période en cours" in told.subject
    assert "/compte/parametres/demandes" in told.body_text
    assert "12 février 2027" in last_mail_to(ward.user.email, "résiliation est enregistrée").subject
    requests_page = soup_of(client.get("/compte/parametres/demandes"))  # the learner's own browser
    assert "Marie Lopez : Résiliation à la fin de la période en cours" in text_of(
        requests_page.select_one("#guardian-acts"))


@pytest.mark.clause("CGS-1-04")
@pytest.mark.clause("CGS-6.2-02")
def test_the_guardian_terminates_a_plus_contract_under_l444_8_with_the_learners_own_figures(app, ward):
    guardian = open_space(app)
    page = soup_of(guardian.get(f"{SPACE}/abonnements/{ward.id}/resiliation-anticipee"))
    check_page(page)
    assert text_of(page.select_one("#remaining-due")) == "780,00 €"
    guardian.post(f"{SPACE}/abonnements/{ward.id}/resiliation-anticipee")
    assert db.session.get(Subscription, ward.id).status == SubscriptionStatus.ENDED
    charges = sorted(t.amount_cents for t in db.session.query(PaymentTransaction).filter_by(
        kind=TransactionKind.CHARGE))
    assert charges == [30000, 78000]
    assert db.session.query(GuardianAct).one().kind == GuardianActKind.EARLY_TERMINATION
    assert "780,00 €" in text_of(space_page(guardian).select_one(SUCCESS_MESSAGE))


@pytest.mark.clause("CGS-1-04")
def test_the_guardian_asks_for_force_majeure_and_a_short_reason_is_refused_next_to_its_field(app, ward):
    guardian = open_space(app)
    url = f"{SPACE}/abonnements/{ward.id}/force-majeure"
    refused = soup_of(guardian.post(url, data={"reason": "Malade"}))
    assert "20 caractères au moins" in text_of(refused.select_one("#reason-error"))
    assert refused.select_one("textarea[name='reason']").get_text().strip() == "Malade"
    assert db.session.query(ForceMajeureRequest).count() == 0
    guardian.post(url, data={"reason": "Hospitalisée pour plusieurs mois à partir de février."})
    assert db.session.query(ForceMajeureRequest).one().subscription_id == ward.id
    assert db.session.query(GuardianAct).one().kind == GuardianActKind.FORCE_MAJEURE
    assert "force majeure" in last_mail_to(ward.user.email, "Marie Lopez").subject


@pytest.mark.clause("CGS-1-04")
@pytest.mark.clause("CGS-1-05")
def test_after_a_material_change_the_guardian_approves_the_new_version_for_the_learner(app, ward):
    clock.freeze(datetime(2027, 2, 1, 9, 0, tzinfo=clock.PARIS))
    version = documents.publish_version(documents.TERMS, "2027-03", date(2027, 3, 1), True,
                                        "# Conditions\n\nNouveau texte.", "# Terms\n\nNew text.")
    terms_changes.notify(version)
    db.session.commit()
    asked = last_mail_to(GUARDIAN, "Nouvelles conditions")
    assert "3 mars 2027 inclus" in asked.body_text
    guardian = app.test_client()
    guardian.get(space_link_in(asked))
    approve = space_page(guardian).select_one("section.ward .govuk-notification-banner a.govuk-button")["href"]
    refused = soup_of(guardian.post(approve, data={}))
    assert "cochez la case" in text_of(refused.select_one(".govuk-error-summary"))
    guardian.post(approve, data={"accepted": "y"})
    consent = db.session.query(Consent).filter_by(document_version_id=version.id).one()
    assert consent.given_by == GUARDIAN and consent.kind == ConsentKind.GUARDIAN_TERMS
    assert space_page(guardian).select_one("section.ward .govuk-notification-banner a.govuk-button") is None
    assert guardian.get(approve).status_code == 404  # approved once


def test_the_space_in_english(app, ward):
    guardian = open_space(app, "en")
    assert last_mail_to(GUARDIAN).language == "en"
    page = space_page(guardian, "en")
    assert page.html["lang"] == "en"
    assert text_of(page.h1) == "My guardian's space"
    assert text_of(page.select_one("section.ward .ward-next-renewal")).startswith("on February 12, 2027")
    cancel = soup_of(guardian.get(f"{SPACE}/abonnements/{ward.id}/resilier", headers={"Accept-Language": "en"}))
    assert text_of(cancel.select_one("button.govuk-button--warning")) == "Confirm the cancellation"


@pytest.mark.clause("CGS-1-04")
def test_the_learner_cannot_undo_the_cancellation_their_guardian_made(app, client, ward, statements):
    client.post("/compte/parametres/premium/resilier")  # the learner's own cancellation: theirs to undo
    assert soup_of(client.get("/compte/parametres/premium")).select_one(
        "form[action='/compte/parametres/premium/annuler-resiliation']")
    client.post("/compte/parametres/premium/annuler-resiliation")
    assert db.session.get(Subscription, ward.id).status == SubscriptionStatus.ACTIVE
    clock.freeze(clock.now() + timedelta(hours=2))
    guardian = open_space(app)
    guardian.post(f"{SPACE}/abonnements/{ward.id}/resilier")
    told = last_mail_to(ward.user.email, "résiliation est enregistrée")
    assert "vous ne pouvez pas l'annuler vous-même" in told.body_text
    assert "/compte/parametres/premium" not in told.body_text
    statements.clear()
    tab = soup_of(client.get("/compte/parametres/premium"))
    # The guardian's act is read once, for the rule and for the name it shows.
    assert len([statement for statement in statements if "FROM guardian_act" in statement]) == 1, statements
    check_page(tab)
    assert tab.select_one("form[action='/compte/parametres/premium/annuler-resiliation']") is None
    assert text_of(tab.select_one("#cancelled-by-guardian")).startswith(
        "Marie Lopez, qui vous représente, a résilié votre abonnement le ")
    english = soup_of(client.get("/compte/parametres/premium", headers={"Accept-Language": "en"}))
    assert "You cannot undo this cancellation yourself" in text_of(english.select_one("#cancelled-by-guardian"))
    assert client.post("/compte/parametres/premium/annuler-resiliation").status_code == 404
    assert db.session.get(Subscription, ward.id).status == SubscriptionStatus.CANCELLING


@pytest.mark.clause("CGS-1-04")
def test_the_guardian_undoes_their_own_cancellation_and_the_subscription_renews(app, client, ward):
    guardian = open_space(app)
    guardian.post(f"{SPACE}/abonnements/{ward.id}/resilier")
    assert "lui peut l'annuler depuis son espace jusqu'à cette date" in last_mail_to(
        ward.user.email, "résiliation est enregistrée").body_text
    link = space_page(guardian).select_one(f"#undo-cancel-{ward.id}")
    assert text_of(link) == "Annuler la résiliation de l'abonnement de Ana Lopez"
    confirm = soup_of(guardian.get(link["href"]))
    check_page(confirm)
    assert text_of(confirm.select_one("#undo-renewal")).startswith(
        "Si vous annulez la résiliation, l'abonnement continue : il sera renouvelé le 12 février 2027 pour "
        "300,00 € TTC")
    response = guardian.post(link["href"])
    assert response.headers["Location"] == SPACE
    page = space_page(guardian)
    assert text_of(page.select_one(SUCCESS_MESSAGE)).startswith(
        "La résiliation est annulée : l'abonnement de Ana Lopez continue.")
    assert page.select_one(f"#undo-cancel-{ward.id}") is None
    assert "le 12 février 2027 : 300,00 € TTC" == text_of(page.select_one(".ward-next-renewal"))
    assert db.session.get(Subscription, ward.id).status == SubscriptionStatus.ACTIVE
    assert [act.kind for act in db.session.query(GuardianAct).order_by(GuardianAct.id)] == [
        GuardianActKind.CANCELLATION, GuardianActKind.CANCELLATION_UNDONE]
    continues = last_mail_to(ward.user.email, "Votre abonnement continue")
    assert "Votre représentant légal a annulé depuis son espace" in continues.body_text
    assert "Annulation de la résiliation" in last_mail_to(ward.user.email, "Marie Lopez").subject
    # The learner's own cancellation, later, is the learner's to undo, not the guardian's.
    clock.freeze(clock.now() + timedelta(hours=2))
    client.post("/compte/parametres/premium/resilier")
    assert space_page(guardian).select_one(f"#undo-cancel-{ward.id}") is None
    assert guardian.get(link["href"]).status_code == 404
    assert guardian.post(link["href"]).status_code == 404
    assert db.session.get(Subscription, ward.id).status == SubscriptionStatus.CANCELLING


def test_the_guardian_cannot_undo_once_the_period_has_ended(app, ward):
    open_space(app).post(f"{SPACE}/abonnements/{ward.id}/resilier")
    clock.freeze(datetime(2027, 2, 12, 9, 30, tzinfo=clock.PARIS))  # the period ended this morning
    guardian = open_space(app)
    response = guardian.post(f"{SPACE}/abonnements/{ward.id}/annuler-resiliation")
    assert response.headers["Location"] == SPACE
    assert text_of(space_page(guardian).select_one(PROBLEM_MESSAGE)).startswith(
        "Cette résiliation ne peut plus être annulée")
    assert db.session.get(Subscription, ward.id).status == SubscriptionStatus.CANCELLING


def test_the_undo_page_in_english(app, ward):
    guardian = open_space(app, "en")
    guardian.post(f"{SPACE}/abonnements/{ward.id}/resilier")
    page = soup_of(guardian.get(f"{SPACE}/abonnements/{ward.id}/annuler-resiliation",
                                headers={"Accept-Language": "en"}))
    check_page(page)
    assert text_of(page.h1) == "Undo the cancellation of Ana Lopez's subscription?"
    assert "on February 12, 2027 for €300.00 including VAT" in text_of(page.select_one("#undo-renewal"))
