"""A Premium Plus learner asks Student Success for another mentor from the Premium tab (issue: a change of mentor
is a request answered by Student Success): written, acknowledged, followed in Mes demandes, one at a time; the team
sees it with the way to name another mentor, who the learner is told of by mail."""

from app.extensions import db
from app.models import ContactRequest, OutboxMessage
from app.models.support import ContactQuestion
from tests.conftest import check_page, signed_in_client, soup_of, text_of
from tests.factories import make_staff, subscriber
from tests.plus_learners import PYTHON, mentor, plus_learner

PAGE = "/compte/parametres/premium/changer-de-mentor"


def test_the_learner_asks_for_another_mentor_and_follows_the_request(app):
    thomas = mentor("thomas@example.org", PYTHON)
    subscription = plus_learner("lea.plus@example.org")
    learner = signed_in_client(app, subscription.user)
    tab = soup_of(learner.get("/compte/parametres/premium"))
    assert tab.select_one("a#change-mentor")["href"] == PAGE
    page = soup_of(learner.get(PAGE))
    check_page(page)
    assert f"Votre mentor est {thomas.full_name}." in text_of(page.main)
    refused = soup_of(learner.post(PAGE, data={"message": "   "}))
    assert "Expliquez en quelques mots" in text_of(refused.select_one("#message-error"))
    assert db.session.query(ContactRequest).count() == 0
    response = learner.post(PAGE, data={"message": "Nos horaires ne se rencontrent jamais."})
    assert response.headers["Location"] == "/compte/parametres/demandes"
    request = db.session.query(ContactRequest).one()
    assert request.question == ContactQuestion.MENTOR_CHANGE and request.user_id == subscription.user_id
    assert request.parcours_id == subscription.parcours_id
    acknowledgement = db.session.query(OutboxMessage).filter_by(recipient=subscription.user.email).order_by(
        OutboxMessage.id.desc()).first()
    assert request.reference in acknowledgement.subject + acknowledgement.body_text
    listed = soup_of(learner.get("/compte/parametres/demandes"))
    assert "Changer de mentor (Premium Plus)" in text_of(listed.select_one(f"#demande-{request.id}"))
    again = soup_of(learner.get(PAGE))  # one request at a time
    assert request.reference in text_of(again.select_one("#mentor-change-in-progress"))
    assert again.select_one(f"form[action='{PAGE}']") is None
    assert learner.post(PAGE, data={"message": "Une deuxième fois."}).status_code == 200
    assert db.session.query(ContactRequest).count() == 1


def test_the_team_sees_the_request_with_the_way_to_name_another_mentor(app):
    mentor("thomas@example.org", PYTHON)
    subscription = plus_learner("lea.plus@example.org")
    signed_in_client(app, subscription.user).post(PAGE, data={"message": "Nos horaires ne se rencontrent jamais."})
    request = db.session.query(ContactRequest).one()
    staff = signed_in_client(app, make_staff())
    page = soup_of(staff.get(f"/equipe/demandes/{request.id}"))
    assert page.select_one("#mentor-change-hint a")["href"] == "/equipe/mentors"


def test_only_a_plus_learner_with_a_mentor_may_ask(app):
    assert signed_in_client(app, subscriber("solo@example.org")).get(PAGE).status_code == 404
    waiting = plus_learner("sans.mentor@example.org")  # no mentor for this Parcours yet
    assert signed_in_client(app, waiting.user).get(PAGE).status_code == 404


def test_the_page_in_english(app):
    mentor("thomas@example.org", PYTHON)
    subscription = plus_learner("lea.plus@example.org")
    page = soup_of(signed_in_client(app, subscription.user).get(PAGE, headers={"Accept-Language": "en"}))
    assert text_of(page.h1) == "Ask for another mentor"
    assert text_of(page.select_one("label[for=message]")) == "Why would you like to change mentor?"
