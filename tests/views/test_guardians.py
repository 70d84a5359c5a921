"""Minors from 16 and protected adults subscribe only once a guardian approved and accepted the terms (art. 1, 3)."""

import re
from datetime import date, datetime

import pytest
from sqlalchemy import update

from app.extensions import db
from app.models import Consent, GuardianApproval, LegalDocumentVersion, OutboxMessage, Subscription
from app.models.commerce import ConsentKind, GuardianStatus
from app.services.accounts import guardians
from app.services.common import clock
from app.services.legal import documents
from tests import checkout_flow as flow
from tests.conftest import text_of

SEVENTEEN = "2009-05-01"


@pytest.fixture(autouse=True)
def today():
    clock.freeze(datetime(2026, 11, 26, 10, 0, tzinfo=clock.PARIS))


def guardian_link(recipient: str) -> str:
    body = db.session.query(OutboxMessage).filter_by(recipient=recipient).order_by(OutboxMessage.id.desc()).first()
    return re.search(r"http://127\.0\.0\.1:5000(/representant/\S+)", body.body_text)[1]


def ask_guardian(client, email="parent@example.org"):
    flow.enter(client, date_of_birth=SEVENTEEN)
    return client.post("/accord-representant/solo", data={"guardian_name": "Marie Lopez", "guardian_email": email,
                                                          "relationship": "parent"})


@pytest.mark.clause("CGS-1-04")
@pytest.mark.clause("CGS-3-03")
def test_under_sixteen_cannot_subscribe(client):
    response = flow.enter(client, date_of_birth="2011-01-01")
    assert response.status_code == 403
    assert "impossible avant 16 ans" in text_of(flow.soup(response).h1)


@pytest.mark.clause("CGS-1-04")
@pytest.mark.clause("CGS-1-06")
def test_a_seventeen_year_old_is_sent_to_the_guardian_request_and_every_step_is_refused(client):
    response = flow.enter(client, date_of_birth=SEVENTEEN)
    assert response.headers["Location"] == "/accord-representant/solo"
    page = flow.soup(client.get("/accord-representant/solo"))
    assert {i["name"] for i in page.select("main form input[name], main form select")} >= {
        "guardian_name", "guardian_email", "relationship"}
    from app.models import Order

    assert db.session.query(Order).count() == 0  # the checkout was not even opened


@pytest.mark.clause("CGS-1-04")
def test_the_server_refuses_valider_without_approval_even_for_an_order_made_before(client, app):
    reference = flow.start(client)
    flow.details(client, reference)
    flow.payment_step(client, reference)
    from app.models import User

    user = db.session.query(User).one()
    user.under_legal_protection = True  # e.g. a curatorship declared since
    db.session.commit()
    assert client.get(f"/commande/{reference}/verification").headers["Location"] == "/accord-representant/solo"
    response = client.post(f"/commande/{reference}/valider", data={"reviewed_amount": 2000})
    assert response.headers["Location"].endswith("/verification")
    from app.models import SimulatedPaymentSession

    assert db.session.query(SimulatedPaymentSession).count() == 0


@pytest.mark.clause("CGS-1-04")
def test_the_guardian_reads_the_offer_accepts_the_terms_and_approves_then_the_learner_subscribes(client, app):
    ask_guardian(client)
    status = flow.soup(client.get("/accord-representant/solo")).select_one("#approval-status")
    assert "Demande envoyée" in text_of(status)
    link = guardian_link("parent@example.org")
    guardian = app.test_client()
    page = flow.soup(guardian.get(link))
    summary = text_of(page.select_one("table"))
    assert "Premium Solo" in summary and "20,00 € TTC par mois" in summary
    assert "Reconduit tacitement" in summary and "14 jours" in summary
    assert page.select_one("main a[href='/conditions-generales']")
    refused = flow.soup(guardian.post(link, data={"approve": "1"}))  # the terms box left unticked
    assert "conditions générales" in text_of(refused.select_one("#terms_accepted-error"))
    answered = flow.soup(guardian.post(link, data={"approve": "1", "terms_accepted": "y"}))
    assert answered.select_one("main a[href='/representant/espace/lien']")  # the way to the guardian's space
    approval = db.session.query(GuardianApproval).one()
    assert approval.status == GuardianStatus.APPROVED
    consent = db.session.query(Consent).filter_by(kind=ConsentKind.GUARDIAN_TERMS).one()
    assert consent.given_by == "parent@example.org" and consent.document_version_id
    learner_mail = db.session.query(OutboxMessage).filter_by(recipient="ana.lopez@example.org").order_by(
        OutboxMessage.id).all()[-1]
    assert "a approuvé votre abonnement" in learner_mail.subject
    assert guardian.get(link).status_code == 410  # single use
    reference = flow.reference_in(client.get("/commande/solo").headers["Location"])
    flow.details(client, reference)
    flow.payment_step(client, reference)
    assert flow.pay(client, flow.validate(client, reference).headers["Location"]).endswith("/confirmation")
    assert db.session.query(Subscription).count() == 1


@pytest.mark.clause("CGS-1-04")
def test_a_guardian_cannot_approve_terms_that_have_no_version_in_force(client, app):
    ask_guardian(client)
    link = guardian_link("parent@example.org")
    db.session.execute(update(LegalDocumentVersion).where(LegalDocumentVersion.document == documents.TERMS)
                       .values(effective_on=date(2099, 1, 1)))
    db.session.commit()
    page = flow.soup(app.test_client().post(link, data={"approve": "1", "terms_accepted": "y"}))
    assert "pas encore publié" in text_of(page.select_one("#error-summary"))
    assert db.session.query(GuardianApproval).one().status == GuardianStatus.PENDING
    assert db.session.query(Consent).count() == 0


def test_a_guardian_who_refuses_blocks_the_subscription_and_the_learner_is_told(client, app):
    ask_guardian(client)
    app.test_client().post(guardian_link("parent@example.org"), data={"refuse": "1"})
    assert db.session.query(GuardianApproval).one().status == GuardianStatus.REFUSED
    assert "a refusé" in db.session.query(OutboxMessage).filter_by(
        recipient="ana.lopez@example.org").order_by(OutboxMessage.id).all()[-1].subject
    assert client.get("/commande/solo").headers["Location"] == "/accord-representant/solo"


def test_the_guardian_can_revoke_before_the_first_payment_only(client, app):
    ask_guardian(client)
    guardian = app.test_client()
    guardian.post(guardian_link("parent@example.org"), data={"approve": "1", "terms_accepted": "y"})
    revoke_link = guardian_link("parent@example.org")
    assert "/retirer" in revoke_link
    guardian.post(revoke_link, data={"revoke": "1"})
    assert db.session.query(GuardianApproval).one().status == GuardianStatus.REVOKED
    assert client.get("/commande/solo").headers["Location"] == "/accord-representant/solo"


def test_a_guardian_link_expires_and_cannot_be_forged(client, app):
    ask_guardian(client)
    approval = db.session.query(GuardianApproval).one()
    token = guardians.link_token(approval, app.config["SECRET_KEY"])
    assert guardians.approval_for_token(token, app.config["SECRET_KEY"], max_age=-1) is None
    assert guardians.approval_for_token(token, "another key") is None
    assert app.test_client().get("/representant/not-a-token").status_code == 410


def test_the_learner_cannot_name_themselves_as_guardian(client):
    flow.enter(client, date_of_birth=SEVENTEEN)
    page = flow.soup(client.post("/accord-representant/solo", data={
        "guardian_name": "Moi", "guardian_email": flow.VISITOR["email"], "relationship": "parent"}))
    assert "pas la vôtre" in text_of(page.select_one("#guardian_email-error"))
