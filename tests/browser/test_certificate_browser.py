"""Certificates in a real browser, in French and in English (CGS-2.1-A2, CGS-2.2-A3): the "Certificats" tab
of Mes paramètres with and without JavaScript, the copy-link button announcing in the status region, and the
public verification page (valid, unknown, revoked) and public profile. axe finds nothing on any of them."""

import uuid

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.models import Course
from app.services.accounts import users
from app.services.learning import certificates, completion
from tests.browser.conftest import axe_check
from tests.browser.keyboard import focused_matches, tab_to
from tests.browser.learners import sign_in
from tests.conftest import PASSWORD

LANGUAGES = pytest.mark.parametrize("lang", ["fr", "en"])
A2 = pytest.mark.clause("CGS-2.1-A2")
A3 = pytest.mark.clause("CGS-2.2-A3")
TAB = "/compte/parametres/certificats"
TEXTS = {
    "fr": {"settings": "Mes paramètres", "copy": "Copier le lien", "copied": "Lien copié",
           "verify": "Vérification d'un certificat", "valid": "Ce certificat est authentique et valide",
           "revoked": "Ce certificat a été révoqué", "unknown": "Certificat introuvable",
           "profile": "Profil public de {name}", "make_public": "Rendre mon profil public", "save": "Enregistrer"},
    "en": {"settings": "My settings", "copy": "Copy the link", "copied": "Link copied",
           "verify": "Certificate verification", "valid": "This certificate is genuine and valid",
           "revoked": "This certificate has been revoked", "unknown": "Certificate not found",
           "profile": "Public profile of {name}", "make_public": "Make my profile public", "save": "Save"},
}


@pytest.fixture
def learner(live_app):
    """A learner with two certificates (the second revoked by staff); returns what the pages show."""
    from datetime import date

    email = f"certificats-{uuid.uuid4().hex[:12]}@example.org"
    with live_app.app_context():
        user = users.register(users.SignupData(
            first_name="Léa", last_name="Martin", email=email, password=PASSWORD, date_of_birth=date(1995, 4, 12),
            country="FR", under_legal_protection=False))
        first, second = db.session.scalars(select(Course).order_by(Course.id).limit(2)).all()
        valid = completion.issue(user, first, 86)
        revoked = completion.issue(user, second, 74)
        certificates.revoke(revoked.public_id, "Erreur de délivrance")
        db.session.commit()
        return {"email": email, "name": user.full_name, "valid": valid.public_id, "revoked": revoked.public_id,
                "titles": {"fr": first.title_fr, "en": first.title_en}}


@A2
@A3
@LANGUAGES
def test_the_certificates_tab_is_accessible_and_copies_the_link_by_keyboard(page, live_server, learner, lang):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    sign_in(page, learner["email"])
    page.goto(TAB)
    expect(page.locator("h1")).to_have_text(TEXTS[lang]["settings"])
    item = page.locator(f"#certificate-{learner['valid']}")
    expect(item.locator("h3")).to_have_text(learner["titles"][lang])
    url = f"{live_server}/certificats/{learner['valid']}"
    expect(item.locator("input[readonly]")).to_have_value(url)
    button = item.get_by_role("button", name=TEXTS[lang]["copy"])
    expect(button).to_be_visible()
    axe_check(page)

    tab_to(page, f"#certificate-{learner['valid']} button.copy-link-button")
    page.keyboard.press("Enter")
    expect(page.locator("#status")).to_have_text(TEXTS[lang]["copied"])
    assert page.evaluate("navigator.clipboard.readText()") == url
    assert focused_matches(page, f"#certificate-{learner['valid']} button.copy-link-button")
    axe_check(page)


@A2
@LANGUAGES
def test_without_javascript_the_link_is_in_a_labelled_read_only_field(page_nojs, live_server, learner, lang):
    sign_in(page_nojs, learner["email"])
    page_nojs.goto(TAB)
    field = page_nojs.locator(f"#certificate-url-{learner['valid']}")
    expect(field).to_have_value(f"{live_server}/certificats/{learner['valid']}")
    expect(field).to_have_attribute("readonly", "")
    expect(page_nojs.locator(f"#certificate-{learner['valid']} button.copy-link-button")).to_be_hidden()
    axe_check(page_nojs)


@A2
@LANGUAGES
def test_opting_in_to_the_public_profile_by_keyboard_shows_an_accessible_profile(page, learner, lang):
    sign_in(page, learner["email"])
    page.goto(TAB)
    tab_to(page, "#public_profile")
    page.keyboard.press("Space")
    expect(page.locator("#public_profile")).to_be_checked()
    tab_to(page, "form[action$='/profil-public'] button[type=submit]")
    # Until the new page has loaded (its stylesheet too): the old page is "loaded" the moment Enter is pressed.
    with page.expect_navigation(wait_until="load"):
        page.keyboard.press("Enter")
    expect(page.locator("#public_profile")).to_be_checked()
    address = page.locator("#public-profile-url").input_value()
    axe_check(page)
    page.goto(address)
    expect(page.locator("h1")).to_have_text(TEXTS[lang]["profile"].format(name=learner["name"]))
    expect(page.locator("#profile-certificates tbody tr")).to_have_count(1)  # the revoked one is left out
    axe_check(page)


@A2
@A3
@LANGUAGES
def test_the_public_verification_page_is_accessible_valid_unknown_and_revoked(open_page, learner, lang):
    page = open_page(lang)  # nobody signed in
    page.goto(f"/certificats/{learner['valid']}")
    expect(page.locator("h1")).to_have_text(TEXTS[lang]["verify"])
    expect(page.locator("#verification-result h2")).to_have_text(TEXTS[lang]["valid"])
    expect(page.locator("dl.certificate-fields")).to_contain_text(learner["valid"])
    expect(page.locator("dl.certificate-fields")).to_contain_text(learner["name"])
    axe_check(page)

    page.goto(f"/certificats/{learner['revoked']}")
    expect(page.locator("#verification-result h2")).to_have_text(TEXTS[lang]["revoked"])
    expect(page.locator("#verification-result")).to_contain_text("Erreur de délivrance")
    axe_check(page)

    # "Vérifier un certificat": an identifier that does not exist, typed by keyboard. Its page answers 404,
    # which the browser logs as a console error: this part runs where console errors are not collected (the
    # site's scripts are blocked there; the page has no behaviour that needs them).
    page = open_page(lang, block_scripts=True)
    page.goto(f"/certificats/{learner['valid']}")
    tab_to(page, "#identifiant")
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("ceci-n-existe-pas-du-tout")
    # Until the new page has loaded (its stylesheet too): the old page is "loaded" the moment Enter is pressed.
    with page.expect_navigation(wait_until="load"):
        page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(TEXTS[lang]["unknown"])
    expect(page.locator("#verification-result")).to_contain_text("ceci-n-existe-pas-du-tout")
    axe_check(page)
