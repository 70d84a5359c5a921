"""axe (WCAG 2.2 A/AA rules) finds nothing on "Nous contacter" (as loaded, after a failed submit, after a
successful one) and on the Student Rules, in French and in English."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_check

LANGUAGES = pytest.mark.parametrize("lang", ["fr", "en"])
SEND = {"fr": "Envoyer", "en": "Send"}
SENT = {"fr": "Demande envoyée", "en": "Request sent"}
RULES = {"fr": "Règlement intérieur étudiant", "en": "Student Rules"}


def check_frame(page, lang: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("h1")).to_have_count(1)


@pytest.mark.clause("CGS-10-03")
@LANGUAGES
def test_contact_page_is_accessible(page, lang):
    response = page.goto("/contact")
    assert response.status == 200
    check_frame(page, lang)
    expect(page.locator("main form select#question")).to_be_visible()
    axe_check(page)


@pytest.mark.clause("CGS-1-08")
@LANGUAGES
def test_contact_errors_are_accessible_focused_and_keep_the_input(page, lang):
    page.goto("/contact")
    page.locator("#name").fill("Camille Durand")
    page.locator("#email").fill("pas-une-adresse")
    page.locator("#message").fill("Ma vidéo ne se charge pas.")
    page.get_by_role("button", name=SEND[lang], exact=True).click()  # no question chosen, email malformed
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    assert page.url.endswith("/contact")
    check_frame(page, lang)
    expect(page.locator("#name")).to_have_value("Camille Durand")
    expect(page.locator("#message")).to_have_value("Ma vidéo ne se charge pas.")
    expect(page.locator("#email")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#question")).to_have_attribute("aria-invalid", "true")
    axe_check(page)
    # The summary's links take focus to the fields.
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "email"


@pytest.mark.clause("CGS-1-08")
@LANGUAGES
def test_sent_request_confirmation_is_accessible(page, lang):
    page.goto("/contact?parcours=developpeur-application-python")
    page.locator("#name").fill("Camille Durand")
    page.locator("#email").fill(f"camille.{lang}@example.org")
    page.locator("#message").fill("Quels sont les prérequis ?")
    page.get_by_role("button", name=SEND[lang], exact=True).click()
    expect(page.locator("h1")).to_have_text(SENT[lang])
    assert page.url.endswith("/contact/demande-envoyee")
    expect(page.locator("main")).to_contain_text("DEM-")
    check_frame(page, lang)
    axe_check(page)


@LANGUAGES
def test_student_rules_page_is_accessible(page, lang):
    response = page.goto("/reglement-interieur")
    assert response.status == 200
    check_frame(page, lang)
    expect(page.locator("h1")).to_have_text(RULES[lang])
    axe_check(page)
    # The table of contents takes the reader to an article.
    page.locator("nav.toc a").nth(1).click()
    assert page.url.split("#")[1] == page.locator("#rules-body h2").nth(1).get_attribute("id")


@pytest.mark.clause("CGS-10-02")
@LANGUAGES
def test_a_complaint_sent_by_keyboard_is_followed_on_an_accessible_page(page, lang):
    page.goto("/contact?sujet=complaint")
    expect(page.locator("#question")).to_have_value("complaint")
    page.locator("#name").focus()
    page.keyboard.type("Camille Durand")
    page.keyboard.press("Tab")
    page.keyboard.type(f"camille.complaint.{lang}@example.org")
    page.locator("#message").focus()
    page.keyboard.type("Mon renouvellement a été prélevé deux fois.")
    page.get_by_role("button", name=SEND[lang], exact=True).focus()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(SENT[lang])
    expect(page.locator("main")).to_contain_text("RCL-")
    axe_check(page)
    follow = page.locator("main a[href^='/contact/reclamation/']")
    follow.focus()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("RCL-")
    check_frame(page, lang)
    expect(page.locator("#mediation h2")).to_be_visible()
    axe_check(page)
