"""In a real browser, in French and in English, by keyboard: a learner asks for a new address from the Security
tab (a wrong password first: announced and focused), then confirms it from the link. axe finds nothing."""

import re

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import OutboxMessage
from tests.banners import FOCUSED_SUCCESS, FOCUSED_SUCCESS_MESSAGE
from tests.browser.conftest import axe_check
from tests.browser.keyboard import press_enter_on, tab_to
from tests.browser.learners import sign_in, subscribed
from tests.factories import PASSWORD

LANGUAGES = pytest.mark.parametrize("lang", ["fr", "en"])


@LANGUAGES
def test_a_learner_changes_their_address_by_keyboard(page, live_app, lang, say):
    email, _user_id = subscribed(live_app, f"mail-{lang}")
    new_address = f"nouvelle.{lang}@example.org"
    sign_in(page, email)
    page.goto("/compte/mot-de-passe")
    press_enter_on(page, "#change-email-link")
    expect(page.locator("h1")).to_have_text(say("Changer d'adresse email"))
    axe_check(page)
    tab_to(page, "#new_email")
    page.keyboard.type(new_address)
    tab_to(page, "#current_password")
    page.keyboard.type("pas le bon mot de passe")
    press_enter_on(page, "main form button[type=submit]")
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#current_password")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#new_email")).to_have_value(new_address)
    axe_check(page)
    tab_to(page, "#current_password")
    page.keyboard.type(PASSWORD)
    press_enter_on(page, "main form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/compte/mot-de-passe$"))
    expect(page.locator(FOCUSED_SUCCESS)).to_be_focused()
    with live_app.app_context():
        body = db.session.query(OutboxMessage).filter_by(recipient=new_address).one().body_text
    confirm_path = re.search(r"https?://[^/\s]+(/compte/adresse-email/confirmer/\S+)", body)[1]
    page.goto(confirm_path)
    expect(page.locator("h1")).to_have_text(say("Confirmer la nouvelle adresse email"))
    axe_check(page)
    press_enter_on(page, "main form button[type=submit]")
    expect(page.locator(FOCUSED_SUCCESS_MESSAGE)).to_have_text(
        say("Votre adresse email est modifiée. Votre ancienne adresse en est informée."))
    expect(page.locator("main")).to_contain_text(new_address)
    axe_check(page)
