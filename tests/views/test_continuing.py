"""Continuer: a signed-in learner finds where they stand, to pick up again: the courses they opened, the last opened
first, with their chapters done and the chapter read last; a Premium Plus learner, their Parcours too (courses passed
out of all, the mentor, the next step). Few queries, whatever the number of courses."""

from datetime import datetime, timedelta

import pytest

from app.demo_accounts import read_chapters
from app.extensions import db
from app.models import Certificate, CertificateKind
from app.services.catalog import browse
from app.services.common import clock
from app.services.learning import completion
from tests.conftest import check_page, signed_in_client, soup_of, text_of
from tests.factories import subscriber
from tests.plus_learners import PYTHON, mentor, plus_learner

PAGE = "/continuer"
FLASK = "developpement-web-flask"


@pytest.fixture(autouse=True)
def today():
    clock.freeze(datetime(2027, 3, 2, 10, 0, tzinfo=clock.PARIS))


def test_a_learner_finds_the_courses_they_opened_and_where_to_pick_up(app):
    learner = subscriber("lea.reader@example.org")
    course = browse.course_by_slug(FLASK)
    reading = read_chapters(learner, course, done=2)
    page = soup_of(signed_in_client(app, learner).get(PAGE))
    check_page(page)
    assert text_of(page.select_one("nav [aria-current=page]")) == "Continuer"
    assert page.select_one("#my-parcours") is None  # Premium Solo: no Parcours
    [item] = page.select("#my-courses li")
    readable = sum(1 for chapter in course.chapters if chapter.has_content)
    assert text_of(item.h3) == course.title_fr
    assert f"2 chapitres terminés sur {readable}" in text_of(item)
    assert item.select_one("progress")["value"] == "2"
    assert f"Dernier chapitre ouvert, le 2 mars 2027 : {reading.title_fr}" in text_of(item)
    assert item.select_one("a.govuk-button")["href"] == f"/cours/{FLASK}/reprendre"


def test_the_course_opened_last_comes_first(app):
    learner = subscriber("lea.reader@example.org")
    read_chapters(learner, browse.course_by_slug(FLASK), done=1)
    clock.advance(timedelta(days=1))
    other = next(course for course in browse.featured_courses(20)
                 if course.slug != FLASK and any(chapter.has_content for chapter in course.chapters))
    read_chapters(learner, other, done=0)
    titles = [text_of(h3) for h3 in soup_of(signed_in_client(app, learner).get(PAGE)).select("#my-courses li h3")]
    assert titles == [other.title_fr, browse.course_by_slug(FLASK).title_fr]


def test_a_newcomer_is_led_to_the_catalogue(app):
    page = soup_of(signed_in_client(app, subscriber("new@example.org")).get(PAGE))
    assert page.select_one("#no-course-yet a")["href"] == "/cours"


def test_a_plus_learner_sees_their_parcours_mentor_and_next_step(app):
    thomas = mentor("thomas@example.org", PYTHON)
    subscription = plus_learner("lea.plus@example.org")
    parcours = subscription.parcours
    first = parcours.courses[0]
    completion.issue(subscription.user, first, 80)  # the first course passed
    db.session.commit()
    page = soup_of(signed_in_client(app, subscription.user).get(PAGE))
    section = page.select_one("#my-parcours")
    assert text_of(section.h2) == f"Mon parcours : {parcours.title_fr}"
    total = len(parcours.courses)
    assert text_of(section.select_one("#parcours-passed")) == f"1 cours validé sur {total}"
    assert text_of(section.select_one("#parcours-mentor")) == thomas.full_name
    assert text_of(section.select_one("#parcours-next")) == f"Valider le cours « {parcours.courses[1].title_fr} »"
    items = section.select("ol.parcours-courses > li")
    assert [text_of(item.h3) for item in items] == [course.title_fr for course in parcours.courses]
    assert items[0].select_one(".course-passed") is not None and items[1].select_one(".course-passed") is None


def test_the_page_reads_a_few_queries_whatever_the_number_of_courses(app, statements):
    subscription = plus_learner("lea.plus@example.org")
    readable = [course for course in subscription.parcours.courses
                if any(chapter.has_content for chapter in course.chapters)]
    assert readable
    for course in readable:
        read_chapters(subscription.user, course, done=0)
    client = signed_in_client(app, subscription.user)
    statements.clear()
    page = soup_of(client.get(PAGE))
    # The session; the subscription with its Parcours, mentor and diploma; the progress; the courses; the projects with
    # the learner's submissions.
    assert len(statements) <= 5, "\n".join(statements)
    assert len(page.select("ol.parcours-courses > li")) == len(subscription.parcours.courses)
    assert text_of(page.select_one("#parcours-passed")) == f"0 cours validé sur {len(subscription.parcours.courses)}"


def test_the_page_in_english_and_for_visitors(app, client):
    assert client.get(PAGE).headers["Location"].startswith("/connexion")
    learner = subscriber("lea.reader@example.org", locale="en")
    read_chapters(learner, browse.course_by_slug(FLASK), done=1)
    page = soup_of(signed_in_client(app, learner).get(PAGE, headers={"Accept-Language": "en"}))
    assert text_of(page.h1) == "Continue"
    assert "1 chapter done out of" in text_of(page.select_one("#my-courses li"))


def test_a_revoked_certificate_does_not_count_as_passed(app):
    subscription = plus_learner("lea.plus@example.org")
    certificate = completion.issue(subscription.user, subscription.parcours.courses[0], 80)
    certificate.revoked_at = clock.now()
    db.session.commit()
    assert db.session.query(Certificate).filter_by(kind=CertificateKind.COURSE).count() == 1
    page = soup_of(signed_in_client(app, subscription.user).get(PAGE))
    assert text_of(page.select_one("#parcours-passed")).startswith("0 cours validé")
