"""Keyboard only, in French and in English: create an account, sign in, sign out, sign in again.

Only Tab, typing, arrow keys, Space and Enter: no click, no fill.
"""

import re
import uuid
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.banners import SUCCESS_MESSAGE
from tests.browser.conftest import axe_check
from tests.browser.keyboard import focused_matches, tab_to, type_date
from tests.conftest import PASSWORD

BIRTH_DATE = date(1995, 4, 23)
COUNTRY = {"fr": "Belg", "en": "Belg"}  # typeahead in the closed select: "Belgique" / "Belgium"
SIGN_OUT = {"fr": "Se déconnecter", "en": "Sign out"}
SIGN_IN = {"fr": "Se connecter", "en": "Sign in"}
CHECK_MAIL = {"fr": "Vérifiez votre messagerie", "en": "Check your email"}
SIGNED_OUT = {"fr": "Vous êtes déconnecté.", "en": "You are signed out."}
SIGNED_IN = {"fr": "Vous êtes connecté.", "en": "You are signed in."}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_sign_up_sign_out_and_sign_in_with_the_keyboard(page, live_server, lang):
    email = f"clavier-{uuid.uuid4().hex[:12]}@example.org"
    keyboard = page.keyboard
    page.goto("/inscription")

    tab_to(page, "#first_name")
    keyboard.type("Léa")
    tab_to(page, "#last_name")
    keyboard.type("Martin")
    tab_to(page, "#email")
    keyboard.type(email)
    tab_to(page, "#password")
    keyboard.type(PASSWORD)
    type_date(page, "date_of_birth", BIRTH_DATE)
    tab_to(page, "#country")
    keyboard.type(COUNTRY[lang])
    assert page.evaluate("document.getElementById('country').value") == "BE"
    # The radio group is one tab stop; with nothing checked, Tab lands on its first radio.
    tab_to(page, "input[name=legal_protection]")
    assert focused_matches(page, "#legal_protection-0")
    keyboard.press("Space")
    expect(page.locator("#legal_protection-0")).to_be_checked()
    keyboard.press("ArrowDown")
    expect(page.locator("#legal_protection-1")).to_be_checked()
    keyboard.press("ArrowUp")
    expect(page.locator("#legal_protection-0")).to_be_checked()
    expect(page.locator("#legal_protection-1")).not_to_be_checked()
    tab_to(page, "main form button[type=submit]")
    keyboard.press("Enter")

    # The same answer whether or not the address had an account: the mail tells; the learner then signs in.
    expect(page).to_have_url(re.compile(r"/inscription/message-envoye$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(CHECK_MAIL[lang])
    axe_check(page)
    sign_out = page.get_by_role("button", name=SIGN_OUT[lang], exact=True)
    expect(sign_out).to_have_count(0)

    for sign_in_link in ("main a[href='/connexion']", "header a[href='/connexion']"):
        tab_to(page, sign_in_link)
        keyboard.press("Enter")
        expect(page).to_have_url(re.compile(r"/connexion$"))
        expect(page.get_by_role("heading", level=1)).to_have_text(SIGN_IN[lang])
        tab_to(page, "#email")
        keyboard.type(email)
        tab_to(page, "#password")
        keyboard.type(PASSWORD)
        keyboard.press("Enter")  # submits the form from its password field

        expect(page).to_have_url(f"{live_server}/")
        expect(page.locator(SUCCESS_MESSAGE)).to_have_text(SIGNED_IN[lang])
        expect(sign_out).to_be_visible()

        tab_to(page, "form[action$='/deconnexion'] button")
        keyboard.press("Enter")
        expect(page.locator(SUCCESS_MESSAGE)).to_have_text(SIGNED_OUT[lang])
        expect(sign_out).to_have_count(0)
