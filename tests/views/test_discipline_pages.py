"""The procedure's pages: Student Success opens it from the attendance page (the absences written in the facts),
the learner reads it from "Mon parcours" and answers, Student Success decides; errors next to their fields; nobody
else finds these pages."""

from datetime import datetime, timedelta

from app.extensions import db
from app.models import Attendance, DisciplinaryCase
from app.services.common import clock
from app.services.mentoring import attendance, availability, sessions
from tests.banners import SUCCESS_MESSAGE
from tests.conftest import signed_in_client, soup_of, text_of
from tests.factories import make_staff, subscriber
from tests.plus_learners import mentored_in_march


def absent_twice():
    """Léa missed two Sunday sessions in March 2027; it is now the 29th."""
    coach, subscription = mentored_in_march()
    for start in availability.free_starts(subscription)[:2]:
        session = sessions.book(subscription, start)
        clock.freeze(start + timedelta(hours=2))
        attendance.record(session, coach, Attendance.ABSENT, "")
        clock.freeze(datetime(2027, 3, 9, 10, 0, tzinfo=clock.PARIS))
    clock.freeze(datetime(2027, 3, 29, 10, 0, tzinfo=clock.PARIS))
    db.session.commit()
    return coach, subscription


def test_staff_open_the_procedure_the_learner_answers_and_staff_decide(app):
    _coach, subscription = absent_twice()
    staff = signed_in_client(app, make_staff())
    listed = soup_of(staff.get("/equipe/assiduite"))
    link = listed.select_one("table#attendance a[href^='/equipe/procedures/nouvelle/']")
    page = soup_of(staff.get(link["href"]))
    facts = page.select_one("#facts").get_text().strip()
    assert facts.count("Absent, sans excuse") == 2 and facts.startswith("Séance du 14 mars 2027 à 18:00")
    page = soup_of(staff.post(link["href"], data={"facts": facts}))
    assert text_of(page.select_one("#rule-error")).endswith("Choisissez l'article du règlement concerné.")
    assert text_of(page.select_one("#considered-error")).endswith("Choisissez la sanction envisagée.")
    response = staff.post(link["href"], data={"facts": facts, "rule": "attendance", "considered": "warning"})
    case_url = response.location
    page = soup_of(staff.get(case_url))
    assert text_of(page.select_one(SUCCESS_MESSAGE)).startswith(
        f"Notification envoyée à {subscription.user.full_name}, qui a jusqu'au 6 avril 2027 pour répondre.")
    assert text_of(page.select_one("#not-yet")).startswith("Pas de décision avant la fin du 6 avril 2027")
    listed = soup_of(staff.get("/equipe/assiduite"))  # the procedure under way, not a second one
    assert listed.select_one(f"table#attendance a[href='{case_url}']") is not None
    assert listed.select_one("table#attendance a[href^='/equipe/procedures/nouvelle/']") is None

    learner = signed_in_client(app, subscription.user)
    home = soup_of(learner.get("/mon-parcours"))
    answer_url = home.select_one("#open-case a")["href"]
    page = soup_of(learner.post(answer_url, data={"answer": " "}))
    assert text_of(page.select_one("#answer-error")).endswith(
        "Écrivez vos explications, ou demandez un entretien en visioconférence.")
    learner.post(answer_url, data={"answer": "J'étais hospitalisée ces deux dimanches.", "interview": "y"})
    page = soup_of(learner.get(answer_url))
    assert text_of(page.select_one(SUCCESS_MESSAGE)).startswith("Vos explications sont transmises")
    assert page.select_one("#interview").has_attr("checked")

    page = soup_of(staff.get(case_url))
    assert text_of(page.select_one("#learner-answer")) == "J'étais hospitalisée ces deux dimanches."
    assert page.select_one("#interview-requested") is not None
    page = soup_of(staff.post(case_url, data={"outcome": "termination", "reasons": "Absences."}))
    assert text_of(page.select_one("#outcome-error")).endswith(
        "La sanction ne peut pas être plus lourde que celle annoncée dans la notification.")
    staff.post(case_url, data={"outcome": "none", "reasons": "L'hospitalisation justifie les absences."})
    page = soup_of(learner.get(answer_url, headers={"Accept-Language": "en"}))
    assert text_of(page.select_one("#case-decision dd")) == "No sanction"
    assert page.select_one("#how-to-contest a")["href"] == "/contact"


def test_nobody_else_finds_the_procedure(app):
    _coach, subscription = absent_twice()
    staff = make_staff()
    case_url = f"/equipe/procedures/nouvelle/{subscription.user_id}"
    assert signed_in_client(app, subscription.user).get(case_url).status_code == 404
    signed_in_client(app, staff).post(case_url, data={"facts": "Absences.", "rule": "attendance",
                                                      "considered": "warning"})
    case = db.session.query(DisciplinaryCase).one()
    other = make_staff("autre@example.org")
    assert signed_in_client(app, subscription.user).get(f"/equipe/procedures/{case.id}").status_code == 404
    stranger = subscriber("curieuse@example.org")
    assert signed_in_client(app, stranger).get(f"/mon-parcours/procedures/{case.id}").status_code == 404
    assert signed_in_client(app, other).get(f"/equipe/procedures/{case.id}").status_code == 200


def test_staff_start_a_procedure_for_any_premium_plus_learner_by_their_address(app):
    _coach, subscription = mentored_in_march()
    staff = signed_in_client(app, make_staff())
    response = staff.get("/equipe/procedures", query_string={"email": subscription.user.email.upper()})
    assert response.location == f"/equipe/procedures/nouvelle/{subscription.user_id}"
    page = soup_of(staff.get("/equipe/procedures", query_string={"email": "personne@example.org"}))
    assert text_of(page.title).startswith("Erreur")
    assert text_of(page.select_one("#email-error")).endswith(
        "Aucun apprenant Premium Plus sans procédure en cours n'a cette adresse.")
    assert page.select_one("#email")["value"] == "personne@example.org"
    page = soup_of(staff.get("/equipe/procedures", query_string={"email": ""}))
    assert text_of(page.select_one("#email-error")).endswith("Indiquez l'adresse email de l'apprenant.")
