"""A link from another site to a premium chapter asks the learner before their first premium access (which ends the
Premium Solo withdrawal right), by keyboard, in French and in English, with axe on the question page."""

import re

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import Course, Subscription
from app.models.catalog import ChapterKind
from tests.browser.conftest import axe_check
from tests.browser.keyboard import tab_to
from tests.browser.learners import sign_in, subscribed

LANGUAGES = pytest.mark.parametrize("lang", ["fr", "en"])
SLUG = "developpement-web-flask"
QUESTION = {"fr": "Ouvrir ce contenu Premium ?", "en": "Open this Premium content?"}
OPEN = {"fr": "Ouvrir le chapitre", "en": "Open the chapter"}


def premium_chapter(live_app) -> str:
    """The address of the course's first text chapter with content (premium: subscribers only)."""
    with live_app.app_context():
        course = db.session.query(Course).filter_by(slug=SLUG).one()
        chapter = next(c for c in course.chapters if c.kind == ChapterKind.TEXT and c.has_content)
        return f"/cours/{SLUG}/chapitres/{chapter.position}"


def first_access_of(live_app, user_id: int):
    with live_app.app_context():
        return db.session.query(Subscription).filter_by(user_id=user_id).one().first_premium_access_at


@LANGUAGES
def test_a_link_from_another_site_asks_before_the_first_premium_access(page, live_app, live_server, lang):
    email, user_id = subscribed(live_app, "lien-externe")
    sign_in(page, email)
    path = premium_chapter(live_app)
    # Another site: "localhost" is not the site "127.0.0.1" the portal is served on, so following its link is a
    # cross-site navigation, with the Fetch Metadata a real mail client's or forum's link would give.
    elsewhere = live_server.replace("127.0.0.1", "localhost")
    page.goto(f"{elsewhere}/")
    page.evaluate("""target => {
        const link = document.createElement('a');
        link.href = target; link.textContent = 'chapitre'; link.id = 'external-link';
        document.body.prepend(link);
    }""", f"{live_server}{path}")
    with page.expect_navigation():
        page.click("#external-link")

    expect(page).to_have_url(re.compile(re.escape(path) + "$"))
    expect(page.locator("h1")).to_have_text(QUESTION[lang])
    expect(page).to_have_title(re.compile(re.escape(QUESTION[lang])))
    axe_check(page)
    assert first_access_of(live_app, user_id) is None  # the link alone ended nothing

    tab_to(page, "form[action='/acces-premium/ouvrir'] button")
    expect(page.get_by_role("button", name=OPEN[lang])).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))
    expect(page.locator("h1")).not_to_have_text(QUESTION[lang])
    assert first_access_of(live_app, user_id) is not None  # opened on purpose: the access is recorded
