"""Student Success names the mentor of a Premium Plus learner where the default rule found none, or another one
at the learner's request; the learner is told by mail and reads the new name on the Premium tab."""

from app.extensions import db
from app.models import MentorAssignment, OutboxMessage
from app.services.commerce import mentors
from tests.conftest import make_user, signed_in_client, soup_of, text_of
from tests.factories import make_staff
from tests.plus_learners import PYTHON, mentor, plus_learner

PAGE = "/equipe/mentors"


def test_the_team_names_a_mentor_for_a_learner_who_had_none_then_another_one(app):
    waiting = plus_learner("sans.mentor@example.org")  # no mentor accompanied the Parcours then
    first, second = mentor("premier@example.org", PYTHON), mentor("second@example.org", PYTHON)
    staff = signed_in_client(app, make_staff())
    home = soup_of(staff.get("/equipe"))
    assert "Mentors des apprenants Premium Plus — 1 en attente" in text_of(home.main)
    page = soup_of(staff.get(PAGE))
    section = page.select_one(f"section[aria-labelledby=plus-{waiting.id}]")
    assert "Pas encore de mentor." in text_of(section)
    assert [text_of(option) for option in section.select("select option")] == [first.full_name, second.full_name]
    field = f"mentor-{waiting.id}-mentor"
    staff.post(PAGE, data={"subscription_id": waiting.id, field: second.id})
    assert mentors.current(db.session.get(type(waiting), waiting.id)).mentor == second
    told = db.session.query(OutboxMessage).filter_by(recipient=waiting.user.email).order_by(
        OutboxMessage.id.desc()).first()
    assert told.subject == f"Votre mentor : {second.full_name}"
    tab = soup_of(signed_in_client(app, waiting.user).get("/compte/parametres/premium"))
    assert text_of(tab.select_one("#mentor")) == second.full_name
    staff.post(PAGE, data={"subscription_id": waiting.id, field: first.id})  # another, at the learner's request
    assert db.session.query(MentorAssignment).filter_by(subscription_id=waiting.id).count() == 2


def test_a_mentor_of_another_parcours_is_refused_next_to_the_field(app):
    learner = plus_learner("refus@example.org")
    own = mentor("propre@example.org", PYTHON)
    mentors.assign(learner, own)
    other = mentor("ailleurs@example.org", "data-scientist")
    db.session.commit()
    staff = signed_in_client(app, make_staff())
    field = f"mentor-{learner.id}-mentor"
    page = soup_of(staff.post(PAGE, data={"subscription_id": learner.id, field: other.id}))
    assert text_of(page.select_one(f"#{field}-error")) == "Erreur : Choisissez un mentor qui accompagne ce Parcours."
    assert mentors.current(learner).mentor == own


def test_the_page_is_not_found_for_a_learner_or_a_mentor(app):
    assert signed_in_client(app, make_user("apprenant@example.org")).get(PAGE).status_code == 404
    assert signed_in_client(app, mentor("pas.equipe@example.org", PYTHON)).get(PAGE).status_code == 404
