"""axe (WCAG 2.2 A/AA rules) finds nothing on the main pages, in French and in English; each page has one h1,
the right `lang`, and a skip link as first tab stop that takes keyboard focus into the main content."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_check
from tests.browser.learners import sign_in, subscribed

LANGUAGES = pytest.mark.parametrize("lang", ["fr", "en"])
# The English msgstr of "Aller au contenu" in app/translations/en/LC_MESSAGES/messages.po.
SKIP_LINK = {"fr": "Aller au contenu", "en": "Skip to main content"}
CREATE_ACCOUNT = {"fr": "Créer mon compte", "en": "Create my account"}

PAGES = {
    "home": "/",
    "catalogue": "/cours",
    "course": "/cours/developpement-web-flask",
    "parcours-list": "/parcours",
    "parcours": "/parcours/developpeur-application-python",
    "parcours-not-yet-open": "/parcours/administrateur-infrastructure-cloud",
    "video-chapter": "/cours/developpement-web-flask/chapitres/1",  # open to all
    "sign-up": "/inscription",
    "sign-in": "/connexion",
    "terms": "/conditions-generales",
    "accessibility": "/accessibilite",
    "security-policy": "/securite",
}


def check_frame(page, lang: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("h1")).to_have_count(1)


def follow_skip_link(page, lang: str) -> None:
    """The skip link has focus: Enter on it moves focus into main#contenu."""
    expect(page.get_by_role("link", name=SKIP_LINK[lang], exact=True)).to_be_focused()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.closest('main#contenu') !== null"), \
        page.evaluate("document.activeElement.outerHTML.slice(0, 200)")


def check_skip_link_first(page, lang: str) -> None:
    """The first Tab press of a freshly loaded page focuses the skip link."""
    page.keyboard.press("Tab")
    follow_skip_link(page, lang)


@LANGUAGES
@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_page_is_accessible(page, lang, path):
    response = page.goto(path)
    assert response.status == 200
    check_frame(page, lang)
    axe_check(page)
    check_skip_link_first(page, lang)


@LANGUAGES
def test_a_text_chapter_read_by_a_subscriber_is_accessible(page, live_app, lang):
    """A Premium chapter with code and a figure, in the reader: its list of chapters, its text, its pager."""
    email, _ = subscribed(live_app, "lecteur-axe")
    sign_in(page, email)
    response = page.goto("/cours/developpement-web-flask/chapitres/2")
    assert response.status == 200
    expect(page.locator("article.prose pre").first).to_be_visible()
    check_frame(page, lang)
    axe_check(page)
    check_skip_link_first(page, lang)


@LANGUAGES
def test_catalogue_without_javascript_is_accessible(page_nojs, lang):
    response = page_nojs.goto("/cours")
    assert response.status == 200
    check_frame(page_nojs, lang)
    check_skip_link_first(page_nojs, lang)
    axe_check(page_nojs)


@LANGUAGES
def test_sign_up_errors_are_accessible_and_focused(page, lang):
    page.goto("/inscription")
    page.get_by_role("button", name=CREATE_ACCOUNT[lang], exact=True).click()  # every field left empty
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert page.url.endswith("/inscription")
    check_frame(page, lang)
    axe_check(page)
    # Focus starts on the summary, so the first Tab goes to its first link; the skip link stays the first tab
    # stop of the page: going back from the summary reaches it, and it still works.
    page.keyboard.press("Tab")
    expect(summary.get_by_role("link").first).to_be_focused()
    for _ in range(20):
        if page.evaluate("document.activeElement.classList.contains('skip-link')"):
            break
        page.keyboard.press("Shift+Tab")
    follow_skip_link(page, lang)


ERROR_TITLES = {404: {"fr": "Page introuvable", "en": "Page not found"},
                413: {"fr": "Envoi trop volumineux", "en": "Request too large"}}


@LANGUAGES
def test_error_pages_are_translated_and_accessible(open_page, lang):
    """A page that does not exist, and a form sent far too large (refused before it is read): each answers its
    own page in the reader's language, with one h1, the skip link and no axe violation. Without the site's
    scripts, since Chromium logs every 4xx answer as a console error."""
    page = open_page(lang, block_scripts=True)
    response = page.goto("/cours/ce-cours-n-existe-pas")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text(ERROR_TITLES[404][lang])
    check_frame(page, lang)
    axe_check(page)
    check_skip_link_first(page, lang)

    page.goto("/contact")
    with page.expect_response(lambda answer: answer.request.method == "POST") as answered:
        page.evaluate("""() => {
            const form = document.querySelector("main form[method='post']");
            form.querySelector("textarea").value = "x".repeat(1024 * 1024);
            form.submit();
        }""")
    assert answered.value.status == 413
    page.wait_for_load_state()
    expect(page.locator("h1")).to_have_text(ERROR_TITLES[413][lang])
    check_frame(page, lang)
    axe_check(page)


@LANGUAGES
def test_the_terms_pdf_being_prepared_is_an_accessible_page(page, live_app, lang):
    """A version just published, whose PDF the job queue has not stored yet: a page says so and links the HTML."""
    from datetime import date

    from app.extensions import db
    from app.services.legal import documents

    version = f"2099-01-{lang}"
    with live_app.app_context():
        documents.publish_version(documents.TERMS, version, date(2099, 1, 1), False, "# CGS 2099\n\nTexte.",
                                  "# Terms 2099\n\nText.")
        db.session.commit()  # and no job run: no worker here
    response = page.goto(f"/conditions-generales/version/{version}.pdf")
    assert response.status == 202
    check_frame(page, lang)
    expect(page.get_by_role("link", name={"fr": "Lire la version", "en": "Read version"}[lang])).to_have_attribute(
        "href", f"/conditions-generales/version/{version}")
    axe_check(page)
    check_skip_link_first(page, lang)
