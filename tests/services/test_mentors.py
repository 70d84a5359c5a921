"""A Premium Plus learner gets a mentor when the contract takes effect: among the mentors of that Parcours, the
one with the fewest learners now (the terms' Mentor, who accompanies the Premium Plus learner)."""

from datetime import date

from flask import current_app

from app import demo_accounts as journeys
from app.extensions import db
from app.models import MentorAssignment
from app.services.accounts import roles
from app.services.commerce import mentors
from app.services.common import clock
from tests.conftest import make_user
from tests.plus_learners import PYTHON, mentor, plus_learner


def test_the_contract_taking_effect_gives_the_mentor_of_the_parcours_with_the_fewest_learners(app):
    busy, free = mentor("busy@example.org", PYTHON), mentor("free@example.org", PYTHON)
    mentor("elsewhere@example.org", "data-scientist")
    first = plus_learner("first@example.org")
    assert mentors.current(first).mentor == busy  # a tie: the earliest account
    second = plus_learner("second@example.org")
    assert mentors.current(second).mentor == free  # busy has one learner now, free none
    assert [a.subscription for a in mentors.learners_of(busy)] == [first]


def test_a_solo_subscription_has_no_mentor_and_a_plus_one_without_any_mentor_waits_for_the_team(app):
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_BASE_URL"]), clock.travelling():
        solo = journeys.subscribed_solo(journeys.simulated_provider(), journeys.signed_up(
            "solo.learner@example.org", "Hugo", "Petit", "une phrase de passe solide", date(1997, 10, 2)))
    assert not mentors.needs_mentor(solo) and mentors.current(solo) is None
    waiting = plus_learner("waiting@example.org")
    assert mentors.current(waiting) is None
    assert mentors.without_mentor(waiting.parcours) == [waiting]
    # The team names a mentor for the Parcours: the learners waiting get one (flask mentors accompany).
    roles.grant(make_user("late@example.org"), roles.Role.MENTOR)
    db.session.commit()
    output = app.test_cli_runner().invoke(args=["mentors", "accompany", "late@example.org", PYTHON]).output
    assert "learners given a mentor now: 1" in output
    assert mentors.current(waiting).mentor.email == "late@example.org"


def test_a_change_of_mentor_keeps_the_history(app):
    first, second = mentor("one@example.org", PYTHON), mentor("two@example.org", PYTHON)
    subscription = plus_learner("learner@example.org")
    mentors.assign(subscription, second)
    db.session.commit()
    history = db.session.query(MentorAssignment).filter_by(subscription_id=subscription.id).order_by(
        MentorAssignment.id).all()
    assert [(a.mentor, a.ended_at is not None) for a in history] == [(first, True), (second, False)]
    assert mentors.learners_of(first) == []


def test_only_a_mentors_account_accompanies_a_parcours(app):
    learner = make_user("not.a.mentor@example.org")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["mentors", "accompany", learner.email, PYTHON])
    assert result.exit_code != 0 and "is not a mentor's account" in result.output
