"""Sign-up, sign-in, sign-out, password reset and change, as a person does them in the browser without JS."""

import email
from pathlib import Path

import pytest

from app.extensions import db, limiter
from app.models import OutboxMessage, User, UserSession
from tests.banners import SUCCESS_MESSAGE
from tests.conftest import PASSWORD, date_fields, make_user, soup_of, text_of

SIGNUP = {
    "first_name": "Camille", "last_name": "Durand", "email": "camille@example.org", "password": PASSWORD,
    **date_fields("date_of_birth", "2001-03-27"), "country": "FR", "legal_protection": "no",
}


@pytest.mark.clause("CGS-1-03")
def test_sign_up_asks_birth_date_country_and_legal_protection(page):
    soup = page("/inscription")
    # The date of birth as three boxes in a named group (no browser date picker): day, month, year.
    group = soup.select_one("fieldset#date_of_birth[role=group]")
    assert text_of(group.legend) == "Date de naissance"
    assert "date_of_birth-hint" in group["aria-describedby"].split()
    assert [(text_of(soup.select_one(f"label[for={box['id']}]")), box["inputmode"], box["autocomplete"])
            for box in group.select("input")] == [("Jour", "numeric", "bday-day"), ("Mois", "numeric", "bday-month"),
                                                   ("Année", "numeric", "bday-year")]
    assert soup.select_one("select#country option[value=FR]")
    legend = text_of(soup.select_one("fieldset#legal_protection legend"))
    assert "mesure de protection juridique (sauvegarde de justice, tutelle, curatelle)" in legend
    assert {radio["value"] for radio in soup.select("fieldset#legal_protection input[type=radio]")} == {"yes", "no"}


@pytest.mark.parametrize("path", ["/inscription", "/commande/solo"])
def test_radios_are_never_natively_required_and_the_country_select_says_it_is_required(client, path):
    """A native `required` on radios makes screen readers announce each option invalid before anything is chosen;
    the required select says so with aria-required (no native `required`: the server's messages are the errors)."""
    blank = soup_of(client.get(path))
    refused = soup_of(client.post(path, data={**SIGNUP, "legal_protection": "", "country": ""}))
    for soup in (blank, refused):
        radios = soup.select("fieldset#legal_protection input[type=radio]")
        assert len(radios) == 2 and not any(radio.has_attr("required") for radio in radios)
        country = soup.select_one("select#country")
        assert country["aria-required"] == "true" and not country.has_attr("required")
    assert all(radio["aria-invalid"] == "true" for radio in refused.select("fieldset#legal_protection input"))
    assert refused.select_one("select#country")["aria-invalid"] == "true"


@pytest.mark.clause("CGS-1-03")
def test_sign_up_stores_what_decides_who_may_subscribe_alone(client):
    response = client.post("/inscription", data={**SIGNUP, "legal_protection": "yes", "country": "BE"})
    assert response.status_code == 302
    user = db.session.query(User).filter_by(email="camille@example.org").one()
    assert (user.date_of_birth.isoformat(), user.country, user.under_legal_protection) == ("2001-03-27", "BE", True)


def test_sign_up_creates_the_account_mails_the_address_and_the_learner_signs_in(client):
    response = client.post("/inscription", data=SIGNUP, follow_redirects=True)
    soup = soup_of(response)
    assert text_of(soup.h1) == "Vérifiez votre messagerie"
    assert "camille@example.org" in text_of(soup.select_one("main"))
    welcome = db.session.query(OutboxMessage).filter_by(recipient="camille@example.org").one()
    assert welcome.subject == "Votre compte est créé"
    assert "http://127.0.0.1:5000/connexion" in welcome.body_text and PASSWORD not in welcome.body_text
    signed_in = client.post(soup.select_one("main a.govuk-button")["href"],
                            data={"email": "camille@example.org", "password": PASSWORD}, follow_redirects=True)
    assert soup_of(signed_in).select_one("form[action='/deconnexion']")


def test_failed_sign_up_shows_errors_next_to_fields_and_keeps_the_input(client):
    response = client.post("/inscription", data={**SIGNUP, "email": "pas-une-adresse", "password": "court",
                                                 "legal_protection": ""}, headers={"Accept-Language": "fr"})
    assert response.status_code == 200
    soup = soup_of(response)
    assert soup.title.get_text().startswith("Erreur : ")
    summary = soup.select_one("#error-summary")
    assert summary.select_one(":scope > [role=alert]") is not None  # GOV.UK: the focused block holds the alert
    targets = {a["href"] for a in summary.select("a")}
    assert targets == {"#email", "#password", "#legal_protection-0"}
    email_input = soup.select_one("#email")
    assert email_input["aria-invalid"] == "true"
    assert "email-error" in email_input["aria-describedby"].split()
    assert "Indiquez une adresse email valide" in text_of(soup.select_one("#email-error"))
    assert "password-hint" in soup.select_one("#password")["aria-describedby"].split()
    assert soup.select_one("#first_name")["value"] == "Camille"
    assert soup.select_one("#country option[selected]")["value"] == "FR"
    assert [box["value"] for box in soup.select("fieldset#date_of_birth input")] == ["27", "3", "2001"]
    assert soup.select_one("#password").get("value") in (None, "")  # never echoed back


@pytest.mark.parametrize("day, month, year, message", [
    ("", "3", "2001", "Indiquez le jour, le mois et l'année, par exemple 27 3 2001."),
    ("27", "mars", "2001", "Indiquez le jour, le mois et l'année en chiffres, par exemple 27 3 2001."),
    ("27", "3", "01", "Indiquez l'année avec ses 4 chiffres, par exemple 2001."),
    ("31", "2", "2001", "Cette date n'existe pas : vérifiez le jour et le mois."),
    ("", "", "", "Indiquez votre date de naissance."),
    ("27", "3", "9" * 5000, "Indiquez le jour, le mois et l'année en chiffres, par exemple 27 3 2001."),
])
def test_a_date_of_birth_that_is_not_one_gets_one_message_next_to_it_and_keeps_what_was_typed(client, day, month,
                                                                                          year, message):
    response = client.post("/inscription", data={**SIGNUP, "date_of_birth-day": day, "date_of_birth-month": month,
                                                 "date_of_birth-year": year})
    assert response.status_code == 200
    soup = soup_of(response)
    assert text_of(soup.select_one("#date_of_birth-error")) == f"Erreur : {message}"
    assert [a["href"] for a in soup.select("#error-summary a")] == ["#date_of_birth-day"]
    boxes = soup.select("fieldset#date_of_birth input")
    assert all(box["aria-invalid"] == "true" for box in boxes)
    assert [box["value"] for box in boxes] == [day, month, year[:12]]
    assert db.session.query(User).count() == 0


def test_failed_sign_up_in_english(client):
    soup = soup_of(client.post("/inscription", data={**SIGNUP, "first_name": ""}, headers={"Accept-Language": "en"}))
    assert soup.title.get_text().startswith("Error: ")
    assert text_of(soup.select_one("#error-summary h2")) == "There is a problem"


def test_sign_up_never_tells_whether_an_address_already_has_an_account(app, client, user):
    new = client.post("/inscription", data=SIGNUP, follow_redirects=True)
    taken = app.test_client().post("/inscription", data={**SIGNUP, "email": user.email.upper(),
                                                          "password": "une autre phrase secrète"},
                                   follow_redirects=True)
    assert (new.status_code, taken.status_code) == (200, 200)
    assert soup_of(taken).select_one("main").prettify() == soup_of(new).select_one("main").prettify().replace(
        "camille@example.org", user.email)
    assert not soup_of(taken).select_one("#error-summary")
    # Only the owner of the address learns it, by mail; their account is untouched and no other is made.
    notice = db.session.query(OutboxMessage).filter_by(recipient=user.email).one()
    assert notice.subject == "Vous avez déjà un compte"
    assert "a voulu créer un compte avec cette adresse" in notice.body_text
    assert "http://127.0.0.1:5000/connexion" in notice.body_text
    assert "http://127.0.0.1:5000/mot-de-passe-oublie" in notice.body_text
    assert db.session.query(User).filter_by(email=user.email).count() == 1
    assert client.post("/connexion", data={"email": user.email, "password": PASSWORD}).status_code == 302


def test_sign_in_renews_the_session_and_records_it(client, user):
    client.post("/connexion", data={"email": make_user("autre@example.org").email, "password": PASSWORD})
    with client.session_transaction() as session:
        first_sid = session["sid"]
    response = client.post("/connexion", data={"email": user.email, "password": PASSWORD},
                           headers={"User-Agent": "Firefox/130"})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    with client.session_transaction() as session:
        assert session["sid"] != first_sid
    row = db.session.query(UserSession).filter_by(user_id=user.id).one()
    assert row.user_agent == "Firefox/130"


def test_wrong_password_says_so_without_saying_which(client, user):
    soup = soup_of(client.post("/connexion", data={"email": user.email, "password": "mauvais"}))
    assert "L'adresse email ou le mot de passe est incorrect." in text_of(soup.select_one("#error-summary"))
    assert soup.select_one("#email")["value"] == user.email


def test_next_redirects_only_to_this_site(client, user):
    ok = client.post("/connexion?next=/parcours", data={"email": user.email, "password": PASSWORD})
    assert ok.headers["Location"] == "/parcours"
    client.post("/deconnexion")
    evil = client.post("/connexion?next=https://evil.example/x", data={"email": user.email, "password": PASSWORD})
    assert evil.headers["Location"] == "/"


def test_protected_page_sends_to_sign_in_and_back(client, user):
    response = client.get("/compte/mot-de-passe")
    assert response.status_code == 302 and response.headers["Location"].startswith("/connexion?next=")


def test_sign_out_ends_the_server_side_session(client, signed_in):
    assert client.get("/compte/mot-de-passe").status_code == 200
    client.post("/deconnexion")
    assert db.session.query(UserSession).filter_by(user_id=signed_in.id).count() == 0
    assert client.get("/compte/mot-de-passe").status_code == 302


def test_a_deleted_server_session_signs_the_browser_out(client, signed_in):
    db.session.query(UserSession).delete()
    db.session.commit()
    assert client.get("/compte/mot-de-passe").status_code == 302


def test_session_cookie_is_httponly_and_samesite_lax(client, user):
    response = client.post("/connexion", data={"email": user.email, "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_secure_cookie_outside_development(monkeypatch):
    from app.config import Config

    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    assert Config().SESSION_COOKIE_SECURE is True
    monkeypatch.setenv("PORTAL_ENV", "development")
    assert Config().SESSION_COOKIE_SECURE is False


def test_sign_in_is_rate_limited(app, client, user):
    app.config["SIGNIN_RATE_LIMIT"] = "10 per minute"
    limiter.reset()
    try:
        codes = [client.post("/connexion", data={"email": user.email, "password": "mauvais"}).status_code
                 for _ in range(11)]
        blocked = client.post("/connexion", data={"email": user.email, "password": PASSWORD},
                              headers={"Accept-Language": "fr"})
    finally:
        app.config["SIGNIN_RATE_LIMIT"] = "1000 per minute"
        limiter.reset()
    assert codes[:10] == [200] * 10 and codes[10] == 429
    assert blocked.status_code == 429
    assert text_of(soup_of(blocked).h1) == "Trop de tentatives"


@pytest.mark.clause("CGS-5-03")
def test_sign_in_page_links_the_sign_in_help_faq(page):
    soup = page("/connexion")
    assert soup.select_one("main a[href='/aide-connexion']")
    faq = page("/aide-connexion")
    questions = [text_of(h) for h in faq.select("main h2")]
    assert len(questions) >= 5 and any("mot de passe" in q.lower() for q in questions)
    assert faq.select_one("main a[href='/mot-de-passe-oublie']")
    assert len(page("/aide-connexion", lang="en").select("main h2")) == len(questions)


def _last_mail(app) -> email.message.EmailMessage:
    folder = Path(app.config["MAIL_OUTBOX_DIR"])
    latest = sorted(folder.glob("*.eml"))[-1]
    return email.message_from_bytes(latest.read_bytes(), policy=email.policy.default)


def test_password_reset_by_emailed_single_use_link(app, client, user, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_OUTBOX_DIR", str(tmp_path))  # only this test's mail
    response = client.post("/mot-de-passe-oublie", data={"email": user.email})
    assert "Vérifiez votre messagerie" in text_of(soup_of(response).h1)
    message = db.session.query(OutboxMessage).filter_by(recipient=user.email).one()
    assert message.sent_at is not None
    assert PASSWORD not in message.body_text
    mail = _last_mail(app)
    assert mail["To"] == user.email
    link = next(line for line in mail.get_body(("plain",)).get_content().splitlines() if "/reinitialiser" in line)
    assert link.strip().startswith("http://127.0.0.1:5000/reinitialiser-mot-de-passe/")  # PUBLIC_BASE_URL
    path = link.strip().removeprefix("http://127.0.0.1:5000")
    assert client.get(path).status_code == 200
    done = client.post(path, data={"password": "ma nouvelle phrase secrète"})
    assert done.headers["Location"] == "/connexion"
    again = client.get(path)
    assert again.status_code == 410 and "plus valable" in again.get_data(as_text=True)
    ok = client.post("/connexion", data={"email": user.email, "password": "ma nouvelle phrase secrète"})
    assert ok.status_code == 302


def test_reset_link_ignores_a_forged_host_header(app, client, user):
    client.post("/mot-de-passe-oublie", data={"email": user.email}, headers={"Host": "evil.example"})
    body = db.session.query(OutboxMessage).filter_by(recipient=user.email).one().body_text
    assert "evil.example" not in body and "http://127.0.0.1:5000/reinitialiser-mot-de-passe/" in body


def test_password_reset_for_unknown_email_answers_the_same_and_sends_nothing(client):
    response = client.post("/mot-de-passe-oublie", data={"email": "inconnu@example.org"})
    assert "Vérifiez votre messagerie" in text_of(soup_of(response).h1)
    assert db.session.query(OutboxMessage).count() == 0


@pytest.mark.clause("CGS-7-01")
def test_change_password_from_the_settings(client, signed_in):
    bad = soup_of(client.post("/compte/mot-de-passe", data={"current_password": "faux", "password": "x" * 12}))
    assert "incorrect" in text_of(bad.select_one("#current_password-error"))
    done = client.post("/compte/mot-de-passe", data={"current_password": PASSWORD,
                                                     "password": "une nouvelle phrase"}, follow_redirects=True)
    assert "Votre mot de passe est modifié" in text_of(soup_of(done).select_one(SUCCESS_MESSAGE))
    assert client.get("/compte/mot-de-passe").status_code == 200  # this browser stays signed in


@pytest.mark.clause("CGS-7-01")
def test_the_learner_sees_the_open_sessions_and_signs_out_everywhere_else(app, client, user):
    client.post("/connexion", data={"email": user.email, "password": PASSWORD},
                headers={"User-Agent": "Mozilla/5.0 (Windows NT 10.0) Gecko/20100101 Firefox/130.0"})
    other = app.test_client()
    other.post("/connexion", data={"email": user.email, "password": PASSWORD},
               headers={"User-Agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1"})
    page = soup_of(client.get("/compte/mot-de-passe"))
    rows = [text_of(tr) for tr in page.select("section[aria-labelledby=sessions-title] tbody tr")]
    assert len(rows) == 2
    assert any("Firefox sur Windows" in row and "(cet appareil)" in row for row in rows)
    assert any("Safari sur iPhone" in row for row in rows)
    client.post("/compte/sessions/deconnecter-les-autres")
    assert other.get("/compte/mot-de-passe").status_code == 302  # the phone is signed out
    assert client.get("/compte/mot-de-passe").status_code == 200
