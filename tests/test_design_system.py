"""The design system: GOV.UK Frontend's components built into the portal's own stylesheet, under the platform's
brand (its purple, the self-hosted Inter font; never GOV.UK's crown, name or typeface). `make css-check`, run by
CI, checks that the committed stylesheet is what its sources build."""

import re

import pytest

from app.config import BASE_DIR
from app.labels import TAG_COLOURS
from app.services.mentoring.projects import ProjectState

STYLESHEET = (BASE_DIR / "static" / "css" / "portal.css").read_text(encoding="utf-8")
# The rules, without the licence notice that credits GOV.UK Frontend's authors.
RULES = re.sub(r"/\*!.*?\*/", "", STYLESHEET, flags=re.DOTALL)


def test_the_stylesheet_carries_the_platforms_brand_and_none_of_govuks():
    assert "GDS Transport" not in RULES
    assert not re.search(r"crest|crown", RULES, re.IGNORECASE)
    assert "GOV.UK Frontend" in STYLESHEET  # its licence's notice kept
    assert "#5a2ca0" in RULES.lower()  # the brand and the links
    assert re.search(r'font-family:\s*"?Inter"?', STYLESHEET)


def test_the_font_is_served_by_the_portal_itself(client):
    fonts = re.findall(r'url\("?([^")]+\.woff2)"?\)', STYLESHEET)
    assert len(fonts) == 3  # regular, semi-bold, bold
    for font in fonts:
        path = (BASE_DIR / "static" / "css" / font).resolve()
        assert path.is_file(), font
        response = client.get("/static/" + path.relative_to(BASE_DIR / "static").as_posix())
        assert response.status_code == 200 and response.data[:4] == b"wOF2"
        # Named with its release, so cached for a year like a hashed file.
        assert response.cache_control.immutable and response.cache_control.max_age == 365 * 24 * 3600
    assert (BASE_DIR / "static" / "fonts" / "LICENSE").read_text().startswith("Copyright")


def test_every_page_loads_the_design_system_before_the_portals_own_styles(client, page):
    sheets = [link["href"] for link in page("/").select("link[rel=stylesheet]")]
    assert [re.sub(r"\.[0-9a-f]{12}\.css$", ".css", href) for href in sheets] == [
        "/static/css/portal.css", "/static/css/site.css"]
    response = client.get(sheets[0])
    assert response.mimetype == "text/css" and response.cache_control.immutable


@pytest.mark.parametrize("state", list(ProjectState))
def test_each_project_state_is_a_tag_in_a_colour_the_stylesheet_has(state):
    assert f".govuk-tag--{TAG_COLOURS[state]}" in STYLESHEET


def test_the_components_script_is_a_module_that_loads_govuk_frontend_from_the_portal(client, page):
    scripts = page("/").select("script[type=module]")
    assert [re.sub(r"\.[0-9a-f]{12}\.js$", ".js", script["src"]) for script in scripts] == ["/static/js/components.js"]
    source = (BASE_DIR / "static" / "js" / "components.js").read_text()
    imported = re.search(r'from "\.\./vendor/([^"]+)"', source).group(1)
    response = client.get(f"/static/vendor/{imported}")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert b"ServiceNavigation" in response.data
