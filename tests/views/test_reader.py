"""The chapter reader and its access rule: video for everyone, text for Premium (DEF-2, art. 2.1 a, 6.1)."""

from datetime import timedelta

import pytest

from app.extensions import db
from app.models import ChapterProgress, Course, Subscription
from app.models.catalog import ChapterKind
from app.services.catalog import browse
from app.services.common import clock
from tests import checkout_flow as flow
from tests.conftest import PASSWORD, text_of, writes
from tests.factories import subscriber

SLUG = "developpement-web-flask"


@pytest.fixture
def chapters():
    """A text chapter and a video chapter with content (the demo may not ship this course's content)."""
    course = db.session.query(Course).filter_by(slug=SLUG).one()
    text = next(c for c in course.chapters if c.kind == ChapterKind.TEXT)
    video = next(c for c in course.chapters if c.kind == ChapterKind.VIDEO)
    text.body_fr, text.body_en = "### Les routes\n\nUne route associe une URL à une fonction.", "### Routes\n\nA route."
    video.transcript_fr = "Dans cette vidéo, nous installons Flask."
    video.transcript_en = "In this video we install Flask."
    video.captions_fr = "WEBVTT\n\n00:00:00.000 --> 00:00:04.000\nDans cette vidéo, nous installons Flask.\n"
    video.captions_en = "WEBVTT\n\n00:00:00.000 --> 00:00:04.000\nIn this video we install Flask.\n"
    db.session.commit()
    return text, video


def url(chapter) -> str:
    return f"/cours/{SLUG}/chapitres/{chapter.position}"


@pytest.mark.clause("CGS-DEF-2")
def test_anyone_can_watch_a_video_chapter_with_its_transcript_and_captions(client, page, chapters):
    _, video = chapters
    soup = page(url(video))
    assert text_of(soup.select_one("#chapter-title")) == video.title_fr
    assert "nous installons Flask" in text_of(soup.select_one("article"))
    assert soup.select_one("#transcript-title")
    captions = client.get(f"{url(video)}/sous-titres.fr.vtt")
    assert captions.mimetype == "text/vtt" and captions.get_data(as_text=True).startswith("WEBVTT")
    assert "install Flask" in text_of(page(url(video), lang="en").select_one("article"))


@pytest.mark.clause("CGS-DEF-2")
@pytest.mark.clause("CGS-2.1-A1")
def test_a_text_chapter_sends_a_non_subscriber_to_the_offers(client, chapters, signed_in):
    text, _ = chapters
    response = client.get(url(text))
    assert response.status_code == 302 and response.headers["Location"] == "/premium"
    anonymous = client.application.test_client()
    assert anonymous.get(url(text)).headers["Location"] == "/premium"


@pytest.mark.clause("CGS-2.1-A1")
@pytest.mark.clause("CGS-6.1-01")
def test_a_subscriber_reads_text_chapters_and_the_first_access_is_recorded(client, chapters):
    text, _ = chapters
    flow.buy_solo(client)
    assert db.session.query(Subscription).one().first_premium_access_at is None
    soup = flow.soup(client.get(url(text), headers={"Sec-Fetch-Site": "same-origin"}))
    assert "Une route associe une URL" in text_of(soup.select_one("article"))
    assert soup.select_one("article h3#les-routes")
    assert db.session.query(Subscription).one().first_premium_access_at is not None


def test_progress_is_saved_and_the_learner_can_pick_up_where_they_left_off(client, chapters, signed_in):
    text, video = chapters
    client.get(url(video))
    client.post(f"{url(video)}/terminer")
    assert db.session.query(ChapterProgress).one().completed_at is not None
    assert "terminé" in text_of(flow.soup(client.get(url(video))).select_one(".reader-toc"))
    assert client.get(f"/cours/{SLUG}/reprendre").headers["Location"] == url(video)


def test_the_course_page_and_the_resume_link_agree_on_where_to_pick_up_again(client, page, chapters):
    """Before any chapter: "Commencer le cours", to the first chapter that can be read. Then: "Reprendre", to the
    chapter opened last (not the furthest one)."""
    learner = subscriber("lea.martin@example.org")
    assert client.post("/connexion", data={"email": learner.email, "password": PASSWORD}).status_code == 302
    course = db.session.query(Course).filter_by(slug=SLUG).one()
    first = next(c for c in course.chapters if c.has_content)
    assert text_of(page(f"/cours/{SLUG}").select_one("#resume-link")) == "Commencer le cours"
    assert client.get(f"/cours/{SLUG}/reprendre").headers["Location"] == url(first)
    earlier, later = sorted(chapters, key=lambda chapter: chapter.position)
    for opened in (later, earlier):
        clock.freeze(clock.now() + timedelta(minutes=5))
        assert client.get(url(opened), headers={"Sec-Fetch-Site": "same-origin"}).status_code == 200
    assert text_of(page(f"/cours/{SLUG}").select_one("#resume-link")) == "Reprendre là où j'en étais"
    assert client.get(f"/cours/{SLUG}/reprendre").headers["Location"] == url(earlier)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_chapter_list_marks_the_chapter_being_read_and_only_it(page, chapters, lang):
    """In the reader's list of chapters, the one on screen is the link with aria-current="page" (shown in bold with
    a bar); each other chapter is a plain link."""
    course = db.session.query(Course).filter_by(slug=SLUG).one()
    readable = [c for c in course.chapters if c.has_content]
    _, video = chapters
    soup = page(url(video), lang=lang)
    links = soup.select(".reader-toc ol a")
    assert [a["href"] for a in links] == [url(c) for c in readable]
    current = [a for a in links if a.has_attr("aria-current")]
    assert [(a["href"], a["aria-current"]) for a in current] == [(url(video), "page")]
    assert text_of(current[0]) == {"fr": video.title_fr, "en": video.title_en}[lang]


def test_the_course_page_links_only_chapters_that_have_content(page, chapters):
    course = db.session.query(Course).filter_by(slug=SLUG).one()
    course.chapters[-1].body_fr = course.chapters[-1].transcript_fr = None
    db.session.commit()
    links = {a["href"] for a in page(f"/cours/{SLUG}").select("ol.chapters a")}
    assert links == {url(c) for c in course.chapters if c.has_content}
    assert url(course.chapters[-1]) not in links


def test_a_chapter_without_content_is_not_found(client):
    course = browse.course_by_slug("business-plan")
    assert client.get(f"/cours/business-plan/chapitres/{course.chapters[0].position}").status_code == 404


def test_rereading_a_chapter_takes_five_queries_and_writes_nothing(client, chapters, statements):
    """Where to pick up again is written when it moves, not on every page: reading is a read."""
    learner = subscriber("lea.martin@example.org")
    assert client.post("/connexion", data={"email": learner.email, "password": PASSWORD}).status_code == 302
    text_url, video_url = (url(chapter) for chapter in chapters)
    same_site = {"Sec-Fetch-Site": "same-origin"}
    client.get(text_url, headers=same_site)  # the first opening records the first premium access
    statements.clear()
    soup = flow.soup(client.get(text_url, headers=same_site))
    assert "Une route associe une URL" in text_of(soup.select_one("article"))
    assert len(statements) <= 5, "\n".join(statements)
    assert writes(statements) == []
    client.get(video_url, headers=same_site)
    clock.freeze(clock.now() + timedelta(minutes=1))  # the session's last activity is noted every 5
    statements.clear()
    client.get(text_url, headers=same_site)
    assert [statement.split()[0] for statement in writes(statements)] == ["UPDATE"]  # back to the text chapter
    assert client.get(f"/cours/{SLUG}/reprendre").headers["Location"] == text_url
