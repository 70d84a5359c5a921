"""In a real browser, in French and in English, by keyboard: a learner goes from Mes données to the closure page,
gives a wrong password (announced and focused), then closes the account and lands signed out on the home page
with the outcome focused; the mailed link reopens it. axe finds nothing in any of these states."""

import re

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import OutboxMessage
from tests.banners import FOCUSED_SUCCESS, FOCUSED_SUCCESS_MESSAGE, SUCCESS_MESSAGE
from tests.browser.conftest import axe_check
from tests.browser.keyboard import press_enter_on, tab_to
from tests.browser.learners import sign_in, subscribed
from tests.factories import PASSWORD

LANGUAGES = pytest.mark.parametrize("lang", ["fr", "en"])


@LANGUAGES
def test_a_learner_closes_their_account_then_reopens_it_by_keyboard(page, live_app, lang, say):
    email, _user_id = subscribed(live_app, f"closing-{lang}")
    sign_in(page, email)
    page.goto("/compte/parametres/donnees")
    press_enter_on(page, "#close-account-link")
    expect(page.locator("h1")).to_have_text(say("Clôturer mon compte"))
    axe_check(page)
    tab_to(page, "#current_password")
    page.keyboard.type("pas le bon mot de passe")
    press_enter_on(page, "main form button[type=submit]")
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#current_password")).to_have_attribute("aria-invalid", "true")
    axe_check(page)
    tab_to(page, "#current_password")
    page.keyboard.type(PASSWORD)
    press_enter_on(page, "main form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator(FOCUSED_SUCCESS)).to_be_focused()
    expect(page.locator(SUCCESS_MESSAGE)).to_contain_text(email)
    axe_check(page)
    with live_app.app_context():
        # In the account's language, whatever the page's.
        body = db.session.query(OutboxMessage).filter_by(
            recipient=email, subject="Votre compte est en cours de clôture").one().body_text
    page.goto(re.search(r"https?://[^/\s]+(/compte/cloture/annuler/\S+)", body)[1])
    expect(page.locator("h1")).to_have_text(say("Annuler la clôture de mon compte"))
    axe_check(page)
    press_enter_on(page, "main form button[type=submit]")
    expect(page.locator(FOCUSED_SUCCESS_MESSAGE)).to_have_text(
        say("La clôture de votre compte est annulée : connectez-vous comme avant."))
    axe_check(page)
