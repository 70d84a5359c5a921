"""A written complaint to Student Success before mediation (art. 10): reference, acknowledgement, a link to
follow it, and the mediator's details once answered or after two months without an answer."""

import re
from datetime import datetime

import pytest

from app.extensions import db
from app.models import ContactRequest, OutboxMessage
from app.services.common import clock
from tests.conftest import PASSWORD, soup_of, text_of
from tests.factories import make_staff

COMPLAINT = {"name": "Camille Durand", "email": "camille@example.org", "phone": "",
             "question": "complaint", "parcours": "",
             "message": "Mon renouvellement de mars a été prélevé deux fois. Je demande le remboursement."}
AME = "AME Conso"


def complain(client, lang="fr") -> tuple[ContactRequest, str]:
    clock.freeze(datetime(2027, 3, 10, 10, 0, tzinfo=clock.PARIS))
    response = client.post("/contact", data=COMPLAINT, headers={"Accept-Language": lang})
    assert response.headers["Location"] == "/contact/demande-envoyee"
    row = db.session.query(ContactRequest).one()
    acknowledgement = db.session.query(OutboxMessage).filter_by(recipient="camille@example.org").one()
    link = re.search(r"http://127\.0\.0\.1:5000(/contact/reclamation/\S+)", acknowledgement.body_text)
    assert link, acknowledgement.body_text
    return row, link.group(1)


def answer(client, row, text="Nous vous remboursons le second prélèvement sous 5 jours."):
    make_staff("equipe@example.org")
    db.session.commit()
    client.post("/connexion", data={"email": "equipe@example.org", "password": PASSWORD})
    response = client.post(f"/equipe/demandes/{row.id}", data={"answer": text})
    assert response.status_code == 302


@pytest.mark.clause("CGS-10-02")
def test_a_complaint_gets_its_own_reference_and_an_acknowledgement_with_a_link_to_follow_it(client):
    form = soup_of(client.get("/contact?sujet=complaint"))
    assert form.select_one("select#question option[selected]")["value"] == "complaint"
    row, link = complain(client)
    assert row.reference == f"RCL-{row.id:06d}"
    acknowledgement = db.session.query(OutboxMessage).one()
    assert row.reference in acknowledgement.subject
    assert "10 mai 2027" in acknowledgement.body_text  # when mediation opens without an answer
    sent = soup_of(client.get("/contact/demande-envoyee"))
    assert sent.select_one(f"main a[href='{link}']") is not None
    assert "10 mai 2027" in text_of(sent.main)


@pytest.mark.clause("CGS-10-02")
def test_the_mediator_is_offered_only_after_two_months_without_an_answer(client):
    _row, link = complain(client)
    clock.freeze(datetime(2027, 5, 10, 9, 59, tzinfo=clock.PARIS))  # sent at 10:00, Paris time
    page = soup_of(client.get(link))
    assert text_of(page.select_one("#complaint-status")) == "En attente de réponse"
    assert AME not in text_of(page.select_one("#mediation"))
    assert "10 mai 2027" in text_of(page.select_one("#mediation"))
    clock.freeze(datetime(2027, 5, 10, 10, 0, tzinfo=clock.PARIS))
    page = soup_of(client.get(link))
    mediation = text_of(page.select_one("#mediation"))
    assert "Nous n'avons pas répondu dans les deux mois" in mediation and AME in mediation
    assert page.select_one("#mediation a[href='https://www.mediationconso-ame.com']") is not None


@pytest.mark.clause("CGS-10-02")
def test_once_answered_the_complaint_shows_the_answer_and_the_mediator(client, app):
    row, link = complain(client)
    clock.freeze(datetime(2027, 3, 12, 9, 0, tzinfo=clock.PARIS))
    answer(client, row)
    mail = db.session.query(OutboxMessage).filter_by(recipient="camille@example.org").order_by(
        OutboxMessage.id.desc()).first()
    assert AME in mail.body_text and link in mail.body_text and row.reference in mail.body_text
    client.post("/deconnexion")
    page = soup_of(client.get(link))
    assert text_of(page.select_one("#complaint-status")) == "Réponse envoyée le 12 mars 2027"
    assert "remboursons le second prélèvement" in text_of(page.select_one("#complaint-answer"))
    assert AME in text_of(page.select_one("#mediation"))


def test_a_forged_or_ordinary_request_link_is_not_found(client, app):
    complain(client)
    assert client.get("/contact/reclamation/not-a-token").status_code == 404
    from app.services.support import requests

    with app.test_request_context():
        ordinary = ContactRequest(name="A", email="a@example.org", question="technical", message="m",
                                  language="fr", created_at=clock.now())
        db.session.add(ordinary)
        db.session.flush()
        token = requests.tracking_token(ordinary)
    db.session.commit()
    assert client.get(f"/contact/reclamation/{token}").status_code == 404


def test_the_complaint_page_in_english(client):
    _row, link = complain(client, lang="en")
    page = soup_of(client.get(link, headers={"Accept-Language": "en"}))
    assert page.html["lang"] == "en"
    assert text_of(page.select_one("#complaint-status")) == "Waiting for an answer"
    assert "May 10, 2027" in text_of(page.select_one("#mediation"))
