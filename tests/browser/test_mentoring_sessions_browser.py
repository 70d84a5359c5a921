"""In a real browser, in French and in English, by keyboard: a Premium Plus learner reaches "Mes séances de
mentorat" from "Mon parcours", books a free slot in place (HTMX; the outcome announced and focused), moves it to
another, opens its cancellation (the first Tab lands on keeping it) and cancels it. axe finds nothing in any of
these states."""

import re
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

from app.services.common import clock
from tests.banners import FOCUSED_SUCCESS
from tests.browser.conftest import axe_check
from tests.browser.keyboard import focused_matches, press_enter_on, tab_to
from tests.browser.learners import sign_in
from tests.plus_learners import mentored

LANGUAGES = pytest.mark.parametrize("lang", ["fr", "en"])


@LANGUAGES
def test_a_learner_books_and_cancels_a_session_by_keyboard(page, live_app, lang, say):
    with live_app.test_request_context(), clock.travelling():
        clock.move_to(datetime.now(clock.PARIS) - timedelta(days=10))  # the contract in effect since last week
        _coach, subscription = mentored(f"coach.{lang}@example.org", f"booker.{lang}@example.org",
                                        (datetime.now(clock.PARIS) + timedelta(days=3)).weekday(), "18:00")
        email = subscription.user.email
    sign_in(page, email)
    page.goto("/mon-parcours")
    press_enter_on(page, "#sessions-link")
    expect(page.locator("h1")).to_have_text(say("Mes séances de mentorat"))
    axe_check(page)
    page.evaluate("window.stillTheSamePage = true")  # gone if the page were loaded again
    tab_to(page, "input[name=starts_at]")
    page.keyboard.press("Space")
    tab_to(page, "#sessions-area form button[type=submit]")
    page.keyboard.press("Enter")  # sent by HTMX: no new page
    expect(page.locator("#sessions-outcome")).to_be_focused()  # booked in place (HTMX)
    assert page.evaluate("window.stillTheSamePage") is True
    expect(page.locator("#booked-sessions li")).to_have_count(1)
    axe_check(page)
    press_enter_on(page, "#booked-sessions a[href$='/deplacer']")
    expect(page.locator("h1")).to_contain_text(say("Déplacer la séance du %(date)s", date="@").split("@")[0].strip())
    axe_check(page)
    tab_to(page, "input[name=starts_at]")
    page.keyboard.press("Space")
    press_enter_on(page, "main form:not(#time-zone-form) button[type=submit]")
    expect(page.locator(FOCUSED_SUCCESS)).to_be_focused()
    expect(page.locator("#booked-sessions li")).to_have_count(1)
    axe_check(page)
    press_enter_on(page, "#booked-sessions a[href$='/annuler']")
    expect(page).to_have_url(re.compile(r"/mon-parcours/seances/\d+/annuler$"))
    axe_check(page)
    page.keyboard.press("Tab")
    while not focused_matches(page, "main a, main button, main textarea"):
        page.keyboard.press("Tab")
    assert focused_matches(page, "main a.govuk-button--secondary")  # keeping it comes first
    press_enter_on(page, "main button.govuk-button--warning")
    expect(page.locator(FOCUSED_SUCCESS)).to_be_focused()
    expect(page.locator("#no-booked-session")).to_be_visible()
    axe_check(page)
