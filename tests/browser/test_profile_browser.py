"""In a real browser, in French and in English, by keyboard: a learner corrects a wrong date of birth on Mon profil
(the error announced, focused and next to its field, what was typed kept), then saves a corrected name. axe finds
nothing in any of these states."""

from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_check
from tests.browser.keyboard import press_enter_on, tab_to, type_date
from tests.browser.learners import sign_in, subscribed

LANGUAGES = pytest.mark.parametrize("lang", ["fr", "en"])


@LANGUAGES
def test_a_learner_corrects_their_profile_by_keyboard(page, live_app, lang, say):
    email, _user_id = subscribed(live_app, f"profile-{lang}")
    sign_in(page, email)
    page.goto("/compte/parametres/premium")
    press_enter_on(page, "nav.tabs-nav a[href$='/compte/parametres/profil']")
    expect(page.locator("nav.tabs-nav [aria-current=page]")).to_have_text(say("Mon profil"))
    axe_check(page)
    tab_to(page, "#first_name")
    page.keyboard.press("Control+A")
    page.keyboard.type("Camille-Rose")
    for part in ("day", "month", "year"):
        page.locator(f"#date_of_birth-{part}").fill("")
    type_date(page, "date_of_birth", date(2031, 1, 1))
    press_enter_on(page, "main form button[type=submit]")
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#date_of_birth-day")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#first_name")).to_have_value("Camille-Rose")
    axe_check(page)
    for part in ("day", "month", "year"):
        page.locator(f"#date_of_birth-{part}").fill("")
    type_date(page, "date_of_birth", date(1994, 5, 17))
    press_enter_on(page, "main form button[type=submit]")
    expect(page.locator(".notice-success[data-focus-on-load]")).to_have_text(
        say("Vos informations sont corrigées. Un email vous le confirme."))
    expect(page.locator("#first_name")).to_have_value("Camille-Rose")
    axe_check(page)
