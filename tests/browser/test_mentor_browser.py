"""In a real browser, in French and in English, by keyboard: a mentor reaches their space from the navigation and
reads the learners they accompany; the Plus learner reads their mentor's name on the Premium tab and asks for another
one, arriving on Mes demandes with the outcome announced and focused. axe finds nothing."""

import pytest
from playwright.sync_api import expect

from tests.banners import FOCUSED_SUCCESS
from tests.browser.conftest import axe_check
from tests.browser.keyboard import press_enter_on, tab_to
from tests.browser.learners import sign_in
from tests.plus_learners import PYTHON, mentor, plus_learner

LANGUAGES = pytest.mark.parametrize("lang", ["fr", "en"])


@LANGUAGES
def test_a_mentor_reads_the_learners_they_accompany(page, live_app, lang, say):
    with live_app.app_context():
        thomas = mentor(f"mentor.{lang}@example.org", PYTHON)
        learner = plus_learner(f"plus.{lang}@example.org")
        mentor_email, mentor_name = thomas.email, thomas.full_name
        learner_name, learner_email = learner.user.full_name, learner.user.email
    sign_in(page, mentor_email)
    tab_to(page, "nav a[href='/mentor']", max_presses=60)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(say("Espace mentor"))
    expect(page.locator("table#learners tbody th").first).to_have_text(learner_name)
    axe_check(page)
    page.context.clear_cookies()
    sign_in(page, learner_email)
    page.goto("/compte/parametres/premium")
    expect(page.locator("#mentor")).to_have_text(mentor_name)
    axe_check(page)
    press_enter_on(page, "a#change-mentor")
    expect(page.locator("h1")).to_have_text(say("Demander un autre mentor"))
    axe_check(page)
    tab_to(page, "#message")
    page.keyboard.type("Nos horaires ne se rencontrent jamais.")
    press_enter_on(page, "main form button[type=submit]")
    notice = page.locator(FOCUSED_SUCCESS)
    expect(notice).to_be_focused()
    expect(page.locator("main h2:not(.govuk-notification-banner__title)").first).to_have_text(say("Mes demandes"))
    axe_check(page)
