"""The Premium Plus learner sees who their mentor is on the Premium tab; the mentor sees the learners they
accompany in their space, which nobody else can open."""

from app.extensions import db
from app.services.commerce import mentors
from tests.conftest import make_user, signed_in_client, soup_of, text_of
from tests.plus_learners import PYTHON, mentor, plus_learner


def test_the_plus_learner_sees_their_mentor_and_the_mentor_sees_them(app):
    thomas = mentor("thomas@example.org", PYTHON)
    subscription = plus_learner("lea.plus@example.org")
    tab = soup_of(signed_in_client(app, subscription.user).get("/compte/parametres/premium"))
    assert text_of(tab.select_one("#mentor")) == thomas.full_name
    space = soup_of(signed_in_client(app, thomas).get("/mentor"))
    assert text_of(space.h1) == "Espace mentor"
    assert text_of(space.select_one("nav [aria-current=page]")) == "Espace mentor"
    [row] = space.select("table#learners tbody tr")
    assert text_of(row.th) == subscription.user.full_name
    assert subscription.parcours.title_fr in text_of(row)
    assert text_of(space.select_one("table#learners caption")) == "1 apprenant accompagné"


def test_a_plus_learner_without_a_mentor_yet_is_told_who_assigns_one(app):
    subscription = plus_learner("attente@example.org")
    assert mentors.current(subscription) is None
    tab = soup_of(signed_in_client(app, subscription.user).get("/compte/parametres/premium",
                                                               headers={"Accept-Language": "en"}))
    assert text_of(tab.select_one("#mentor")) == "Student Success assigns you one: their name will appear here."


def test_the_mentor_space_is_not_found_for_anyone_else(app):
    learner = make_user("curieuse@example.org")
    db.session.commit()
    assert signed_in_client(app, learner).get("/mentor").status_code == 404
    assert "Espace mentor" not in text_of(soup_of(signed_in_client(app, learner).get("/")).select_one("nav"))


def test_the_mentor_space_reads_what_it_shows_in_five_statements_whatever_the_number_of_learners(app, statements):
    thomas = mentor("thomas@example.org", PYTHON)
    learners = [plus_learner(f"apprenant{number}@example.org") for number in range(3)]
    client = signed_in_client(app, thomas)
    statements.clear()
    space = soup_of(client.get("/mentor"))
    # The session; the learners with their subscription and Parcours; the sessions to record and those ahead; the
    # projects to evaluate.
    assert len(statements) <= 5, "\n".join(statements)
    assert [text_of(row.th) for row in space.select("table#learners tbody tr")] == [
        subscription.user.full_name for subscription in learners]
    assert text_of(space.select_one("table#learners caption")) == "3 apprenants accompagnés"
