"""Fixtures: the app on a migrated database, a rolled-back transaction per test, a client that checks
every page it gets, parsed pages, sign-in helpers."""

import logging
import os
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher, profiles
from bs4 import BeautifulSoup
from flask import current_app
from flask.testing import FlaskClient
from sqlalchemy import create_engine, event, make_url, text
from sqlalchemy.orm import Session

from app import create_app, jobs
from app.config import TestConfig
from app.extensions import db
from app.services import demo
from app.services.accounts import users
from app.services.common import clock, pdf
from tests.factories import PASSWORD, make_user
from tests.rendered_once import RenderedOnce


def pytest_configure(config):
    config.addinivalue_line("markers", "clause(id): the clause of the service terms that the test proves")


def make_database(app) -> None:
    """A fresh schema built by the migrations (never create_all), then the demo catalogue."""
    from flask_migrate import upgrade

    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
        demo.load_catalogue()
        db.session.commit()
        jobs.enqueue_committed_jobs()  # the terms' PDFs, rendered at once (JOB_QUEUE_IMMEDIATE)


def database_of_this_worker(url: str) -> str:
    """`url`, or under pytest-xdist a database of this worker's own beside it on the same PostgreSQL server (made
    when missing): the workers would otherwise drop each other's schema. A SQLite file is already per worker."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker or not url.startswith("postgresql"):
        return url
    given = make_url(url)
    name = f"{given.database}_{worker}"
    engine = create_engine(given, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            if connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}) is None:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return given.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def app():
    folder = Path(tempfile.mkdtemp(prefix="portal-tests-"))
    os.environ.setdefault("INSTANCE_PATH", str(folder / "instance"))
    url = database_of_this_worker(os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{folder / 'tests.sqlite3'}")
    config = TestConfig(url)
    config.MAIL_OUTBOX_DIR = str(folder / "outbox")
    application = create_app(config)
    application.test_client_class = CheckedClient
    make_database(application)  # on SQLite, the app's engine already lets SQLAlchemy emit BEGIN and SAVEPOINT
    return application


class BoundSession(Session):
    def __init__(self, db=None, **options):
        super().__init__(**options)


@pytest.fixture(autouse=True)
def _isolated(app):
    """Each test runs in a transaction that is rolled back; commits inside it become savepoints."""
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        # A plain Session: Flask-SQLAlchemy's own picks the engine and would ignore the bound connection.
        db.session = db._make_scoped_session(
            {"bind": connection, "join_transaction_mode": "create_savepoint", "class_": BoundSession})
        try:
            yield
        finally:
            db.session.remove()
            db.session = original
            outer.rollback()
            connection.close()
            clock.reset()


class CheckedClient(FlaskClient):
    """Fails a test on any HTML page without a <title>, without lang, with duplicate ids, an attribute written twice
    on one element (a browser keeps the first: a second class is lost) or an action-less form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Like a current browser following the portal's own links (Fetch Metadata); a test of a link from
        # another site sends its own Sec-Fetch-Site, or removes this one.
        self.environ_base["HTTP_SEC_FETCH_SITE"] = "same-origin"

    def open(self, *args, **kwargs):
        # A fresh app context per request, as in production (`g`, the locale and the session are per request).
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        # What the test holds may have changed in the request: read it again on next access.
        db.session.expire_all()
        if response.mimetype == "text/html" and response.status_code != 302 and not response.content_encoding:
            check_page(BeautifulSoup(response.get_data(as_text=True), "html.parser",
                                     on_duplicate_attribute=_attribute_written_twice),
                       fragment=bool(kwargs.get("headers", {}).get("HX-Request")))
        return response


def _attribute_written_twice(attributes: dict, name: str, value: str) -> None:
    raise AssertionError(f"attribute {name}={value!r} written twice on one element (first: {attributes[name]!r})")


def check_page(soup: BeautifulSoup, fragment: bool = False) -> None:
    ids = [tag["id"] for tag in soup.find_all(id=True)]
    duplicates = {value for value in ids if ids.count(value) > 1}
    assert not duplicates, f"duplicate ids: {duplicates}"
    for form in soup.find_all("form"):
        assert form.get("action"), f"form without action: {form.get('class')}"
    if fragment:
        return
    assert soup.title and soup.title.get_text(strip=True), "page without <title>"
    assert soup.html.get("lang") in {"fr", "en"}, "page without lang"
    assert len(soup.find_all("h1")) == 1, "a page has exactly one h1"


def soup_of(response) -> BeautifulSoup:
    """A response's HTML, parsed."""
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def date_fields(name: str, iso: str) -> dict[str, str]:
    """A date as a form's three boxes post it: date_fields("date_of_birth", "2001-03-27") gives date_of_birth-day
    "27", -month "3" and -year "2001"; an empty date leaves the three boxes empty."""
    year, month, day = iso.split("-") if iso else ("", "", "")
    return {f"{name}-day": day.lstrip("0"), f"{name}-month": month.lstrip("0"), f"{name}-year": year}


def signed_in_client(app, user) -> FlaskClient:
    """A client of its own, signed in as `user` (whose password is PASSWORD)."""
    client = app.test_client()
    response = client.post("/connexion", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client


@pytest.fixture
def statements(app):
    """The SQL statements run from here to the end of the test, transaction control left out: what "a page
    takes N queries" counts."""
    seen: list[str] = []

    def record(conn, cursor, statement, *args):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN")):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    yield seen
    event.remove(db.engine, "before_cursor_execute", record)


def writes(statements: list[str]) -> list[str]:
    return [statement for statement in statements
            if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


@pytest.fixture(scope="session", autouse=True)
def _cheapest_password_hashes():
    """Passwords hashed with argon2id's cheapest parameters (argon2-cffi's profile for tests): with production's, a
    hash or a check costs about a tenth of a second, and the suite signs up and signs in thousands of times. Yields
    production's hasher, for the test of its parameters."""
    production = users._hasher
    cheapest = PasswordHasher.from_parameters(profiles.CHEAPEST)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(users, "_hasher", cheapest)
        patch.setattr(users, "_DUMMY_HASH", cheapest.hash("not a real password, only for timing"))
        yield production


@pytest.fixture(scope="session", autouse=True)
def _each_document_rendered_once():
    """The same HTML is rendered into a PDF once per test process (tests/rendered_once.py)."""
    rendered_once = RenderedOnce(pdf.render_pdf)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdf, "render_pdf", rendered_once)
        yield rendered_once


@pytest.fixture
def weasyprint_errors(caplog, _each_document_rendered_once):
    """Fails the test on any ERROR that WeasyPrint logs while it renders a PDF (each PDF rendered afresh)."""
    caplog.set_level(logging.WARNING, logger="weasyprint")
    _each_document_rendered_once.fresh = True
    try:
        yield caplog
    finally:
        _each_document_rendered_once.fresh = False
    errors = [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint") and r.levelno >= 40]
    assert not errors, errors


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def page(client):
    """GET a URL and return it parsed; `lang` sets the reader's language."""

    def get(url: str, lang: str = "fr", status: int = 200, **kwargs) -> BeautifulSoup:
        headers = {"Accept-Language": lang, **kwargs.pop("headers", {})}
        response = client.get(url, headers=headers, **kwargs)
        assert response.status_code == status, response.get_data(as_text=True)[:2000]
        return BeautifulSoup(response.get_data(as_text=True), "html.parser")

    return get


@pytest.fixture
def user(app):
    return make_user()


@pytest.fixture
def signed_in(client, user):
    response = client.post("/connexion", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return user


def past_the_sweep_delay() -> None:
    """The clock moved on by SWEEP_AFTER_SECONDS: what was made until now is the periodic sweeps' to catch, its own
    job having had its time."""
    clock.freeze(clock.now() + timedelta(seconds=current_app.config["SWEEP_AFTER_SECONDS"]))


def text_of(node) -> str:
    """Visible text with whitespace folded (and the PDF / locale no-break spaces made plain)."""
    return " ".join(node.get_text(" ").replace("\u00a0", " ").replace("\u202f", " ").split())
