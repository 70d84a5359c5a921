"""Browser tests: a live server on its own committed database, one headless Chromium, a fresh context per test.

The server runs with CSRF protection ON, as in production: the real forms post their tokens and HTMX sends the
token header from `<body hx-headers>`. Chromium is Debian's; without it the tests are skipped, unless CI is set.
"""

import os
import shutil
import threading
import weakref
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from app import create_app
from app.config import TestConfig
from app.extensions import db
from app.services.common import clock
from tests.browser.catalogue import Catalogue
from tests.conftest import database_of_this_worker, make_database

HERE = Path(__file__).resolve().parent
CHROMIUM_CANDIDATES = ("/usr/lib/chromium/chromium", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
LOCALES = {"fr": "fr-FR", "en": "en-GB"}
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}
# A JavaScript-disabled page -> a function opening the same kind of page with JavaScript on but the site's
# own scripts blocked, where axe can run (see axe_check).
_SCRIPTLESS_TWINS = weakref.WeakKeyDictionary()
# The live server's base URL -> its Flask app (see live_app).
_LIVE_APPS = {}


def pytest_collection_modifyitems(items):
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def _isolated():
    """Replaces the rolled-back transaction of tests/conftest.py: the live server needs committed data."""
    yield


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The portal served by werkzeug in a daemon thread, on a database of its own; yields the base URL."""
    folder = tmp_path_factory.mktemp("browser")
    url = database_of_this_worker(os.environ.get("TEST_BROWSER_DATABASE_URL")
                                  or f"sqlite:///{folder / 'browser.sqlite3'}")
    with pytest.MonkeyPatch.context() as patch:  # the secret key file goes to the temporary folder
        patch.setenv("INSTANCE_PATH", str(folder / "instance"))
        config = TestConfig(url)
    config.MAIL_OUTBOX_DIR = str(folder / "outbox")
    app = create_app(config)
    app.config["WTF_CSRF_ENABLED"] = True
    make_database(app)  # for PostgreSQL, drops and recreates the public schema first
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{server.server_port}"
    # The simulated provider's return URL and the links in emails are absolute, built from PUBLIC_BASE_URL.
    app.config["PUBLIC_BASE_URL"] = base_url
    _LIVE_APPS[base_url] = app
    try:
        yield base_url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def live_app(live_server):
    """The Flask app the live server runs (its config: MAIL_OUTBOX_DIR; app_context() to read its database)."""
    return _LIVE_APPS[live_server]


def find_chromium() -> str | None:
    for candidate in CHROMIUM_CANDIDATES:
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def browser():
    executable = find_chromium()
    if executable is None:
        message = "Chromium not found: apt-get install chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def open_page(browser, live_server):
    """open_page(lang, javascript=True): a page in a fresh browser context, closed after the test.

    With block_scripts=True, JavaScript is on but the site's scripts (htmx, site.js) are never loaded: the
    page is what a browser without JavaScript shows, and axe can still run in it.
    """
    contexts = []
    console_errors: list[str] = []

    def open_(lang: str = "fr", javascript: bool = True, block_scripts: bool = False):
        context = browser.new_context(
            base_url=live_server, locale=LOCALES[lang], extra_http_headers={"Accept-Language": lang},
            java_script_enabled=javascript)
        context.set_default_timeout(10_000)
        contexts.append(context)
        if block_scripts:
            context.route("**/*", lambda route: route.abort() if route.request.resource_type == "script"
                          else route.continue_())
        page = context.new_page()
        if not block_scripts:  # a blocked script is an error on purpose there
            # A CSP violation (inline script or style, eval) or a script error shows up here.
            page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
            page.on("pageerror", lambda error: console_errors.append(str(error)))
        if not javascript:
            _SCRIPTLESS_TWINS[page] = lambda: open_(lang, block_scripts=True)
        return page

    yield open_
    for context in contexts:
        context.close()
    assert not console_errors, f"errors in the browser console: {console_errors}"


@pytest.fixture
def lang():
    """The reader's language; tests run in both with @pytest.mark.parametrize("lang", ["fr", "en"])."""
    return "fr"


@pytest.fixture
def page(open_page, lang):
    return open_page(lang)


@pytest.fixture
def page_fr(open_page):
    return open_page("fr")


@pytest.fixture
def page_en(open_page):
    return open_page("en")


@pytest.fixture
def page_nojs(open_page, lang):
    return open_page(lang, javascript=False)


@pytest.fixture
def frozen_clock():
    """The live server's clock (same process) stopped now; started again after the test whatever happens."""
    clock.freeze(clock.now())
    try:
        yield clock.now()
    finally:
        clock.reset()


@pytest.fixture
def frozen_now(frozen_clock):
    """The same stopped clock, under the name the Premium tab and payment recovery tests use."""
    return frozen_clock


@pytest.fixture
def say(live_app, lang) -> Catalogue:
    """The live server's own rendering of a msgid, a date or an amount for the reader of `lang`."""
    return Catalogue(live_app, lang)


def axe_check(page) -> None:
    """No WCAG 2.0/2.1/2.2 A and AA violation on the page as it is now.

    axe runs inside the page and needs JavaScript (its promises wait on timers): on a page opened with
    java_script_enabled=False it would wait forever. Such a page is checked at the same URL in a context
    where JavaScript is on but the site's scripts are blocked, which gives the same document (the templates
    have no <noscript>).
    """
    twin = _SCRIPTLESS_TWINS.get(page)
    if twin is not None:
        url = page.url
        page = twin()
        page.goto(url)
    results = Axe().run(page, options=AXE_OPTIONS)
    violations = results.response["violations"]
    report = []
    for violation in violations:
        report.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            report.append(f"    {', '.join(str(target) for target in node['target'])}")
    assert not violations, f"axe: {len(violations)} violation(s) on {page.url}\n" + "\n".join(report)
