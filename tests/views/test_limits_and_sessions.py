"""Limits on what a request may cost (size, rate, mail), the client's address behind a proxy, sessions that end
when they should, the first premium access only on purpose, the first referrer, and security.txt."""

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy.exc import OperationalError
from werkzeug.middleware.proxy_fix import ProxyFix

from app import config as app_config
from app import create_app, jobs
from app.extensions import db, limiter
from app.models import Consent, Course, GuardianApproval, OutboxMessage, Subscription, UserSession
from app.models.catalog import ChapterKind
from app.services.common import clock
from tests import checkout_flow as flow
from tests.conftest import PASSWORD, date_fields, make_user, text_of

SEVENTEEN = "2009-05-01"
SLUG = "developpement-web-flask"


@pytest.fixture
def limit(app):
    """Set a rate limit for one test, and the test value back afterwards (the limiter forgets its counts)."""
    changed = {}

    def set_limit(name: str, value):
        changed.setdefault(name, app.config[name])
        app.config[name] = value
        limiter.reset()

    yield set_limit
    app.config.update(changed)
    limiter.reset()


# --- Request size ------------------------------------------------------------------------------------------


class CountingStream(io.RawIOBase):
    """A request body of `size` bytes, produced only as it is read: the test sees how much the server read."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size, self.position, self.read_bytes = size, 0, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        self.position = {0: offset, 1: self.position + offset, 2: self.size + offset}[whence]
        return self.position

    def tell(self) -> int:
        return self.position

    def readinto(self, buffer) -> int:
        n = max(min(len(buffer), self.size - self.position), 0)
        buffer[:n] = b"a" * n
        self.position += n
        self.read_bytes += n
        return n


def test_a_200_mb_anonymous_post_is_refused_with_413_before_it_is_read(client):
    body = CountingStream(200 * 1024 * 1024)
    response = client.post("/connexion", input_stream=body, content_type="application/x-www-form-urlencoded",
                           headers={"Accept-Language": "fr"})
    assert response.status_code == 413
    soup = flow.soup(response)
    assert text_of(soup.h1) == "Envoi trop volumineux"
    assert "rien n'a été enregistré" in text_of(soup.select_one("main"))
    assert body.read_bytes == 0


def test_an_oversized_upload_is_refused_with_a_translated_page(app, client):
    oversized = b"%PDF-1.4\n" + b"0" * app.config["MAX_CONTENT_LENGTH"]
    response = client.post("/contact", data={"name": "Ana", "email": "ana@example.org", "file": (
        io.BytesIO(oversized), "grand.pdf")}, headers={"Accept-Language": "en"})
    assert response.status_code == 413
    assert text_of(flow.soup(response).h1) == "Request too large"
    assert db.session.query(OutboxMessage).count() == 0


def test_a_form_without_files_is_refused_above_its_own_smaller_limit(app, client):
    assert app.config["MAX_FORM_MEMORY_SIZE"] < app.config["MAX_CONTENT_LENGTH"]
    message = "x" * (app.config["MAX_FORM_MEMORY_SIZE"] + 1)
    response = client.post("/contact", data={"name": "Ana", "email": "ana@example.org", "message": message})
    assert response.status_code == 413
    assert text_of(flow.soup(response).h1) == "Envoi trop volumineux"


def test_the_size_limit_leaves_room_for_the_largest_upload(app):
    from app.services.exits.force_majeure import MAX_DOCUMENT_BYTES

    assert app.config["MAX_CONTENT_LENGTH"] > max(app.config["ASSIGNMENT_MAX_BYTES"], MAX_DOCUMENT_BYTES) + 1024 * 1024


# --- Behind a proxy ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def proxied_app(app):
    config = app_config.TestConfig(app.config["SQLALCHEMY_DATABASE_URI"])
    config.TRUSTED_PROXIES = 1
    config.MAIL_OUTBOX_DIR = app.config["MAIL_OUTBOX_DIR"]
    proxied = create_app(config)
    proxied.test_client_class = app.test_client_class
    jobs.init_app(app)  # the job queue stays the main application's (the proxied one runs its jobs in its context)
    return proxied


def through_proxy(application, client_address: str):
    """A browser at `client_address` behind the TLS proxy at 10.0.0.2, which adds X-Forwarded-For."""
    browser = application.test_client()
    browser.environ_base.update({"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": client_address})
    return browser


def test_proxy_fix_is_on_only_with_trusted_proxies(app, proxied_app):
    assert not isinstance(app.wsgi_app, ProxyFix)
    assert isinstance(proxied_app.wsgi_app, ProxyFix)


def test_behind_a_trusted_proxy_a_consent_records_the_client_address(proxied_app):
    learner = through_proxy(proxied_app, "203.0.113.7")
    reference = flow.start(learner)
    flow.details(learner, reference)
    flow.payment_step(learner, reference)
    addresses = {consent.ip_address for consent in db.session.query(Consent)}
    assert addresses == {"203.0.113.7"}


def test_without_a_trusted_proxy_a_forwarded_address_is_ignored(app):
    learner = through_proxy(app, "203.0.113.7")
    reference = flow.start(learner)
    flow.details(learner, reference)
    flow.payment_step(learner, reference)
    assert {consent.ip_address for consent in db.session.query(Consent)} == {"10.0.0.2"}


def _wrong_sign_ins(browser, email: str, times: int) -> list[int]:
    return [browser.post("/connexion", data={"email": email, "password": "mauvais"}).status_code
            for _ in range(times)]


def test_behind_a_trusted_proxy_the_sign_in_limit_is_per_client_not_for_everyone(proxied_app, limit, user):
    limit("SIGNIN_RATE_LIMIT", "3 per minute")
    proxied_app.config["SIGNIN_RATE_LIMIT"] = "3 per minute"
    try:
        attacker, learner = through_proxy(proxied_app, "203.0.113.7"), through_proxy(proxied_app, "198.51.100.9")
        assert _wrong_sign_ins(attacker, user.email, 4) == [200, 200, 200, 429]
        assert learner.post("/connexion", data={"email": user.email, "password": PASSWORD}).status_code == 302
    finally:
        proxied_app.config["SIGNIN_RATE_LIMIT"] = "1000 per minute"


def test_without_a_trusted_proxy_a_forged_forwarded_address_does_not_escape_the_limit(app, limit, user):
    limit("SIGNIN_RATE_LIMIT", "3 per minute")
    attacker = through_proxy(app, "203.0.113.7")
    assert _wrong_sign_ins(attacker, user.email, 3) == [200, 200, 200]
    attacker.environ_base["HTTP_X_FORWARDED_FOR"] = "198.51.100.9"  # a new address each time: still counted
    assert attacker.post("/connexion", data={"email": user.email, "password": PASSWORD}).status_code == 429


# --- Guardian requests and other forms that send mail ------------------------------------------------------


@pytest.fixture
def today():
    clock.freeze(datetime(2026, 11, 26, 10, 0, tzinfo=clock.PARIS))


def seventeen_year_old(application, email: str = "ana.lopez@example.org"):
    learner = application.test_client()
    assert flow.enter(learner, email=email, date_of_birth=SEVENTEEN).headers["Location"] == "/accord-representant/solo"
    return learner


def ask(learner, guardian_email: str, name: str = "Marie Lopez"):
    return learner.post("/accord-representant/solo", data={"guardian_name": name, "guardian_email": guardian_email,
                                                           "relationship": "parent"})


def guardian_mail_count() -> int:
    return db.session.query(OutboxMessage).filter(OutboxMessage.recipient.like("%@parents.example")).count()


def test_the_guardian_request_is_refused_to_a_learner_whose_checkout_does_not_need_it(client, signed_in, today):
    response = ask(client, "victime@parents.example")
    assert response.status_code == 302 and response.headers["Location"] == "/commande/solo"
    assert client.get("/accord-representant/solo").headers["Location"] == "/commande/solo"
    assert guardian_mail_count() == 0 and db.session.query(GuardianApproval).count() == 0


def test_the_guardian_request_is_limited_per_learner_and_the_limit_lifts_after_a_day(app, limit, today):
    limit("GUARDIAN_REQUESTS_PER_LEARNER_PER_DAY", 3)
    learner = seventeen_year_old(app)
    for number in range(3):
        assert ask(learner, f"parent{number}@parents.example").status_code == 302
    refused = flow.soup(ask(learner, "parent9@parents.example"))
    assert "Trop de demandes" in text_of(refused.select_one("#error-summary"))
    assert guardian_mail_count() == 3
    clock.advance(timedelta(days=1, minutes=1))
    assert ask(learner, "parent9@parents.example").status_code == 302
    assert guardian_mail_count() == 4


def test_the_guardian_request_is_limited_per_guardian_address_whoever_asks(app, limit, today):
    limit("GUARDIAN_REQUESTS_PER_ADDRESS_PER_DAY", 2)
    for number in range(2):
        assert ask(seventeen_year_old(app, f"eleve{number}@example.org"), "cible@parents.example").status_code == 302
    third = seventeen_year_old(app, "eleve9@example.org")
    assert "Trop de demandes" in text_of(flow.soup(ask(third, "cible@parents.example")).select_one("#error-summary"))
    assert guardian_mail_count() == 2
    assert ask(third, "autre@parents.example").status_code == 302  # another address is still reachable


def test_the_requester_text_never_reaches_the_guardian_mail_subject(app, today):
    learner = seventeen_year_old(app)
    ask(learner, "parent@parents.example", name="Gagnez 1000 euros sur promo.example")
    message = db.session.query(OutboxMessage).filter_by(recipient="parent@parents.example").one()
    assert message.subject == "Demande d'accord pour un abonnement à la plateforme de formation"
    assert "Ana" not in message.subject and "promo.example" not in message.subject
    assert "Gagnez 1000 euros sur promo.example" in message.body_text  # the greeting, in the body only


def test_forms_that_send_mail_share_a_rate_limit(client, limit, user):
    limit("MAIL_FORM_RATE_LIMIT", "2 per minute")
    codes = [client.post("/mot-de-passe-oublie", data={"email": user.email}).status_code for _ in range(2)]
    blocked = client.post("/contact", data={"name": "Ana", "email": user.email, "question": "other",
                                            "message": "Bonjour"}, headers={"Accept-Language": "fr"})
    assert codes == [200, 200] and blocked.status_code == 429
    assert text_of(flow.soup(blocked).h1) == "Trop de tentatives"
    assert db.session.query(OutboxMessage).filter_by(recipient=user.email).count() == 2


def test_sign_up_and_the_checkout_account_creation_are_rate_limited(client, limit, user):
    limit("SIGNUP_RATE_LIMIT", "2 per minute")
    form = {"first_name": "Eve", "last_name": "Durand", "password": PASSWORD, "country": "FR",
            "legal_protection": "no", **date_fields("date_of_birth", "2001-03-27")}
    codes = [client.post("/inscription", data={**form, "email": f"eve{n}@example.org"}).status_code for n in range(3)]
    assert codes == [302, 302, 429]
    limiter.reset()
    at_checkout = [client.post("/commande/solo", data={**flow.VISITOR, "email": f"ana{n}@example.org"}).status_code
                   for n in range(3)]
    assert at_checkout[2] == 429  # the checkout creates accounts too


# --- Sessions ----------------------------------------------------------------------------------------------


@pytest.fixture
def real_session_limits(app, monkeypatch):
    clock.freeze(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    monkeypatch.setitem(app.config, "PERMANENT_SESSION_LIFETIME", timedelta(days=14))
    monkeypatch.setitem(app.config, "SESSION_IDLE_TIMEOUT_SECONDS", 3600)


def sign_in(client, user, remember: bool):
    data = {"email": user.email, "password": PASSWORD, **({"remember": "y"} if remember else {})}
    response = client.post("/connexion", data=data)
    assert response.status_code == 302
    return response.headers["Set-Cookie"]


def is_signed_in(client) -> bool:
    return client.get("/compte/mot-de-passe").status_code == 200


def test_without_stay_signed_in_the_session_ends_with_the_browser_and_after_an_idle_hour(
        client, user, real_session_limits):
    cookie = sign_in(client, user, remember=False)
    assert "Expires=" not in cookie and "Max-Age" not in cookie  # a browser-session cookie
    clock.advance(timedelta(minutes=50))
    assert is_signed_in(client)  # activity: the idle time starts again
    clock.advance(timedelta(minutes=50))
    assert is_signed_in(client)
    clock.advance(timedelta(minutes=61))
    assert not is_signed_in(client)
    assert db.session.query(UserSession).filter_by(user_id=user.id).count() == 0


def test_stay_signed_in_keeps_the_session_for_its_lifetime_then_ends_it(client, user, real_session_limits):
    cookie = sign_in(client, user, remember=True)
    expires = re.search(r"Expires=([^;]+)", cookie)[1]
    lifetime_left = datetime.strptime(expires, "%a, %d %b %Y %H:%M:%S GMT").replace(tzinfo=UTC) - datetime.now(UTC)
    assert timedelta(days=13, hours=23) < lifetime_left <= timedelta(days=14)
    assert "remember_token" not in cookie
    clock.advance(timedelta(days=13, hours=23))  # away far longer than the idle time
    assert is_signed_in(client)
    clock.advance(timedelta(hours=2))  # 14 days after the sign-in, whatever the activity
    assert not is_signed_in(client)


def test_a_stay_signed_in_cookie_is_not_signed_and_sent_again_on_every_page(client, user, real_session_limits):
    """Its lifetime is counted from the sign-in by the server: sending it again would extend nothing."""
    sign_in(client, user, remember=True)
    client.get("/compte/mot-de-passe")  # may add the forms' token to the session: then it is sent, once
    again = client.get("/compte/mot-de-passe")
    assert again.status_code == 200 and "Set-Cookie" not in again.headers


def test_a_new_secret_key_signs_out_every_cookie_unless_the_former_key_is_kept_as_a_fallback(
        app, client, user, monkeypatch):
    """The cookie's signing serializer is made once per key (app.cookie_session): a new key must still be used."""
    sign_in(client, user, remember=False)
    assert is_signed_in(client)
    former = app.secret_key
    monkeypatch.setattr(app, "secret_key", "une toute nouvelle clé secrète du portail")
    monkeypatch.setitem(app.config, "SECRET_KEY_FALLBACKS", [former])
    assert is_signed_in(client), "signed with the former key, kept as a fallback"
    monkeypatch.setitem(app.config, "SECRET_KEY_FALLBACKS", [])
    assert not is_signed_in(client), "signed with a key no longer accepted"


def test_a_page_opened_while_another_notes_the_same_sessions_activity_still_opens(
        client, user, real_session_limits, monkeypatch):
    """Two pages of one session at once, after five quiet minutes: both note the activity; SQLite refuses the
    second write (its read began before the first one's commit). That page must open all the same."""
    sign_in(client, user, remember=False)
    clock.advance(timedelta(minutes=6))
    commit = db.session.commit
    refused = []

    def refuse_once():
        if not refused:
            refused.append(True)
            raise OperationalError("UPDATE user_session", {}, Exception("database is locked"))
        commit()

    monkeypatch.setattr(db.session, "commit", refuse_once)
    response = client.get("/compte/mot-de-passe")
    assert refused and response.status_code == 200
    page = BeautifulSoup(response.data, "html.parser")
    assert text_of(page.h1) == "Mes paramètres" and page.select_one("input[name=current_password]")


def test_the_sign_in_page_says_what_stay_signed_in_does(page):
    hint = text_of(page("/connexion").select_one("#remember-hint"))
    assert "fermeture du navigateur" in hint and "jours" in hint


# --- First premium access ----------------------------------------------------------------------------------


@pytest.fixture
def text_chapter():
    course = db.session.query(Course).filter_by(slug=SLUG).one()
    chapter = next(c for c in course.chapters if c.kind == ChapterKind.TEXT)
    chapter.body_fr = chapter.body_en = "Une route associe une URL à une fonction."
    db.session.commit()
    return f"/cours/{SLUG}/chapitres/{chapter.position}"


def first_access():
    return db.session.query(Subscription).one().first_premium_access_at


@pytest.mark.clause("CGS-6.1-01")
def test_a_link_on_another_site_never_ends_the_withdrawal_right_without_the_learner_opening_the_chapter(
        client, text_chapter):
    flow.buy_solo(client)
    page = flow.soup(client.get(text_chapter, headers={"Sec-Fetch-Site": "cross-site"}))
    assert text_of(page.h1) == "Ouvrir ce contenu Premium ?"
    assert "met fin à votre droit de rétractation" in text_of(page.select_one("main"))
    assert not page.select_one("article")
    assert first_access() is None
    form = page.select_one("main form[method=post]")
    assert text_of(form.button) == "Ouvrir le chapitre"
    fields = {field["name"]: field.get("value", "") for field in form.select("input[name]")}
    opened = client.post(form["action"], data=fields)
    assert opened.headers["Location"] == text_chapter
    assert first_access() is not None
    assert "Une route" in text_of(flow.soup(client.get(text_chapter)).select_one("article"))  # now asked no more


@pytest.mark.parametrize("headers, asks", [
    ({"Sec-Fetch-Site": "same-origin"}, False),
    ({"Sec-Fetch-Site": "none"}, False),  # a typed address or a bookmark
    ({"Sec-Fetch-Site": "cross-site"}, True),
    ({"Referer": "http://localhost/cours"}, False),  # a browser without Fetch Metadata, from this site
    ({"Referer": "https://evil.example/cours"}, True),
    ({}, True),  # nothing says where it comes from: ask
])
def test_the_first_premium_access_is_recorded_only_from_the_portal_itself(client, text_chapter, headers, asks):
    flow.buy_solo(client)
    del client.environ_base["HTTP_SEC_FETCH_SITE"]  # the test client's own default: only `headers` count here
    page = flow.soup(client.get(text_chapter, headers=headers))
    assert (text_of(page.h1) == "Ouvrir ce contenu Premium ?") is asks
    assert (first_access() is None) is asks


@pytest.mark.clause("CGS-6.1-01")
def test_a_link_on_another_site_to_a_quiz_asks_too_and_opens_it_on_purpose(client):
    quiz_url = f"/cours/{SLUG}/quiz?essai=1"
    flow.buy_solo(client)
    page = flow.soup(client.get(quiz_url, headers={"Sec-Fetch-Site": "cross-site"}))
    form = page.select_one("main form[method=post]")
    assert text_of(form.button) == "Ouvrir le quiz" and first_access() is None
    opened = client.post(form["action"], data={f["name"]: f.get("value", "") for f in form.select("input[name]")})
    assert opened.headers["Location"] == quiz_url and first_access() is not None
    assert text_of(flow.soup(client.get(quiz_url, headers={"Sec-Fetch-Site": "cross-site"})).h1).startswith("Quiz")


def test_the_open_button_only_returns_to_this_site(client):
    flow.buy_solo(client)
    opened = client.post("/acces-premium/ouvrir", data={"next": "https://evil.example/"})
    assert opened.headers["Location"] == "/"


# --- Referral link -----------------------------------------------------------------------------------------


def test_a_referral_link_never_replaces_the_first_referrer(client):
    first, second = make_user("marraine@example.org"), make_user("parrain@example.org")
    client.get(f"/parrainage/{first.referral_code}")
    replaced = client.get(f"/parrainage/{second.referral_code}")
    assert "parrain=" not in replaced.headers.get("Set-Cookie", "")
    assert client.get_cookie("parrain").value == first.referral_code


# --- security.txt ------------------------------------------------------------------------------------------


def test_security_txt_says_whom_to_tell_until_when_and_links_the_policy(client, page, app):
    clock.freeze(datetime(2026, 12, 4, 22, 30, tzinfo=UTC))
    response = client.get("/.well-known/security.txt")
    assert response.mimetype == "text/plain"
    fields = dict(line.split(": ", 1) for line in response.get_data(as_text=True).splitlines())
    assert fields["Contact"] == f"mailto:{app.config['SECURITY_CONTACT_EMAIL']}"
    assert fields["Expires"] == "2027-12-04T00:00:00Z"
    assert fields["Preferred-Languages"] == "fr, en"
    base = app.config["PUBLIC_BASE_URL"]
    assert fields["Canonical"] == f"{base}/.well-known/security.txt"
    assert fields["Policy"] == f"{base}/securite"
    policy = page("/securite")
    assert text_of(policy.h1) == "Signaler une faille de sécurité"
    assert policy.select_one(f"main a[href='mailto:{app.config['SECURITY_CONTACT_EMAIL']}']")
    assert text_of(page("/securite", lang="en").h1) == "Report a security flaw"
