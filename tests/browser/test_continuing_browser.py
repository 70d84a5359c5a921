"""In a real browser, in French and in English, by keyboard: a Premium Plus learner reaches "Continuer" from the
navigation, reads their Parcours and the courses they opened, and picks a course up again with Enter; the page
reflows at 320 px. axe finds nothing."""

import re

import pytest
from playwright.sync_api import expect

from app.demo_accounts import read_chapters
from app.services.catalog import browse
from app.services.common import clock
from tests.browser.conftest import axe_check
from tests.browser.keyboard import press_enter_on
from tests.browser.learners import sign_in
from tests.plus_learners import plus_learner

LANGUAGES = pytest.mark.parametrize("lang", ["fr", "en"])
FLASK = "developpement-web-flask"


@LANGUAGES
def test_a_plus_learner_continues_by_keyboard(page, live_app, lang, say):
    with live_app.test_request_context(), clock.travelling():
        subscription = plus_learner(f"continue.{lang}@example.org")
        read_chapters(subscription.user, browse.course_by_slug(FLASK), done=1)
        parcours = subscription.parcours
        email, parcours_title = subscription.user.email, parcours.title_en if lang == "en" else parcours.title_fr
    sign_in(page, email)
    press_enter_on(page, "nav a[href='/continuer']", max_presses=60)
    expect(page.locator("h1")).to_have_text(say("Continuer"))
    expect(page.locator("#my-parcours-title")).to_contain_text(parcours_title)
    expect(page.locator("#parcours-passed")).to_be_visible()
    axe_check(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    press_enter_on(page, f"#my-courses a[href='/cours/{FLASK}/reprendre']", max_presses=120)
    expect(page).to_have_url(re.compile(rf"/cours/{FLASK}/chapitres/\d+$"))
