"""In a real browser, in French and in English, by keyboard: a learner opens Mes paramètres > Mes données, asks for
an export (the outcome announced and focused), downloads the archive from the page, and the page then says it is
gone. axe finds nothing in any of these states."""

import json
import zipfile

import pytest
from playwright.sync_api import expect

from tests.banners import FOCUSED_SUCCESS, SUCCESS_MESSAGE
from tests.browser.conftest import axe_check
from tests.browser.keyboard import press_enter_on, tab_to
from tests.browser.learners import sign_in, subscribed

LANGUAGES = pytest.mark.parametrize("lang", ["fr", "en"])


@LANGUAGES
def test_a_learner_exports_and_downloads_their_data_by_keyboard(page, live_app, lang, say):
    email, _user_id = subscribed(live_app, f"data-{lang}")
    sign_in(page, email)
    page.goto("/compte/parametres/premium")
    press_enter_on(page, "nav.tabs-nav a[href$='/compte/parametres/donnees']")
    expect(page.locator("nav.tabs-nav [aria-current=page]")).to_have_text(say("Mes données"))
    expect(page.locator("#export-status")).to_have_text(say("Vous n'avez encore demandé aucun export."))
    axe_check(page)
    press_enter_on(page, "#data-export form button")
    expect(page.locator(FOCUSED_SUCCESS)).to_be_focused()
    expect(page.locator(SUCCESS_MESSAGE)).to_contain_text(email)
    download_link = page.locator("#export-download")
    expect(download_link).to_contain_text(say("Télécharger mes données"))
    axe_check(page)
    tab_to(page, "#export-download")
    with page.expect_download() as started:
        page.keyboard.press("Enter")
    archive = zipfile.ZipFile(started.value.path())
    assert json.loads(archive.read("data.json"))["account"]["email"] == email
    page.reload()
    downloaded = say("Téléchargé le %(moment)s : le fichier a été supprimé de nos serveurs. Demandez un nouvel "
                     "export si vous en avez besoin.", moment="@")
    expect(page.locator("#export-status")).to_contain_text(downloaded.split("@")[1].strip())
    expect(page.locator("#export-download")).to_have_count(0)
    axe_check(page)
