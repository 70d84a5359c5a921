"""In a real browser, in French and in English, by keyboard: a Premium Plus learner lands on "Mon parcours" once
signed in (it reflows at 320 px), opens the project to hand in and hands it in; their mentor opens it from the
mentor's space, sends an incomplete evaluation (the errors listed, focused, each next to its field), completes it
and comes back to the space with the outcome announced and focused. axe finds nothing in any of these states."""

import re
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

from app.services.common import clock
from tests.banners import FOCUSED_SUCCESS
from tests.browser.conftest import axe_check
from tests.browser.keyboard import press_enter_on, tab_to
from tests.browser.learners import sign_in
from tests.plus_learners import mentored

LANGUAGES = pytest.mark.parametrize("lang", ["fr", "en"])


def _mentor_and_learner(live_app, lang: str) -> tuple[str, str]:
    with live_app.test_request_context(), clock.travelling():
        clock.move_to(datetime.now(clock.PARIS) - timedelta(days=10))  # the contract in effect since last week
        coach, subscription = mentored(f"evaluator.{lang}@example.org", f"maker.{lang}@example.org",
                                       (datetime.now(clock.PARIS) + timedelta(days=3)).weekday(), "18:00")
        return coach.email, subscription.user.email


@LANGUAGES
def test_a_learner_hands_in_a_project_and_the_mentor_evaluates_it_by_keyboard(open_page, live_app, lang, say):
    mentor_email, learner_email = _mentor_and_learner(live_app, lang)
    page = open_page(lang)
    sign_in(page, learner_email)
    expect(page).to_have_url(re.compile(r"/mon-parcours$"))
    expect(page.locator("h1")).to_have_text(say("Mon parcours"))
    axe_check(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1280, "height": 800})
    press_enter_on(page, "#next-project a")
    expect(page).to_have_url(re.compile(r"/mon-parcours/projets/\d+$"))
    axe_check(page)
    tab_to(page, "#text")
    page.keyboard.type("Mon script de veille et son rapport.")
    tab_to(page, "#links")
    page.keyboard.type("https://git.example.org/maker/veille")
    press_enter_on(page, "main form button[type=submit]")
    notice = page.locator(FOCUSED_SUCCESS)
    expect(notice).to_be_focused()
    expect(page.locator("#project-state")).to_have_text(say("En cours d'évaluation"))
    axe_check(page)

    mentor_page = open_page(lang)
    sign_in(mentor_page, mentor_email)
    mentor_page.goto("/mentor")
    press_enter_on(mentor_page, "#projects-to-evaluate a")
    expect(mentor_page).to_have_url(re.compile(r"/mentor/projets/\d+$"))
    axe_check(mentor_page)
    mentor_page.evaluate("window.stillTheSamePage = true")  # gone if the page were loaded again
    first_radio = "#evaluation-form fieldset input[type=radio][value=met]"
    tab_to(mentor_page, first_radio)
    mentor_page.keyboard.press("Space")
    tab_to(mentor_page, "#evaluation-form button[type=submit]")
    mentor_page.keyboard.press("Enter")  # sent by HTMX: no new page
    summary = mentor_page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(mentor_page.locator("#evaluation-form [aria-invalid=true]").first).to_be_visible()
    axe_check(mentor_page)
    for fieldset in range(3):
        group = mentor_page.locator("#evaluation-form fieldset").nth(fieldset)
        radio_id = group.locator("input[value=met]").get_attribute("id")
        if not mentor_page.locator(f"#{radio_id}").is_checked():
            tab_to(mentor_page, f"#{radio_id}")
            mentor_page.keyboard.press("Space")
        comment_id = mentor_page.locator("#evaluation-form textarea").nth(fieldset).get_attribute("id")
        tab_to(mentor_page, f"#{comment_id}")
        if not mentor_page.locator(f"#{comment_id}").input_value():
            mentor_page.keyboard.type("Atteint, avec soin.")
    tab_to(mentor_page, "#evaluation-form button[type=submit]")
    mentor_page.keyboard.press("Enter")
    # Swapped in place: the same page, the outcome focused, the submission now shown as validated.
    expect(mentor_page.locator("#evaluation-outcome")).to_be_focused()
    expect(mentor_page).to_have_url(re.compile(r"/mentor/projets/\d+$"))
    assert mentor_page.evaluate("window.stillTheSamePage") is True
    expect(mentor_page.locator("article.project-submission h3").first).to_contain_text(say("Validé"))
    axe_check(mentor_page)
    press_enter_on(mentor_page, "#already-evaluated a")
    expect(mentor_page.locator("#nothing-to-evaluate")).to_be_visible()
    axe_check(mentor_page)
