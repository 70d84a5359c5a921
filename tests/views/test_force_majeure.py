"""Premium Plus: a force majeure request decided by Student Success ends the contract without indemnity (6.2)."""

import io

import pytest

from app.extensions import db
from app.models import ForceMajeureRequest, OutboxMessage, PaymentTransaction, Subscription, User
from app.models.commerce import ForceMajeureStatus, SubscriptionStatus
from tests.conftest import PASSWORD, soup_of, text_of
from tests.factories import make_staff

REASON = "Je suis hospitalisée pour plusieurs mois et ne peux plus suivre la formation."


@pytest.fixture
def staff_client(app):
    staff = make_staff("success@example.org")
    db.session.commit()
    client = app.test_client()
    client.post("/connexion", data={"email": staff.email, "password": PASSWORD})
    return client


@pytest.mark.clause("CGS-6.2-03")
def test_an_accepted_force_majeure_request_ends_the_contract_without_any_indemnity(client, plus_subscriber,
                                                                                   staff_client):
    pdf = io.BytesIO(b"%PDF-1.7 certificat d'hospitalisation")
    response = client.post("/compte/parametres/premium/force-majeure",
                           data={"reason": REASON, "document": (pdf, "certificat.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    request = db.session.query(ForceMajeureRequest).one()
    assert request.document_type == "application/pdf" and request.status == ForceMajeureStatus.PENDING
    page = staff_client.get("/equipe/force-majeure")
    assert REASON in page.get_data(as_text=True)
    staff_client.post("/equipe/force-majeure", data={"request_id": request.id, "accept": "1"})
    assert db.session.query(Subscription).one().status == SubscriptionStatus.ENDED
    assert [t.amount_cents for t in db.session.query(PaymentTransaction).all()] == [30000]  # nothing more
    learner = db.session.query(User).filter_by(email="ana.lopez@example.org").one()
    mail = db.session.query(OutboxMessage).filter_by(recipient=learner.email).order_by(OutboxMessage.id.desc()).first()
    assert "sans indemnité" in mail.subject


@pytest.mark.clause("CGS-6.2-03")
def test_a_refused_request_keeps_the_contract(client, plus_subscriber, staff_client):
    client.post("/compte/parametres/premium/force-majeure", data={"reason": REASON})
    request = db.session.query(ForceMajeureRequest).one()
    staff_client.post("/equipe/force-majeure", data={"request_id": request.id, "refuse": "1"})
    assert db.session.query(Subscription).one().status == SubscriptionStatus.ACTIVE


def test_a_document_that_is_not_a_pdf_or_an_image_is_refused_and_the_text_kept(client, plus_subscriber):
    response = client.post("/compte/parametres/premium/force-majeure",
                           data={"reason": REASON, "document": (io.BytesIO(b"MZ\x90\x00"), "virus.exe")},
                           content_type="multipart/form-data")
    page = soup_of(response)
    assert "PDF, une image PNG ou JPEG" in text_of(page.select_one("#document-error"))
    assert REASON in page.select_one("#reason").get_text()
    assert db.session.query(ForceMajeureRequest).count() == 0


def test_the_staff_page_is_not_found_for_anyone_else(client, plus_subscriber):
    assert client.get("/equipe/force-majeure").status_code == 404
