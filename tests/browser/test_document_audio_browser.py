"""The terms heard without JavaScript nor a voice in the browser (French and English): the player under each
heading is reached by keyboard, plays the section's real recording, fits 320 px, and read-aloud (with JavaScript)
does not read the players out."""

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.services.legal import audio
from tests.browser.checkout_steps import LANGUAGES
from tests.browser.conftest import axe_check
from tests.browser.keyboard import tab_to
from tests.browser.read_aloud import SPEECH_STAND_IN
from tests.speech import publish_sample, require_speech

VERSION = "2099-ecoute"


@pytest.fixture(scope="module")
def heard_terms(live_app):
    require_speech()
    with live_app.app_context():
        version = publish_sample(VERSION)
        audio.store_audio(version.id)
        db.session.commit()
    return f"/conditions-generales/version/{VERSION}"


def duration_of(page, selector: str) -> float:
    """Loads the recording as a click on Play would, and gives its length in seconds (0 if it does not decode)."""
    return page.evaluate("""selector => new Promise(resolve => {
        const sound = document.querySelector(selector);
        sound.addEventListener("loadedmetadata", () => resolve(sound.duration), { once: true });
        sound.addEventListener("error", () => resolve(0), { once: true });
        sound.preload = "metadata";
        sound.load();
    })""", selector)


@LANGUAGES
def test_without_javascript_each_section_is_heard_from_the_player_under_its_heading(open_page, heard_terms, lang):
    # The site's scripts are blocked (the page is what a browser without JavaScript shows); the test's own script
    # asks the player for the recording's length.
    page = open_page(lang, block_scripts=True)
    page.goto(heard_terms)
    price = {"fr": "Article 2. Prix", "en": "Article 2. Price"}[lang]
    player = page.get_by_role("heading", name=price).locator("xpath=following-sibling::p[1]/audio")
    expect(player).to_have_attribute("aria-label", {
        "fr": f"Écouter la section « {price} » (voix de synthèse)",
        "en": f"Listen to the section “{price}” (synthetic voice)"}[lang])
    tab_to(page, "audio[src$='article-2-" + {"fr": "prix", "en": "price"}[lang] + ".mp3']", max_presses=60)
    assert duration_of(page, "#terms-body audio[src$='-2-" + {"fr": "prix", "en": "price"}[lang] + ".mp3']") > 5
    axe_check(page)


@LANGUAGES
def test_the_players_fit_a_narrow_screen(page, heard_terms, lang):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(heard_terms)
    box = page.locator("#terms-body audio").first.bounding_box()
    assert box and box["width"] > 200 and box["x"] + box["width"] <= 320
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


@LANGUAGES
def test_read_aloud_reads_the_text_not_the_players(page, heard_terms, lang):
    page.add_init_script(SPEECH_STAND_IN)
    page.goto(heard_terms)
    tab_to(page, "#read-aloud [data-action=play]")
    page.keyboard.press("Enter")
    expect(page.locator("#read-aloud-status")).not_to_be_empty()
    said = page.evaluate("window.__spoken[0].text")
    assert said.startswith({"fr": "Article 1. Objet", "en": "Article 1. Purpose"}[lang])
    assert {"fr": "Télécharger", "en": "Download"}[lang] not in said
