"""In a real browser, in French and in English, by keyboard: "Ce que coûte un départ aujourd'hui" in the Premium tab
is a table with a caption and a header for each row, the cheapest named in words, and each way of leaving reached
by Tab and followed with Enter to its own confirmation page. axe finds nothing."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_check
from tests.browser.keyboard import press_enter_on
from tests.browser.learners import sign_in, subscribed

LANGUAGES = pytest.mark.parametrize("lang", ["fr", "en"])


@LANGUAGES
def test_the_ways_of_leaving_are_compared_and_followed_by_keyboard(page, live_app, lang, say):
    email, _user_id = subscribed(live_app, f"departures-{lang}")
    sign_in(page, email)
    page.goto("/compte/parametres/premium")
    table = page.locator("#departures-table")
    expect(page.locator("#departures-title")).to_have_text(say("Ce que coûte un départ aujourd'hui"))
    expect(table.locator("caption")).to_have_text(
        say("Chaque départ possible aujourd'hui, ce qu'il coûte et quand l'accès prend fin"))
    expect(table.locator("tbody th[scope=row]")).to_have_count(2)  # cancelling; withdrawing (no premium access yet)
    expect(page.locator("#cheapest-departure")).to_contain_text(say("Le moins coûteux aujourd'hui :"))
    axe_check(page)
    press_enter_on(page, "#departures-table a[href$='/premium/retractation']")
    expect(page).to_have_url(re.compile(r"/compte/parametres/premium/retractation$"))
    expect(page.locator("h1")).to_have_text(say("Exercer mon droit de rétractation"))
