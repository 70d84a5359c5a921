"""Premium Plus learners and their mentors, made through the portal's own services (shared by the mentoring
tests)."""

from datetime import date, datetime

from flask import current_app

from app import demo_accounts as journeys
from app.extensions import db
from app.services.accounts import roles
from app.services.catalog import browse
from app.services.commerce import mentors
from app.services.common import clock
from tests.conftest import make_user

PYTHON = journeys.PARCOURS


def mentor(email: str, *parcours_slugs: str):
    user = make_user(email)
    roles.grant(user, roles.Role.MENTOR)
    for slug in parcours_slugs:
        mentors.accompany(user, browse.parcours_by_slug(slug))
    db.session.commit()
    return user


def plus_learner(email: str, slug: str = PYTHON):
    """Ordered, signed after the reflection period and paid, through the portal's services."""
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_BASE_URL"]), clock.travelling():
        user = journeys.signed_up(email, "Léa", "Bernard", "une phrase de passe solide", date(1994, 5, 17))
        return journeys.subscribed_plus(journeys.simulated_provider(), user, slug)


def mentored(mentor_email: str, learner_email: str, weekday: int, at: str, time_zone: str = "Europe/Paris"):
    """A mentor of the Python Parcours with a video-call address and one weekly slot (`weekday`, `at` "HH:MM" in
    `time_zone`), and a Premium Plus learner they accompany; the clock stays where it was. Returns both."""
    from datetime import time

    from app.services.mentoring import availability

    coach = mentor(mentor_email, PYTHON)
    availability.set_video_url(coach, "https://visio.example.org/salle-thomas")
    hour, minute = (int(part) for part in at.split(":"))
    availability.add_slot(coach, weekday, time(hour, minute), time_zone)
    db.session.commit()
    return coach, plus_learner(learner_email)


# A Premium Plus learner who signs up on 1 March 2027 has a contract in effect from 8 March to 8 April.
SIGNED_UP = datetime(2027, 3, 1, 10, 0, tzinfo=clock.PARIS)
IN_THE_PERIOD = datetime(2027, 3, 9, 10, 0, tzinfo=clock.PARIS)
SUNDAY = 6


def mentored_in_march(mentor_email: str = "thomas@example.org", learner_email: str = "lea.plus@example.org"):
    """`mentored` with a slot on Sundays at 18:00 in Paris, the contract in effect; the clock stopped on 9 March."""
    clock.freeze(SIGNED_UP)
    pair = mentored(mentor_email, learner_email, SUNDAY, "18:00")
    clock.freeze(IN_THE_PERIOD)
    return pair


def first_project(subscription):
    from app.services.mentoring import projects

    return projects.progress(subscription).standings[0].project


def handed_in(subscription, project=None, text: str = "Mon dépôt et mon rapport, avec mes choix."):
    """The learner hands in `project` (the Parcours' first by default) with a link."""
    from app.services.mentoring import projects

    project = project or first_project(subscription)
    submission = projects.submit(subscription, project.id, text, "https://git.example.org/lea/projet-1", None)
    db.session.commit()
    return submission


def evaluated(mentor_user, submission, met: bool = True):
    """The mentor judges every criterion of the submission `met` (or the first one not met), each with a comment."""
    from app.services.mentoring import projects

    criteria = submission.project.criteria
    outcome = projects.evaluate(mentor_user, submission, {
        criterion.id: projects.Judgement(met or position > 0, f"Commentaire sur le critère {position + 1}.")
        for position, criterion in enumerate(criteria)}, "")
    db.session.commit()
    return outcome
