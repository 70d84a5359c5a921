"""Student Success requests: stored, acknowledged with a reference, answered by staff only, answer emailed."""

from datetime import UTC, datetime, timedelta

import pytest

from app.extensions import db
from app.labels import QUESTION_LABELS
from app.models import ContactQuestion, ContactRequest, OutboxMessage
from app.services import DomainError
from app.services.catalog import browse
from app.services.common import clock
from app.services.support import requests
from tests.conftest import make_user
from tests.factories import make_staff


def _data(**changes) -> requests.ContactData:
    values = {"name": "Camille Durand", "email": "Camille@Example.org", "question": "technical",
              "message": "La vidéo du chapitre 3 ne se charge pas.\nJ'ai essayé deux navigateurs.",
              "phone": "06 12 34 56 78", "language": "fr"}
    return requests.ContactData(**{**values, **changes})


@pytest.fixture
def submit(app):
    def submit_(**changes) -> ContactRequest:
        with app.test_request_context():
            return requests.submit_contact_request(_data(**changes))

    return submit_


@pytest.fixture
def staff(app):
    member = make_staff("equipe@example.org")
    db.session.commit()
    return member


def test_every_question_of_the_drop_down_has_a_label_in_both_languages(app):
    from app.i18n import force_language

    assert [q.value for q in QUESTION_LABELS] == [
        "parcours", "admission", "financing", "premium", "mentor_change", "attendance", "technical", "complaint",
        "other"]
    with app.test_request_context():
        with force_language("en"):
            english = [requests.question_label(q) for q in ContactQuestion]
        with force_language("fr"):
            french = [requests.question_label(q) for q in ContactQuestion]
    assert "Un problème technique ou un service indisponible" in french
    assert "A technical problem or a service that is unavailable" in english
    assert len(set(english)) == len(set(french)) == 9


@pytest.mark.clause("CGS-1-08")
@pytest.mark.clause("CGS-2.2-B4")
def test_a_request_is_stored_and_acknowledged_with_its_reference(submit):
    clock.freeze(datetime(2026, 11, 26, 9, 30, tzinfo=UTC))
    row = submit()
    assert row.id and row.reference == f"DEM-{row.id:06d}"
    stored = db.session.get(ContactRequest, row.id)
    assert (stored.name, stored.email, stored.phone) == ("Camille Durand", "camille@example.org", "06 12 34 56 78")
    assert stored.question is ContactQuestion.TECHNICAL and stored.language == "fr"
    assert stored.created_at == datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
    assert stored.answered_at is None and stored in requests.list_open_requests()
    message = db.session.query(OutboxMessage).one()
    assert message.recipient == "camille@example.org" and message.language == "fr"
    assert row.reference in message.subject
    assert row.reference in message.body_text and row.reference in message.body_html
    assert "Un problème technique ou un service indisponible" in message.body_text
    assert "J'ai essayé deux navigateurs." in message.body_text


def test_the_acknowledgement_is_in_the_language_of_the_request(submit):
    row = submit(language="en", question="financing")
    message = db.session.query(OutboxMessage).one()
    assert message.language == "en"
    assert message.subject == f"Your request {row.reference} has been received"
    assert "Financing and price" in message.body_text


def test_the_reference_has_six_digits():
    assert ContactRequest(id=42).reference == "DEM-000042"


@pytest.mark.clause("CGS-2.2-B4")
def test_a_question_outside_the_list_is_refused_and_nothing_is_stored(submit):
    with pytest.raises(DomainError) as refused:
        submit(question="refund-now")
    assert [field for field, _ in refused.value.errors] == ["question"]
    db.session.rollback()
    assert db.session.query(ContactRequest).count() == 0
    assert db.session.query(OutboxMessage).count() == 0


def test_missing_or_malformed_fields_are_refused_field_by_field(submit):
    with pytest.raises(DomainError) as refused:
        submit(name="  ", email="pas-une-adresse", phone="appelez-moi", message="")
    assert {field for field, _ in refused.value.errors} == {"name", "email", "phone", "message"}


def test_the_phone_is_optional_and_the_parcours_is_remembered(submit):
    parcours = browse.parcours_by_slug("developpeur-application-python")
    row = submit(phone="", question="parcours", parcours_id=parcours.id)
    assert row.phone is None and row.parcours.slug == "developpeur-application-python"
    assert parcours.title_fr in db.session.query(OutboxMessage).one().body_text


def test_an_unknown_parcours_is_refused(submit):
    with pytest.raises(DomainError) as refused:
        submit(parcours_id=999_999)
    assert [field for field, _ in refused.value.errors] == ["parcours"]


@pytest.mark.clause("CGS-2.2-B4")
def test_staff_answer_is_recorded_and_emailed_to_the_requester_in_their_language(app, submit, staff):
    row = submit(language="en", email="sam@example.org")
    clock.freeze(datetime(2026, 11, 27, 14, 0, tzinfo=UTC))
    with app.test_request_context():
        requests.answer_request(row, staff, "Please clear your browser cache, then try again.")
    assert row.answer == "Please clear your browser cache, then try again."
    assert row.answered_at == datetime(2026, 11, 27, 14, 0, tzinfo=UTC) and row.answered_by_id == staff.id
    assert row not in requests.list_open_requests() and row in requests.list_answered_requests()
    answer_mail = db.session.query(OutboxMessage).order_by(OutboxMessage.id.desc()).first()
    assert answer_mail.recipient == "sam@example.org" and answer_mail.language == "en"
    assert answer_mail.subject == f"Answer to your request {row.reference}"
    assert "Please clear your browser cache" in answer_mail.body_text
    assert "Please clear your browser cache" in answer_mail.body_html


@pytest.mark.clause("CGS-2.2-B4")
def test_only_staff_may_answer_and_only_once(app, submit, staff):
    row = submit()
    learner = make_user("apprenant@example.org")
    with app.test_request_context():
        with pytest.raises(DomainError):
            requests.answer_request(row, learner, "Je réponds à la place de l'équipe.")
        assert row.answered_at is None
        with pytest.raises(DomainError) as empty:
            requests.answer_request(row, staff, "   ")
        assert [field for field, _ in empty.value.errors] == ["answer"]
        requests.answer_request(row, staff, "Voici notre réponse.")
        with pytest.raises(DomainError):
            requests.answer_request(row, staff, "Une seconde réponse.")
    assert row.answer == "Voici notre réponse."
    assert db.session.query(OutboxMessage).count() == 2  # the acknowledgement and one answer


def test_open_requests_are_listed_oldest_first(submit):
    clock.freeze(datetime(2026, 11, 20, 8, 0, tzinfo=UTC))
    older = submit(name="Première")
    clock.advance(timedelta(hours=3))
    newer = submit(name="Seconde")
    assert requests.list_open_requests() == [older, newer]
