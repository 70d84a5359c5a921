""""Mes paramètres > Mes demandes": the learner's own requests and complaints with their state and answer, and what
they add to one that still waits for its answer (issue: complaints listed, added to while open)."""

from datetime import datetime

import pytest
from flask import current_app

from app.extensions import db
from app.models import ContactAddition, ContactQuestion, OutboxMessage
from app.services.common import clock
from app.services.support import requests
from tests.banners import SUCCESS_MESSAGE
from tests.conftest import make_user, signed_in_client, soup_of, text_of
from tests.factories import make_staff

PAGE = "/compte/parametres/demandes"


def write(user, question: ContactQuestion, message: str):
    """As "Nous contacter" sends it, signed in."""
    with current_app.test_request_context():
        contact = requests.submit_contact_request(requests.ContactData(
            name=user.full_name, email=user.email, question=question.value, message=message, user_id=user.id))
    db.session.commit()
    return contact


@pytest.fixture
def learner(app):
    clock.freeze(datetime(2027, 3, 2, 10, 0, tzinfo=clock.PARIS))
    return make_user("camille@example.org")


@pytest.fixture
def written(learner):
    """An answered question, then an open complaint (the newest)."""
    question = write(learner, ContactQuestion.PREMIUM, "Mon paiement de février apparaît deux fois.")
    requests.answer_request(question, make_staff(), "Le second débit est une pré-autorisation, levée sous 7 jours.")
    db.session.commit()
    clock.freeze(datetime(2027, 3, 5, 10, 0, tzinfo=clock.PARIS))
    complaint = write(learner, ContactQuestion.COMPLAINT, "Le cours de Flask annoncé n'est plus disponible.")
    return question, complaint


def test_a_learner_sees_their_requests_newest_first_with_their_state_and_answer(app, learner, written):
    question, complaint = written
    write(make_user("autre@example.org"), ContactQuestion.OTHER, "Une question d'une autre personne.")
    soup = soup_of(signed_in_client(app, learner).get("/compte/parametres/demandes"))
    assert text_of(soup.select_one("nav.tabs-nav [aria-current=page]")) == "Mes demandes"
    sections = soup.select("section.request")
    assert [text_of(section.h3) for section in sections] == [
        f"{complaint.reference} — Une réclamation : un litige avec nous",
        f"{question.reference} — Mon abonnement Premium ou un paiement"]
    open_one, answered = sections
    assert "Statut En attente de réponse" in text_of(open_one.dl)
    assert "Statut Réponse envoyée le 2 mars 2027" in text_of(answered.dl)
    assert "pré-autorisation, levée sous 7 jours" in text_of(answered)
    # The open complaint takes an addition, named after it; the answered question takes none.
    assert text_of(open_one.select_one("form label")) == f"Ajouter à la demande {complaint.reference}"
    assert answered.form is None
    assert open_one.find("a", string=f"Suivre la réclamation {complaint.reference} et la médiation")
    assert "autre personne" not in text_of(soup.main)


@pytest.mark.clause("CGS-10-02")
def test_an_addition_is_kept_with_the_request_acknowledged_by_mail_and_shown_to_staff(app, learner, written):
    _question, complaint = written
    client = signed_in_client(app, learner)
    field = f"demande-{complaint.id}-message"
    response = client.post(PAGE, data={
        "demande": complaint.id, field: "J'ajoute la capture d'écran de la page du cours, datée du 1er mars."})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(PAGE)
    page = soup_of(client.get(PAGE))
    outcome = text_of(page.select(SUCCESS_MESSAGE)[-1])  # after "Vous êtes connecté."
    assert f"Votre complément à la demande {complaint.reference} est transmis" in outcome
    section = page.select_one(f"#demande-{complaint.id}")
    assert "Ajouté le 5 mars 2027 J'ajoute la capture d'écran" in text_of(section)
    acknowledgement = db.session.query(OutboxMessage).order_by(OutboxMessage.id.desc()).first()
    assert acknowledgement.recipient == learner.email
    assert acknowledgement.subject == f"Votre complément à la demande {complaint.reference} a bien été reçu"
    assert "la capture d'écran" in acknowledgement.body_text
    # The complaint keeps its date: the way to the mediator opens two months after it, not after the addition.
    assert "le 5 mai 2027" in acknowledgement.body_text.replace("\xa0", " ")
    staff = signed_in_client(app, make_staff("equipe2@example.org"))
    staff_page = soup_of(staff.get(f"/equipe/demandes/{complaint.id}"))
    assert "J'ajoute la capture d'écran" in text_of(staff_page.main)


@pytest.mark.parametrize("typed, error", [
    ("", "Écrivez votre message."),
    ("x" * (requests.MAX_MESSAGE_LENGTH + 1), "Le message doit contenir au plus 5000 caractères."),
    ("Voir\u202e la pièce jointe", "Ce texte contenait un caractère qui inverse le sens de l'écriture (U+202E)"),
])
def test_a_refused_addition_says_why_next_to_the_field_and_keeps_the_text(app, learner, written, typed, error):
    _question, complaint = written
    field = f"demande-{complaint.id}-message"
    response = signed_in_client(app, learner).post(PAGE, data={"demande": complaint.id, field: typed})
    soup = soup_of(response)
    assert soup.title.get_text().startswith("Erreur")
    assert text_of(soup.select_one(f"#{field}-error")).startswith(f"Erreur : {error}")
    assert soup.select_one(f"#{field}")["aria-invalid"] == "true"
    assert soup.select_one(f".govuk-error-summary a[href='#{field}']")
    # A browser drops the newline that opens a text area's content.
    assert soup.select_one(f"#{field}").get_text().removeprefix("\r\n") == typed.replace("\u202e", "")
    assert db.session.query(ContactAddition).count() == 0


def test_an_answered_request_takes_no_more_additions(app, learner, written):
    question, _complaint = written
    response = signed_in_client(app, learner).post(PAGE, data={
        "demande": question.id, f"demande-{question.id}-message": "Et aussi..."})
    assert "Cette demande a déjà reçu une réponse" in text_of(soup_of(response).select_one(".govuk-error-summary"))
    assert db.session.query(ContactAddition).count() == 0


def test_nobody_adds_to_someone_elses_request(app, learner, written):
    _question, complaint = written
    other = signed_in_client(app, make_user("autre@example.org"))
    response = other.post(PAGE, data={"demande": complaint.id, f"demande-{complaint.id}-message": "Intrus"})
    assert response.status_code == 404
    assert db.session.query(ContactAddition).count() == 0


def test_the_page_is_in_english_for_an_english_reader(app, learner, written):
    _question, complaint = written
    client = signed_in_client(app, learner)
    soup = soup_of(client.get("/compte/parametres/demandes", headers={"Accept-Language": "en"}))
    assert soup.html["lang"] == "en"
    assert text_of(soup.select_one("nav.tabs-nav [aria-current=page]")) == "My requests"
    assert text_of(soup.select_one(f"#demande-{complaint.id} form label")) == f"Add to request {complaint.reference}"
