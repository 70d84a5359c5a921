"""The design system: GOV.UK Frontend's components built into the portal's own stylesheet, under the platform's
brand (its purple, the self-hosted Inter font; never GOV.UK's crown, name or typeface). `make css-check`, run by
CI, checks that the committed stylesheet is what its sources build."""

import re

import pytest

from app.config import BASE_DIR
from app.extensions import db
from app.labels import TAG_COLOURS
from app.models import Course
from app.services.learning import quizzes
from app.services.mentoring.projects import ProjectState
from tests import checkout_flow as flow
from tests.banners import CONTENT
from tests.conftest import PASSWORD, soup_of, text_of
from tests.quiz_forms import wrong_form

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


# --- tables: GOV.UK Frontend's table component --------------------------------------------------------------

TABLE_PARTS = {"table": "govuk-table", "caption": "govuk-table__caption", "thead": "govuk-table__head",
               "tbody": "govuk-table__body", "tr": "govuk-table__row", "th": "govuk-table__header",
               "td": "govuk-table__cell"}


def assert_govuk_tables(soup) -> int:
    """Every table of the page is GOV.UK's: the component's class on the table and on each of its parts, every
    header cell says what it heads, and the table scrolls in a focusable region named by its caption."""
    tables = soup.select("main table")
    for table in tables:
        for element in [table, *table.find_all(list(TABLE_PARTS))]:
            assert TABLE_PARTS[element.name] in element.get("class", []), (element.name, str(element)[:200])
        assert all(th.get("scope") in {"col", "row"} for th in table.find_all("th")), str(table)[:200]
        assert table.caption and table.caption.get("id"), "a table is named by its caption"
        region = table.find_parent(class_="table-scroll")
        assert region["role"] == "region" and region["aria-labelledby"] == table.caption["id"]
        assert region["tabindex"] == "0"
    return len(tables)


def test_the_tables_of_a_subscribers_pages_are_govuk_tables(client):
    flow.buy_solo(client)
    premium = flow.soup(client.get("/compte/parametres/premium"))
    assert assert_govuk_tables(premium) == 3  # what leaving costs, the invoices, the transactions
    amounts = premium.select_one("#invoices thead th:nth-of-type(4)")
    assert "govuk-table__header--numeric" in amounts["class"]
    assert all("govuk-table__cell--numeric" in row.select("td")[2]["class"]
               for row in premium.select("#invoices tbody tr"))
    invoice_url = premium.select_one("#invoices tbody th a")["href"]
    course = db.session.query(Course).filter_by(slug="developpement-web-flask").one()
    client.post("/cours/developpement-web-flask/quiz", data=wrong_form(quizzes.course_quiz(course.id), 1))
    pages = ["/cours/developpement-web-flask/quiz", "/compte/parametres/consentements", "/compte/mot-de-passe",
             "/forum", invoice_url]
    for url in pages:
        assert assert_govuk_tables(flow.soup(client.get(url))) >= 1, url


def test_every_table_the_templates_write_is_marked_up_as_govuk_tables():
    templates = BASE_DIR / "app" / "templates"
    # A tag, Jinja's {% %} and {{ }} inside it included (a class may be added on a condition).
    part = re.compile(r"<(thead|tbody|table|caption|tr|th|td)(?=[\s>{])((?:\{[{%].*?[}%]\}|[^>])*)>")
    seen = 0
    for path in templates.rglob("*.html"):
        for match in part.finditer(path.read_text(encoding="utf-8")):
            classes = re.search(r'class="((?:\{[{%].*?[}%]\}|[^"])*)"', match.group(2))
            assert classes and re.match(rf"{TABLE_PARTS[match.group(1)]}(?![\w-])", classes.group(1)), \
                f"{path.relative_to(templates)}: {match.group(0)}"
            seen += 1
    assert seen > 100


# --- outcomes: GOV.UK Frontend's notification banner -------------------------------------------------------

SAVED = {"fr": ("Succès", "Votre mot de passe est modifié. Vos autres appareils ont été déconnectés."),
         "en": ("Success", "Your password has been changed. Your other devices have been signed out.")}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_saved_setting_is_a_success_banner_titled_in_the_readers_language_and_read_first(client, signed_in,
                                                                                           lang):
    headers = {"Accept-Language": lang}
    client.get("/")  # "Vous êtes connecté." read
    saved = client.post("/compte/mot-de-passe", data={"current_password": PASSWORD, "password": "une autre phrase"},
                        headers=headers)
    assert saved.status_code == 302
    page = soup_of(client.get(saved.headers["Location"], headers=headers))
    title, message = SAVED[lang]
    [banner] = page.select("main .govuk-notification-banner")
    assert banner["class"] == ["govuk-notification-banner", "govuk-notification-banner--success"]
    assert banner["role"] == "alert" and banner["data-module"] == "govuk-notification-banner"
    assert banner.has_attr("data-focus-on-load") and banner["tabindex"] == "-1"  # static/js/site.js focuses it
    heading = banner.select_one(".govuk-notification-banner__header h2.govuk-notification-banner__title")
    assert text_of(heading) == title and banner["aria-labelledby"] == heading["id"]
    assert text_of(banner.select_one(f"{CONTENT} p.govuk-notification-banner__heading")) == message
    assert text_of(page.title).startswith(message.split(".")[0] + " — ")  # the outcome is in the title too


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_refusal_after_a_redirect_is_a_problem_banner_in_the_error_colour(client, lang):
    reference = flow.start(client)
    flow.details(client, reference)
    flow.payment_step(client, reference)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    refused = flow.validate(client, reference, amount=1)  # an amount that is not the one reviewed
    page = soup_of(client.get(refused.headers["Location"]))
    [banner] = page.select("main .govuk-notification-banner")
    assert banner["class"] == ["govuk-notification-banner", "app-notification-banner--problem"]
    assert banner["role"] == "alert" and banner.has_attr("data-focus-on-load") and banner["tabindex"] == "-1"
    assert text_of(banner.select_one(".govuk-notification-banner__title")) == {
        "fr": "Il y a un problème", "en": "There is a problem"}[lang]
    assert text_of(banner.select_one(CONTENT)).startswith({
        "fr": "Le montant a changé", "en": "The amount has changed"}[lang])
    assert re.search(r"\.app-notification-banner--problem\{border-color:var\(--govuk-error-colour", RULES)


def test_no_template_writes_the_old_notice_boxes_and_no_stylesheet_styles_them():
    templates = BASE_DIR / "app" / "templates"
    # A class "notice" (not "browser-notice", the banner for an unsupported browser) or one of its variants.
    old = re.compile(r"""class="(?:[^"]*\s)?notice[\s"]|(?<![\w-])notice-(?:success|alert|info|error)\b""")
    offenders = [path.relative_to(templates).as_posix() for path in templates.rglob("*.html")
                 if old.search(path.read_text(encoding="utf-8"))]
    assert offenders == []
    site = (BASE_DIR / "static" / "css" / "site.css").read_text(encoding="utf-8")
    assert not re.search(r"\.notice(?![\w-])|\.notice-", site + RULES)


def test_the_jinja_macros_are_the_release_made_for_the_stylesheets_govuk_frontend():
    """The Python macros (govuk-frontend-jinja) write the markup of one GOV.UK Frontend release; the stylesheet and
    script are built from the release package-lock.json pins. The macros' own compatibility table must name it."""
    import json
    from importlib import metadata

    macros = metadata.version("govuk-frontend-jinja")
    table = metadata.metadata("govuk-frontend-jinja").get_payload()  # the README, with its compatibility table
    made_for = re.search(rf"\|\s*\[{re.escape(macros)}\]\([^)]*\)\s*\|\s*\[([0-9.]+)\]", table)
    lock = json.loads((BASE_DIR / "package-lock.json").read_text(encoding="utf-8"))
    built_from = lock["packages"]["node_modules/govuk-frontend"]["version"]
    assert made_for and made_for[1] == built_from, (macros, made_for and made_for[1], built_from)
    assert (BASE_DIR / "static" / "vendor" / f"govuk-frontend-service-navigation-{built_from}.js").is_file()
