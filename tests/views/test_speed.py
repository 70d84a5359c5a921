"""Speed rules: few queries per page, cacheable hashed static files, small compressed pages."""

import gzip
import re
from urllib.parse import urljoin

import brotli
import pytest
from bs4 import BeautifulSoup

from app.assets import asset_url
from tests.conftest import text_of

PAGES = ["/", "/cours", "/cours?q=developpement&niveau=beginner", "/cours/developpement-web-flask",
         "/parcours", "/parcours/developpeur-application-python", "/conditions-generales"]


@pytest.mark.parametrize("url", PAGES)
def test_pages_render_from_at_most_five_queries(client, statements, url):
    assert client.get(url).status_code == 200
    assert len(statements) <= 5, "\n".join(statements)


def test_signed_in_catalogue_stays_within_five_queries(client, signed_in, statements):
    assert client.get("/cours").status_code == 200
    assert len(statements) <= 5, "\n".join(statements)


def test_static_files_have_a_content_hash_and_a_year_of_cache(client):
    soup = BeautifulSoup(client.get("/").get_data(as_text=True), "html.parser")
    urls = [link["href"] for link in soup.select("link[rel=stylesheet]")] + [s["src"] for s in soup.select("script")]
    assert urls
    for url in urls:
        assert re.search(r"\.[0-9a-f]{12}\.(css|js)$", url), url
        response = client.get(url)
        assert response.status_code == 200
        assert response.cache_control.max_age == 365 * 24 * 3600 and response.cache_control.immutable


def test_a_static_file_does_not_vary_with_the_cookie_even_signed_in(client, signed_in):
    """Flask-Login reads the session after every response, and Flask would then add `Vary: Cookie`: a browser would
    fetch the stylesheets again each time the cookie changes."""
    response = client.get("/cours")
    assert "Cookie" in vary_of(response)  # a page does vary with who is signed in
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    urls = [link["href"] for link in page.select("link[rel=stylesheet]")] + [s["src"] for s in page.select("script")]
    for url in urls:
        response = client.get(url, headers={"Accept-Encoding": "br"})
        assert response.status_code == 200 and "Cookie" not in vary_of(response), url
        assert "Set-Cookie" not in response.headers
    stylesheet = client.get(urls[0], headers={"Accept-Encoding": "br"})
    assert stylesheet.headers["Content-Encoding"] == "br" and vary_of(stylesheet) == ["Accept-Encoding"]


def vary_of(response) -> list[str]:
    return [value.strip() for value in response.headers.get("Vary", "").split(",") if value.strip()]


def test_a_stale_hash_is_served_but_not_cached(client):
    response = client.get("/static/css/site.000000000000.css")
    assert response.status_code == 200 and response.cache_control.max_age == 0


def test_static_path_traversal_is_refused(client):
    assert client.get("/static/../app/config.py").status_code == 404
    assert client.get("/static/css/../../app/config.000000000000.py").status_code == 404


@pytest.mark.parametrize("url", ["/cours", "/parcours/data-scientist", "/conditions-generales"])
def test_first_load_weighs_at_most_60_kb_compressed(client, url):
    response = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert response.headers.get("Content-Encoding") == "gzip"
    total = len(response.data)
    soup = BeautifulSoup(gzip.decompress(response.data).decode(), "html.parser")
    assets = [link["href"] for link in soup.select("link[rel=stylesheet]")] + [s["src"] for s in soup.select("script")]
    # A module's imports load with it (components.js imports GOV.UK Frontend's script).
    assets += [urljoin(module["src"], imported) for module in soup.select("script[type=module]")
               for imported in re.findall(r'from "([^"]+)"', client.get(module["src"]).get_data(as_text=True))]
    for asset in assets:
        asset_response = client.get(asset, headers={"Accept-Encoding": "gzip"})
        assert asset_response.status_code == 200, asset
        # Compressed, unless too small to gain from it.
        assert asset_response.headers.get("Content-Encoding") == "gzip" or len(asset_response.data) < 1024, asset
        total += len(asset_response.data)
    assert total <= 60 * 1024, f"{url}: {total} bytes"


@pytest.fixture
def page_cache(app):
    from app.extensions import cache

    cache.init_app(app, config={"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": 300})
    app.extensions.pop("page_doorkeeper", None)  # no search asked before
    yield cache
    cache.clear()
    cache.init_app(app, config={"CACHE_TYPE": "NullCache"})


def test_cached_catalogue_page_needs_no_query_the_second_time(client, page_cache, statements):
    first = client.get("/cours?q=flask", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert statements
    statements.clear()
    second = client.get("/cours?q=flask", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert statements == []
    assert BeautifulSoup(first, "html.parser").main == BeautifulSoup(second, "html.parser").main


def test_cache_keeps_languages_and_htmx_fragments_apart(client, page_cache):
    french = BeautifulSoup(client.get("/cours?q=flask", headers={"Accept-Language": "fr"}).data, "html.parser")
    english = BeautifulSoup(client.get("/cours?q=flask", headers={"Accept-Language": "en"}).data, "html.parser")
    assert french.h1.get_text() == "Catalogue des cours" and english.h1.get_text() == "Course catalogue"
    fragment = client.get("/cours?q=flask", headers={"HX-Request": "true", "Accept-Language": "fr"})
    assert BeautifulSoup(fragment.data, "html.parser").select_one("html") is None


def test_cached_content_never_carries_who_is_signed_in(client, page_cache, user):
    from tests.conftest import PASSWORD

    client.get("/cours")  # cached while signed out
    client.post("/connexion", data={"email": user.email, "password": PASSWORD})
    soup = BeautifulSoup(client.get("/cours").data, "html.parser")
    assert soup.select_one("form[action='/deconnexion']")  # the frame is per request
    client.post("/deconnexion")
    assert BeautifulSoup(client.get("/cours").data, "html.parser").select_one("form[action='/deconnexion']") is None


def test_a_visitor_without_session_gets_the_whole_page_from_the_cache(app, page_cache):
    from flask import template_rendered

    rendered = []
    client = app.test_client(use_cookies=False)
    first = client.get("/parcours/data-scientist", headers={"Accept-Language": "fr"}).data
    def note(sender, template, context, **extra):  # kept by this name: blinker holds its receivers weakly
        rendered.append(template.name)

    template_rendered.connect(note, app)
    second = client.get("/parcours/data-scientist", headers={"Accept-Language": "fr"}).data
    assert rendered == [] and first == second
    client.get("/parcours/data-scientist", headers={"Accept-Language": "en"})
    assert "layouts/cached_page.html" in rendered  # the signal is heard: English was rendered
    ie = client.get("/parcours/data-scientist", headers={"User-Agent": "Mozilla/4.0 (MSIE 8.0; Trident/4.0)"})
    assert BeautifulSoup(ie.data, "html.parser").select_one(".browser-notice")  # its own cache entry


def test_a_new_search_reuses_the_cards_of_the_courses_it_finds_in_each_language(app, page_cache):
    from flask import template_rendered

    client = app.test_client(use_cookies=False)
    rendered = []

    def note(sender, template, context, **extra):  # kept by this name: blinker holds its receivers weakly
        rendered.append((template.name, context.get("course") and context["course"].slug))

    template_rendered.connect(note, app)
    first = BeautifulSoup(client.get("/cours?q=flask", headers={"Accept-Language": "fr"}).data, "html.parser")
    cards = [("catalog/_course_card.html", "developpement-web-flask")]
    assert [entry for entry in rendered if entry[0] == "catalog/_course_card.html"] == cards
    rendered.clear()
    second = BeautifulSoup(client.get("/cours?q=web+flask", headers={"Accept-Language": "fr"}).data,
                           "html.parser")
    assert [entry for entry in rendered if entry[0] == "catalog/_course_card.html"] == []  # kept from the first
    assert second.select_one(".course-card") == first.select_one(".course-card")
    english = BeautifulSoup(client.get("/cours?q=flask", headers={"Accept-Language": "en"}).data, "html.parser")
    assert text_of(english.select_one(".course-card h3")) == "Web Development with Flask"
    assert text_of(english.select_one(".course-card .card-tag")) == "Included in Premium"


@pytest.fixture
def rendered(app):
    """The names of the templates rendered while the test runs."""
    from flask import template_rendered

    names: list[str] = []

    def note(sender, template, context, **extra):
        names.append(template.name)

    with template_rendered.connected_to(note, app):
        yield names


def test_a_search_typed_once_is_not_kept_and_one_asked_again_is(app, page_cache, rendered):
    client = app.test_client(use_cookies=False)
    pages = [client.get("/cours?q=flask", headers={"Accept-Language": "fr"}).data for _ in range(3)]
    assert rendered.count("catalog/_catalogue_main.html") == 2  # the first time, then kept the second time
    assert pages[0] == pages[1] == pages[2]
    assert page_cache.get("page:catalog/_catalogue_main.html:fr:/cours?q=flask")
    client.get("/cours?q=python", headers={"Accept-Language": "fr"})
    assert page_cache.get("page:catalog/_catalogue_main.html:fr:/cours?q=python") is None
    assert page_cache.get("page:catalog/_catalogue_main.html:fr:/cours?q=flask")  # not pushed out
    fragment = {"HX-Request": "true", "Accept-Language": "fr"}
    client.get("/cours?q=django", headers=fragment)  # the live search, on a pause in typing
    assert page_cache.get("page:catalog/_results_update.html:fr:/cours?q=django") is None
    rendered.clear()
    client.get("/cours?categorie=data", headers={"Accept-Language": "fr"})  # filters are not typed: kept at once
    client.get("/cours?categorie=data", headers={"Accept-Language": "fr"})
    assert rendered.count("catalog/_catalogue_main.html") == 1


def test_a_search_never_seen_reads_no_row_once_the_catalogue_index_and_cards_are_kept(app, page_cache, statements):
    client = app.test_client(use_cookies=False)
    everything = BeautifulSoup(client.get("/cours?page=4", headers={"Accept-Language": "fr"}).data, "html.parser")
    for number in range(1, 5):
        client.get(f"/cours?page={number}", headers={"Accept-Language": "fr"})  # every card rendered once
    statements.clear()
    found = BeautifulSoup(client.get("/cours?q=donnees", headers={"Accept-Language": "fr"}).data, "html.parser")
    assert statements == []
    titles = [text_of(card) for card in found.select("#results .course-card h3")]
    assert titles and all(title for title in titles)
    assert text_of(found.select_one("#results-title")) == f"{len(titles)} cours trouvés"
    assert everything.select_one("#results .course-card")  # the last page of the whole catalogue has cards


def test_the_kept_filters_select_each_readers_own_choices_in_their_language(app, page_cache):
    client = app.test_client(use_cookies=False)

    def selected(address, language="fr"):
        soup = BeautifulSoup(client.get(address, headers={"Accept-Language": language}).data, "html.parser")
        return {select["name"]: [text_of(option) for option in select.select("option[selected]")]
                for select in soup.select("form[role=search] select")}

    data = "categorie=data-intelligence-artificielle"
    assert selected(f"/cours?{data}&niveau=beginner&format=video") == {
        "categorie": ["Data & intelligence artificielle"], "niveau": ["Débutant"], "format": ["Vidéo"]}
    assert selected(f"/cours?q=python&{data}") == {"categorie": ["Data & intelligence artificielle"], "niveau": [],
                                                   "format": []}
    assert selected("/cours?categorie=inconnue&niveau=expert") == {"categorie": [], "niveau": [], "format": []}
    assert selected(f"/cours?{data}", "en")["categorie"] == ["Data & AI"]


def test_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert client.get(response.headers["Location"]).mimetype == "image/svg+xml"


def test_tracking_parameters_neither_split_the_cache_nor_reach_the_cached_page(app, page_cache, statements):
    client = app.test_client(use_cookies=False)
    first = client.get("/cours?q=flask&utm_source=lettre&utm_campaign=rentree")
    statements.clear()
    second = client.get("/cours?fbclid=abc&q=flask&gclid=def")
    assert statements == []  # the same page, from the cache
    assert second.data == first.data
    soup = BeautifulSoup(second.data, "html.parser")
    assert "utm_" not in str(soup) and "fbclid" not in str(soup)
    assert soup.select_one("a[hreflang=en]")["href"] == "/langue/en?next=/cours?q%3Dflask"
    statements.clear()
    other = BeautifulSoup(client.get("/cours?q=python").data, "html.parser")
    assert "python" in other.title.get_text()  # a parameter the page reads is another page


@pytest.mark.parametrize(("accepted", "encoding"), [("br, gzip", "br"), ("gzip", "gzip"), ("br;q=0, gzip", "gzip"),
                                                    ("", None)])
def test_a_cached_page_is_sent_in_the_best_encoding_the_browser_accepts(app, page_cache, accepted, encoding):
    client = app.test_client(use_cookies=False)
    plain = client.get("/parcours", headers={"Accept-Encoding": ""})
    for _ in range(2):  # compressed once, then sent from the cache as it is
        response = client.get("/parcours", headers={"Accept-Encoding": accepted})
        assert response.headers.get("Content-Encoding") == encoding
        assert "Accept-Encoding" in response.headers["Vary"]
        body = {"br": brotli.decompress, "gzip": gzip.decompress, None: bytes}[encoding](response.data)
        assert body == plain.data


def test_a_static_file_is_compressed_once_and_sent_to_each_browser_in_its_encoding(client):
    css = BeautifulSoup(client.get("/").data, "html.parser").select_one("link[rel=stylesheet]")["href"]
    plain = client.get(css, headers={"Accept-Encoding": ""}).data
    assert brotli.decompress(client.get(css, headers={"Accept-Encoding": "br"}).data) == plain
    assert gzip.decompress(client.get(css, headers={"Accept-Encoding": "gzip"}).data) == plain


def test_a_static_url_built_once_still_follows_the_portals_address_and_the_files_content(app):
    with app.test_request_context("/", base_url="http://localhost/portail/"):
        below = asset_url("css/portal.css")
    with app.test_request_context("/"):
        at_root = asset_url("css/portal.css")
        assert asset_url("css/portal.css") == at_root
    assert below.startswith("/portail/static/css/portal.") and at_root.startswith("/static/css/portal.")
    assert below.removeprefix("/portail") == at_root
