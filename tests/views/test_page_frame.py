"""The frame every page shares: language, landmarks, skip link, status region, footer links, errors, headers."""

import pytest

from tests.banners import CONTENT
from tests.conftest import PASSWORD, soup_of, text_of

PUBLIC_PAGES = [
    "/", "/cours", "/cours/developpement-web-flask", "/parcours", "/connexion", "/inscription",
    "/mot-de-passe-oublie", "/aide-connexion", "/conditions-generales", "/accessibilite", "/mentions-legales",
    "/donnees-personnelles", "/contact", "/parcours/developpeur-application-python", "/premium",
]


@pytest.fixture(params=PUBLIC_PAGES)
def any_page(request, page):
    return page(request.param)


def test_every_page_has_lang_landmarks_skip_link_and_status_region(any_page):
    assert any_page.html["lang"] == "fr"
    assert any_page.select_one("header") and any_page.select_one("main#contenu") and any_page.select_one("footer")
    assert any_page.select_one("nav[aria-label]")
    skip = any_page.select_one("body > a.skip-link")
    assert skip["href"] == "#contenu"
    status = any_page.select_one("#status")
    assert status["role"] == "status" and status["aria-live"] == "polite"
    assert text_of(status) == ""


@pytest.mark.clause("CGS-1-02")
def test_no_page_skips_a_heading_level(any_page):
    """A screen-reader user moving by headings never falls from an h1 to an h3."""
    levels = [int(heading.name[1]) for heading in any_page.select("h1, h2, h3, h4, h5, h6")]
    assert levels and levels[0] == 1, levels
    jumps = [(before, after) for before, after in zip(levels, levels[1:], strict=False) if after > before + 1]
    assert not jumps, levels


def test_every_page_links_the_terms_and_the_legal_notice(any_page):
    footer_links = {a["href"] for a in any_page.select("footer a")}
    assert "/conditions-generales" in footer_links
    assert "/mentions-legales" in footer_links


@pytest.mark.clause("CGS-1-12")
def test_every_page_links_the_accessibility_page_with_its_status(any_page):
    link = any_page.select_one('footer a[href="/accessibilite"]')
    assert text_of(link) == "Accessibilité : non conforme"


@pytest.mark.clause("CGS-9-01")
def test_every_page_links_the_personal_data_policy(any_page):
    assert any_page.select_one('footer a[href="/donnees-personnelles"]')


@pytest.mark.clause("CGS-2.1-B4")
def test_pages_exist_in_english_with_lang_en(page):
    for url in PUBLIC_PAGES:
        soup = page(url, lang="en")
        assert soup.html["lang"] == "en", url
        assert text_of(soup.select_one("footer a[href='/conditions-generales']")) == "General terms of service", url


@pytest.mark.clause("CGS-2.1-B4")
def test_language_switch_keeps_the_current_page(client, page):
    soup = page("/cours?q=flask")
    switch = soup.select_one(".language-switch a[lang='en']")
    assert text_of(switch) == "English"
    response = client.get(switch["href"])
    assert response.status_code == 302 and response.headers["Location"] == "/cours?q=flask"
    assert page("/cours?q=flask").html["lang"] == "en"


def test_language_switch_never_redirects_to_another_site(client):
    response = client.get("/langue/en?next=https://evil.example/")
    assert response.headers["Location"] == "/"
    assert client.get("/langue/en?next=//evil.example").headers["Location"] == "/"


def test_not_found_page_is_translated_and_helpful(page):
    french = page("/nulle-part", status=404)
    assert text_of(french.h1) == "Page introuvable"
    assert french.title.get_text().startswith("Page introuvable")
    english = page("/nulle-part", lang="en", status=404)
    assert text_of(english.h1) == "Page not found"
    assert english.select_one("main a[href='/']")


def test_server_error_shows_no_trace(client, monkeypatch):
    from app.services.catalog import browse

    def boom(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(browse, "featured_courses", boom)
    response = client.get("/", headers={"Accept-Language": "en"})
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "secret internals" not in body and "Traceback" not in body
    assert "Server error" in body


def test_security_headers_and_a_strict_csp(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


@pytest.mark.parametrize("url", ["/", "/cours", "/cours/nulle-part", "/static/css/portal.css"])
def test_each_security_header_is_sent_once_and_html_varies_with_the_cookie(client, url):
    for _ in range(2):  # the second answer comes from what was kept: nothing may pile up
        response = client.get(url)
        for name in ("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy",
                     "Permissions-Policy", "Cross-Origin-Opener-Policy"):
            assert len(response.headers.getlist(name)) == 1, (url, name)
        vary = [part.strip() for part in response.headers.get("Vary", "").split(",")]
        assert vary.count("Cookie") == 1 if response.mimetype == "text/html" else vary.count("Cookie") <= 1, vary


def test_no_inline_script_or_style_anywhere(any_page):
    assert all(script.get("src") for script in any_page.find_all("script"))
    assert not any_page.find_all("style")
    assert not any_page.select("[style]")


def test_signed_in_pages_give_htmx_the_csrf_token_from_the_body(client, signed_in):
    import json

    from bs4 import BeautifulSoup

    for url in PUBLIC_PAGES:
        soup = BeautifulSoup(client.get(url).data, "html.parser")
        assert json.loads(soup.body["hx-headers"])["X-CSRFToken"], url


def test_an_anonymous_reader_of_the_catalogue_gets_no_cookie(client):
    response = client.get("/cours/developpement-web-flask")
    assert "Set-Cookie" not in response.headers


def test_a_page_with_a_form_gives_its_token_to_the_form_and_to_htmx(app, page):
    import json

    app.config["WTF_CSRF_ENABLED"] = True
    try:
        soup = page("/connexion")
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    token = soup.select_one("main form input[name=csrf_token]")["value"]
    assert token and json.loads(soup.body["hx-headers"])["X-CSRFToken"]


def test_post_without_csrf_token_is_refused_with_a_translated_page(app, client, user):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post("/connexion", data={"email": user.email, "password": "x"},
                               headers={"Accept-Language": "fr"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    assert "Formulaire expiré" in response.get_data(as_text=True)


@pytest.mark.clause("CGS-5-01")
@pytest.mark.parametrize("agent", [
    "Mozilla/5.0 (Windows NT 10.0; Trident/7.0; rv:11.0) like Gecko",
    "Opera/9.80 (J2ME/MIDP; Opera Mini/9.80 (S60; SymbOS; Opera Mobi/23.348; U; en) Presto/2.5.25 Version/10.54",
])
def test_unsupported_browsers_see_a_notice_and_a_working_page(page, agent):
    soup = page("/cours", headers={"User-Agent": agent})
    notice = soup.select_one(".browser-notice")
    assert "Internet Explorer" in text_of(notice) and "Opera Mini" in text_of(notice)
    assert soup.select(".cards li")


@pytest.mark.clause("CGS-5-01")
def test_current_browsers_see_no_notice(page):
    agent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36"
    assert page("/", headers={"User-Agent": agent}).select_one(".browser-notice") is None


def test_money_is_formatted_in_each_readers_language_even_for_constants(app):
    """A filter Jinja could fold at compile time would show the first reader's format to everyone."""
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "fr"}):
        template = app.jinja_env.from_string("{{ 0 | euros }}")
        french = template.render()
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "en"}):
        english = template.render()
    assert french.replace("\u00a0", " ").replace("\u202f", " ") == "0,00 €" and english == "€0.00"


def test_an_outcome_after_a_redirect_is_in_the_title_and_read_first(client, user):
    signed_in = client.post("/connexion", data={"email": user.email, "password": PASSWORD})
    page = soup_of(client.get(signed_in.headers["Location"]))
    assert text_of(page.title).startswith("Vous êtes connecté — ")
    [notice] = page.select("main [data-focus-on-load]")
    assert text_of(notice.select_one(CONTENT)) == "Vous êtes connecté." and notice["tabindex"] == "-1"
    assert "govuk-notification-banner--success" in notice["class"] and notice["role"] == "alert"
    again = soup_of(client.get("/"))  # shown once: the next page's title is its own
    assert not text_of(again.title).startswith("Vous êtes connecté")
