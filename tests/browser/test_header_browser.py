"""The header (GOV.UK Frontend's service navigation), in French and English: on a phone its links fold behind a
"Menu" button that says whether it is open, so that the page's content starts near the top; by keyboard the
button opens them; without JavaScript, and on a wide screen, every link is in view."""

from playwright.sync_api import expect

from tests.browser.checkout_steps import LANGUAGES
from tests.browser.conftest import axe_check
from tests.browser.keyboard import tab_to

CATALOGUE = {"fr": "Catalogue", "en": "Catalogue"}
SIGN_UP = {"fr": "Créer un compte", "en": "Create an account"}


@LANGUAGES
def test_on_a_phone_the_links_fold_behind_a_menu_button_that_opens_them_by_keyboard(page, lang):
    page.set_viewport_size({"width": 375, "height": 700})
    page.goto("/")
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("link", name=SIGN_UP[lang])).to_be_hidden()
    assert page.locator("main h1").bounding_box()["y"] < 150  # the header no longer fills the first screen
    axe_check(page)

    tab_to(page, ".govuk-service-navigation__toggle")
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("link", name=SIGN_UP[lang])).to_be_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == CATALOGUE[lang]
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    axe_check(page)


@LANGUAGES
def test_without_javascript_every_link_of_the_header_shows_on_a_phone(open_page, lang):
    page = open_page(lang, block_scripts=True)
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto("/")
    expect(page.locator(".govuk-service-navigation__toggle")).to_be_hidden()
    expect(page.get_by_role("link", name=SIGN_UP[lang])).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


@LANGUAGES
def test_on_a_wide_screen_the_links_show_beside_the_platforms_name(page, lang):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/cours")
    expect(page.locator(".govuk-service-navigation__toggle")).to_be_hidden()
    current = page.get_by_role("navigation", name={"fr": "Menu principal", "en": "Main menu"}[lang]).get_by_role(
        "link", name=CATALOGUE[lang])
    expect(current).to_have_attribute("aria-current", "page")
    brand = page.locator(".brand").bounding_box()
    assert abs(current.bounding_box()["y"] - brand["y"]) < brand["height"]  # one row
