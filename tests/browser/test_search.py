"""The catalogue search, in French and in English: live with HTMX (debounced, announced, focus kept in the
field, URL updated), and the same results by a plain GET without JavaScript."""

import html
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

SEARCHES = pytest.mark.parametrize("lang, query, title", [
    ("fr", "developpement", "Développement web avec Flask"),
    ("en", "flask", "Web Development with Flask"),
])
COUNT = {"fr": re.compile(r"^\d+ cours trouvés?$"), "en": re.compile(r"^\d+ courses? found$")}
CARD_TITLES = "#results .card h3"


def is_search_update(request) -> bool:
    return urlsplit(request.url).path == "/cours" and request.headers.get("hx-request") == "true"


@SEARCHES
def test_live_search_updates_results_and_announces_count(page, lang, query, title):
    page.goto("/cours")
    expect(page.locator(CARD_TITLES).first).to_be_visible()
    before = page.locator("#results-title").inner_text()
    updates = []
    page.on("request", lambda request: updates.append(request.url) if is_search_update(request) else None)
    page.locator("#q").focus()

    final_query = re.compile(rf"[?&]q={query}(&|$)")
    with page.expect_response(lambda response: is_search_update(response.request)
                              and final_query.search(response.url) is not None and response.ok):
        page.keyboard.type(query, delay=50)

    expect(page.locator(CARD_TITLES, has_text=title)).to_have_count(1)
    results_title = page.locator("#results-title")
    expect(results_title).to_have_text(COUNT[lang])
    assert results_title.inner_text() != before, "the count did not change"
    status = page.locator("#status")
    expect(status).to_have_text(results_title.inner_text())
    assert COUNT[lang].match(status.inner_text().strip())
    assert page.evaluate("document.activeElement.id") == "q", "focus left the search field"
    expect(page).to_have_url(final_query)
    # Debounced: one request once typing stopped, none per keystroke (all timers had run by the response).
    assert len(updates) == 1, updates


@SEARCHES
def test_search_without_javascript(page_nojs, lang, query, title):
    page = page_nojs
    page.goto("/cours")
    page.fill("#q", query)
    page.press("#q", "Enter")

    expect(page).to_have_url(re.compile(rf"/cours\?q={query}(&|$)"))
    expect(page.locator(CARD_TITLES, has_text=title)).to_have_count(1)
    expect(page.locator("#results-title")).to_have_text(COUNT[lang])
    # The same results as the fragment HTMX swaps in for this query.
    fragment = page.request.get(f"/cours?q={query}", headers={"HX-Request": "true"}).text()
    expected = [html.unescape(match) for match in re.findall(r"<h3><a [^>]*>(.*?)</a></h3>", fragment)]
    assert page.locator(CARD_TITLES).all_inner_texts() == expected
    assert page.locator("#results-title").inner_text() in fragment
