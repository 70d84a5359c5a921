"""Changing Parcours (art. 2.2 c): through Student Success, on their written approval, as a new subscription
with the same formalities; the former subscription then ends with its paid month, without indemnity."""

from datetime import datetime

import pytest

from app.extensions import db
from app.models import Consent, OutboxMessage, Parcours, ParcoursChangeRequest, PaymentTransaction, Subscription
from app.models.commerce import ConsentKind, ParcoursChangeStatus, SubscriptionStatus
from app.models.payment import TransactionKind
from app.services.accounts import users
from app.services.commerce import parcours_changes
from app.services.common import clock
from tests import checkout_flow as flow
from tests.banners import PROBLEM_MESSAGE
from tests.conftest import PASSWORD, text_of
from tests.factories import make_staff

TARGET = "data-scientist"
CHANGE = "/compte/parametres/premium/changer-de-parcours"
STAFF_PAGE = "/equipe/changements-de-parcours"


def target_id() -> str:
    return str(db.session.query(Parcours).filter_by(slug=TARGET).one().id)


def ask(client, reason="Je veux m'orienter vers la science des données."):
    return client.post(CHANGE, data={"target": target_id(), "reason": reason})


def as_staff(client):
    client.post("/deconnexion")
    staff = make_staff("equipe@example.org")
    db.session.commit()
    client.post("/connexion", data={"email": staff.email, "password": PASSWORD})


def back_as_learner(client, subscription):
    """The learner bought as a visitor (no password yet): they set one, then sign in again."""
    users.set_password(subscription.user, PASSWORD)
    db.session.commit()
    client.post("/deconnexion")
    client.post("/connexion", data={"email": subscription.user.email, "password": PASSWORD})


def decide(client, approve=True, message="Accordé : votre profil correspond aux prérequis du Parcours."):
    change = db.session.query(ParcoursChangeRequest).one()
    field = f"change-{change.id}-message"
    return client.post(STAFF_PAGE, data={"request_id": change.id, field: message,
                                         ("approve" if approve else "refuse"): "1"})


@pytest.mark.clause("CGS-2.2-C1")
def test_a_change_is_asked_of_student_success_and_nothing_changes_meanwhile(client, plus_subscriber):
    tab = flow.soup(client.get("/compte/parametres/premium"))
    assert tab.select_one("a#change-parcours-link")["href"] == CHANGE
    page = flow.soup(client.get(CHANGE))
    options = [option.get_text() for option in page.select("select#target option")]
    assert "Data scientist" in options
    assert "Développeur d'application - Python" not in options  # not the current one
    assert "Administrateur infrastructure et cloud" not in options  # not open yet
    assert "accord écrit de Student Success" in text_of(page.main)
    assert ask(client).headers["Location"] == "/compte/parametres/premium"
    change = db.session.query(ParcoursChangeRequest).one()
    assert change.status == ParcoursChangeStatus.PENDING and change.reference == f"CHP-{change.id:06d}"
    assert change.reference in db.session.query(OutboxMessage).order_by(OutboxMessage.id.desc()).first().subject
    assert plus_subscriber.status == SubscriptionStatus.ACTIVE
    page = flow.soup(client.get(CHANGE))
    assert page.select_one(f"main form[action='{CHANGE}']") is None  # one request at a time
    assert change.reference in text_of(page.select_one("#change-pending"))
    # Ordering the new Parcours without the approval is refused, as for anyone already subscribed.
    response = client.get(f"/parcours/{TARGET}/demarrer")
    assert response.headers["Location"] == f"/parcours/{TARGET}"
    refused = flow.soup(client.get(response.headers["Location"]))
    assert "déjà un abonnement en cours" in text_of(refused.select_one(PROBLEM_MESSAGE))


def test_a_request_without_reason_or_parcours_says_what_is_missing_next_to_the_field(client, plus_subscriber):
    page = flow.soup(client.post(CHANGE, data={"target": "", "reason": "court"}))
    assert page.select_one("#error-summary") is not None
    assert page.select_one("#target")["aria-invalid"] == "true"
    assert page.select_one("#reason")["aria-invalid"] == "true"
    assert page.select_one("#reason").get_text().strip() == "court"  # kept
    assert db.session.query(ParcoursChangeRequest).count() == 0


@pytest.mark.clause("CGS-2.2-C1")
def test_refused_in_writing_the_subscription_goes_on(client, plus_subscriber):
    ask(client)
    as_staff(client)
    assert decide(client, approve=False, message="Ce Parcours demande un niveau que nous ne voyons pas encore.") \
        .status_code == 302
    change = db.session.query(ParcoursChangeRequest).one()
    assert change.status == ParcoursChangeStatus.REFUSED
    mail = db.session.query(OutboxMessage).filter_by(recipient=plus_subscriber.user.email).order_by(
        OutboxMessage.id.desc()).first()
    assert "refusé" in mail.subject and "niveau que nous ne voyons pas" in mail.body_text
    assert db.session.query(Subscription).one().status == SubscriptionStatus.ACTIVE


def test_only_staff_answer_and_a_written_answer_is_required(client, plus_subscriber):
    ask(client)
    assert client.get(STAFF_PAGE).status_code == 404
    as_staff(client)
    page = flow.soup(decide(client, message=""))
    assert page.select_one("#error-summary") is not None
    assert db.session.query(ParcoursChangeRequest).one().status == ParcoursChangeStatus.PENDING


@pytest.mark.clause("CGS-2.2-C1")
def test_approved_the_change_is_a_new_subscription_with_the_same_formalities(client, plus_subscriber):
    ask(client)
    as_staff(client)
    decide(client)
    mail = db.session.query(OutboxMessage).filter_by(recipient=plus_subscriber.user.email).order_by(
        OutboxMessage.id.desc()).first()
    assert "accepté" in mail.subject and "correspond aux prérequis" in mail.body_text
    back_as_learner(client, plus_subscriber)
    page = flow.soup(client.get(CHANGE))
    order_link = page.select_one("#change-approved a.govuk-button")["href"]
    assert order_link == f"/parcours/{TARGET}/demarrer"
    clock.freeze(datetime(2027, 1, 20, 9, 0, tzinfo=clock.PARIS))
    reference = flow.reference_in(client.get(order_link).headers["Location"])
    flow.details(client, reference)
    consents_before = db.session.query(Consent).count()
    flow.payment_step(client, reference, consents=flow.PLUS_CONSENTS)
    kinds = {consent.kind for consent in db.session.query(Consent).all()[consents_before:]}
    assert {ConsentKind.TERMS, ConsentKind.STUDENT_RULES} <= kinds  # accepted again, for the new contract
    flow.validate(client, reference)
    former, new = db.session.query(Subscription).order_by(Subscription.id).all()
    assert new.parcours.slug == TARGET and new.status == SubscriptionStatus.REFLECTION  # seven days again
    assert former.status == SubscriptionStatus.CANCELLING  # ends with the month already paid
    assert former.current_period_end == datetime(2027, 2, 12, 9, 0, tzinfo=clock.PARIS)
    # The change is not a cancellation to confirm, nor one to undo from a mail: the new Parcours replaces it.
    subjects = [m.subject for m in db.session.query(OutboxMessage).filter_by(recipient=plus_subscriber.user.email)]
    assert not [subject for subject in subjects if subject.startswith("Votre résiliation est enregistrée")]
    assert db.session.query(ParcoursChangeRequest).one().status == ParcoursChangeStatus.COMPLETED
    charges = db.session.query(PaymentTransaction).filter_by(kind=TransactionKind.CHARGE).all()
    assert [charge.amount_cents for charge in charges] == [30000]  # the first month only: no indemnity


def test_links_in_the_answer_use_the_public_address_never_the_requests_host(app, client, plus_subscriber):
    ask(client)
    staff = make_staff("equipe@example.org")
    change = db.session.query(ParcoursChangeRequest).one()
    with app.test_request_context(base_url="http://attacker.example"):
        parcours_changes.decide(change, staff, approve=True, message="Accordé.")
    mail = db.session.query(OutboxMessage).filter_by(recipient=plus_subscriber.user.email).order_by(
        OutboxMessage.id.desc()).first()
    assert f"{app.config['PUBLIC_BASE_URL']}{CHANGE}" in mail.body_text
    assert "attacker.example" not in mail.body_text + mail.body_html
