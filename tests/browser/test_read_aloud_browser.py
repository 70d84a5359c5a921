"""Read-aloud on the terms and the Student Rules, in French and in English, by keyboard: honest when the browser has
no voice; section by section, with pause, previous and next, when it has one (a stand-in for the browser's speech
synthesis records what it is asked to say)."""

from playwright.sync_api import expect

from tests.browser.checkout_steps import LANGUAGES, text_of
from tests.browser.conftest import axe_check
from tests.browser.keyboard import tab_to
from tests.browser.read_aloud import SPEECH_STAND_IN

NO_VOICE = {"fr": "aucune voix de synthèse", "en": "no speech synthesis voice"}
READING = {"fr": "Lecture de la section : ", "en": "Reading the section: "}
PAUSED = {"fr": "Lecture en pause.", "en": "Reading paused."}
PLAY = {"fr": "Lire à voix haute", "en": "Read aloud"}
PAUSE = {"fr": "Pause", "en": "Pause"}


@LANGUAGES
def test_a_browser_without_a_voice_says_so_instead_of_pretending_to_read(page, lang):
    page.goto("/conditions-generales")
    panel = page.locator("#read-aloud")
    expect(panel).to_be_visible()
    play = panel.locator("[data-action=play]")
    tab_to(page, "#read-aloud [data-action=play]")
    page.keyboard.press("Enter")
    expect(page.locator("#read-aloud-status")).to_contain_text(NO_VOICE[lang])
    expect(play).to_have_text(PLAY[lang])
    expect(play).to_have_attribute("aria-pressed", "false")
    expect(page.locator(".being-read")).to_have_count(0)
    axe_check(page)


@LANGUAGES
def test_reading_goes_section_by_section_with_pause_previous_and_next(page, lang):
    page.add_init_script(SPEECH_STAND_IN)
    page.goto("/conditions-generales")
    headings = page.locator("#terms-body h2")
    first, second, third = (text_of(headings.nth(n)) for n in range(3))
    play = page.locator("#read-aloud [data-action=play]")
    status = page.locator("#read-aloud-status")

    tab_to(page, "#read-aloud [data-action=play]")
    page.keyboard.press("Enter")
    expect(status).to_have_text(READING[lang] + first + ".")
    expect(play).to_have_text(PAUSE[lang])
    expect(play).to_have_attribute("aria-pressed", "true")
    expect(headings.nth(0)).to_have_class("being-read")
    assert page.evaluate("window.__spoken[0].text").startswith(first)
    axe_check(page)  # the section being read, highlighted

    tab_to(page, "#read-aloud [data-action=next]")
    page.keyboard.press("Enter")
    expect(status).to_have_text(READING[lang] + second + ".")
    expect(headings.nth(1)).to_have_class("being-read")
    expect(headings.nth(0)).not_to_have_class("being-read")

    page.evaluate("window.__spoken.at(-1).dispatchEvent(new Event('end'))")  # the section has been said
    expect(status).to_have_text(READING[lang] + third + ".")  # the next one follows on its own
    assert page.evaluate("window.__spoken.at(-1).text").startswith(third)

    page.locator("#read-aloud [data-action=next]").focus()
    page.keyboard.press("Shift+Tab")  # "Section précédente" sits just before "Section suivante"
    assert page.evaluate("document.activeElement.dataset.action") == "previous"
    page.keyboard.press("Enter")
    expect(status).to_have_text(READING[lang] + second + ".")

    page.locator("#read-aloud-rate").select_option("1.5")
    assert page.evaluate("window.__spoken.at(-1).rate") == 1.5  # the section again, faster

    page.locator("#read-aloud [data-action=previous]").focus()
    page.keyboard.press("Shift+Tab")  # back to the first button, which now pauses
    assert page.evaluate("document.activeElement.dataset.action") == "play"
    page.keyboard.press("Enter")
    expect(status).to_have_text(PAUSED[lang])
    expect(play).to_have_attribute("aria-pressed", "false")
    assert page.evaluate("window.speechSynthesis.paused")


@LANGUAGES
def test_the_student_rules_are_read_aloud_article_by_article_like_the_terms(page, lang):
    page.add_init_script(SPEECH_STAND_IN)
    page.goto("/reglement-interieur")
    articles = page.locator("#rules-body h2")
    first, second = text_of(articles.nth(0)), text_of(articles.nth(1))
    tab_to(page, "#read-aloud [data-action=play]")
    page.keyboard.press("Enter")
    expect(page.locator("#read-aloud-status")).to_have_text(READING[lang] + first + ".")
    expect(articles.nth(0)).to_have_class("being-read")
    assert page.evaluate("window.__spoken[0].text").startswith(first)
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # "Section suivante", after "Section précédente"
    page.keyboard.press("Enter")
    expect(page.locator("#read-aloud-status")).to_have_text(READING[lang] + second + ".")
    axe_check(page)
