"""In a real browser, in French and in English, by keyboard: a learner corrects a wrong date of birth on Mon profil
(the error announced, focused and next to its field, what was typed kept), then saves a corrected name. axe finds
nothing in any of these states."""

from datetime import date

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.models import Order
from tests.banners import FOCUSED_SUCCESS_MESSAGE
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
    type_date(page, "date_of_birth", date(2031, 1, 1))
    press_enter_on(page, "main form button[type=submit]")
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#date_of_birth-day")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#first_name")).to_have_value("Camille-Rose")
    axe_check(page)
    type_date(page, "date_of_birth", date(1994, 5, 17))
    press_enter_on(page, "main form button[type=submit]")
    expect(page.locator(FOCUSED_SUCCESS_MESSAGE)).to_have_text(
        say("Vos informations sont corrigées. Un email vous le confirme."))
    expect(page.locator("#first_name")).to_have_value("Camille-Rose")
    axe_check(page)


@LANGUAGES
def test_a_subscriber_names_the_employer_who_pays_by_keyboard(page, live_app, lang, say):
    email, user_id = subscribed(live_app, f"billing-{lang}")
    with live_app.app_context():  # as the checkout's first step left them
        order = db.session.scalars(select(Order).where(Order.user_id == user_id)).one()
        order.billing_name, order.billing_address = "Camille Durand", "12 rue des Lilas"
        order.billing_postal_code, order.billing_city, order.billing_country = "69003", "Lyon", "FR"
        db.session.commit()
    sign_in(page, email)
    page.goto("/compte/parametres/profil")
    press_enter_on(page, "#billing-link")
    expect(page.locator("h1")).to_have_text(say("Mes coordonnées de facturation"))
    axe_check(page)
    tab_to(page, "#billing_company")
    page.keyboard.type("Atelier Dupont SARL")
    page.keyboard.press("Tab")
    page.keyboard.type("12345")
    press_enter_on(page, "main form button[type=submit]")
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#billing_vat_number")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#billing_company")).to_have_value("Atelier Dupont SARL")
    axe_check(page)
    tab_to(page, "#billing_vat_number")
    page.keyboard.press("Control+A")
    page.keyboard.type("FR12345678901")
    press_enter_on(page, "main form button[type=submit]")
    expect(page.locator(FOCUSED_SUCCESS_MESSAGE)).to_have_text(
        say("Vos coordonnées de facturation sont corrigées : vos prochaines factures les porteront."))
    expect(page.locator("#billing_vat_number")).to_have_value("FR12345678901")
    axe_check(page)
