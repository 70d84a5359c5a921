""""Mon parcours", a Premium Plus learner's home: projects validated out of the required ones, courses passed, the
next session with its buttons, the mentor's last word, the next project, the defence; where a learner lands once
signed in; not found without Premium Plus."""

from datetime import datetime

from app.extensions import db
from app.models import Attendance
from app.services.common import clock
from app.services.mentoring import attendance, availability, sessions
from tests.conftest import PASSWORD, make_user, signed_in_client, soup_of, text_of
from tests.factories import subscriber
from tests.plus_learners import evaluated, handed_in, mentored_in_march

PAGE = "/mon-parcours"


def test_my_parcours_shows_projects_next_session_and_the_mentors_last_word(app, statements):
    coach, subscription = mentored_in_march()
    evaluated(coach, handed_in(subscription), met=False)
    session = sessions.book(subscription, availability.free_starts(subscription)[0])
    db.session.commit()
    client = signed_in_client(app, subscription.user)
    statements.clear()
    page = soup_of(client.get(PAGE))
    # The session; the subscription with its Parcours, its mentor, the diploma, the open defence request and
    # procedure, the next and the last noted sessions and the last evaluation; Continuer's standing of the Parcours
    # (progress, courses, projects with submissions); the last evaluation's criteria (there is one here): a fixed
    # number, whatever the number of courses, projects and sessions.
    assert len(statements) <= 6, "\n".join(statements)
    assert text_of(page.h1) == "Mon parcours"
    assert text_of(page.select_one("#projects-validated")) == "0 projet obligatoire validé sur 8"
    assert page.select_one("progress[aria-labelledby=projects-validated]")["max"] == "8"
    assert text_of(page.select_one("#next-project")).endswith("— À retravailler")
    assert text_of(page.select_one("#next-session-when")) == ("Le 14 mars 2027 à 18:00 (heure de Paris), avec "
                                                             f"{coach.full_name}")
    actions = [text_of(link) for link in page.select("#next-session .actions a")]
    assert actions == ["Rejoindre la visioconférence", "Déplacer la séance du 14 mars 2027 à 18:00",
                       "Annuler la séance du 14 mars 2027 à 18:00"]
    assert "Commentaire sur le critère 1." in text_of(page.select_one("#last-word blockquote"))
    assert text_of(page.select_one("#defence")) == ("Possible quand tous les cours sont réussis et tous les projets "
                                                     "obligatoires validés.")
    clock.freeze(datetime(2027, 3, 15, 10, 0, tzinfo=clock.PARIS))  # the day after the session
    attendance.record(session, coach, Attendance.PRESENT, "Bonne séance : on attaque la veille tarifaire.")
    db.session.commit()
    page = soup_of(client.get(PAGE, headers={"Accept-Language": "en"}))
    assert text_of(page.h1) == "My Parcours"
    assert text_of(page.select_one("#last-word blockquote")) == "Bonne séance : on attaque la veille tarifaire."
    assert text_of(page.select_one("#no-next-session")) == "No session booked."


def test_my_parcours_reads_five_statements_when_no_evaluation_needs_its_criteria(app, statements):
    coach, subscription = mentored_in_march()
    sessions.book(subscription, availability.free_starts(subscription)[0])
    db.session.commit()
    client = signed_in_client(app, subscription.user)
    statements.clear()
    page = soup_of(client.get(PAGE))
    assert len(statements) <= 5, "\n".join(statements)
    assert text_of(page.select_one("#next-session-when")).endswith(coach.full_name)
    assert text_of(page.select_one("#projects-validated")) == "0 projet obligatoire validé sur 8"


def test_a_plus_learner_lands_on_my_parcours_and_a_solo_one_on_continuer(app):
    _coach, subscription = mentored_in_march()
    response = app.test_client().post("/connexion", data={"email": subscription.user.email, "password": PASSWORD})
    assert response.headers["Location"] == PAGE
    solo = subscriber("solo.lecteur@example.org")
    response = app.test_client().post("/connexion", data={"email": solo.email, "password": PASSWORD})
    assert response.headers["Location"] == "/continuer"
    newcomer = make_user("nouvelle@example.org")
    db.session.commit()
    response = app.test_client().post("/connexion", data={"email": newcomer.email, "password": PASSWORD})
    assert response.headers["Location"] == "/"
    assert signed_in_client(app, newcomer).get(PAGE).status_code == 404
