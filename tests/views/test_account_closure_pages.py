"""Closing one's account from Mes paramètres > Mes données, and reopening it from the mailed link: what the page says
for the learner's own subscription, the password asked once more, the sign-in refused while the closure can be
undone (CGS-9-01)."""

import re
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import OutboxMessage
from app.models.commerce import SubscriptionStatus
from app.services.common import clock
from tests.banners import SUCCESS_MESSAGE
from tests.conftest import signed_in_client, soup_of, text_of
from tests.factories import PASSWORD, make_staff, subscriber

PAGE = "/compte/cloture"
NOW = datetime(2027, 1, 12, 10, 0, tzinfo=clock.PARIS)


@pytest.fixture
def learner(app):
    clock.freeze(NOW)
    return subscriber("camille@example.org", "Camille", "Durand")


@pytest.fixture
def browser(app, learner):
    return signed_in_client(app, learner)


def undo_path(learner) -> str:
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.subject == "Votre compte est en cours de "
                                                          "clôture")).one()
    return urlsplit(re.search(r"https?://\S+/compte/cloture/annuler/\S+", mail.body_text).group(0)).path


def close(browser, password: str = PASSWORD, lang: str = "fr"):
    return browser.post(PAGE, data={"current_password": password}, headers={"Accept-Language": lang})


def test_my_data_leads_to_the_closure_page(browser):
    link = soup_of(browser.get("/compte/parametres/donnees")).select_one("#close-account-link")
    assert link["href"] == PAGE


@pytest.mark.clause("CGS-9-01")
def test_the_page_says_what_happens_to_the_subscription_and_what_is_kept(browser, learner):
    soup = soup_of(browser.get(PAGE))
    assert text_of(soup.h1) == "Clôturer mon compte"
    assert text_of(soup.select_one("#closure-subscription")).startswith(
        "Votre abonnement est résilié : il ne sera plus renouvelé et rien ne vous sera plus prélevé. Le mois en "
        "cours, payé jusqu'au 12 février 2027")
    kept = text_of(soup.select_one("#closure-kept"))
    assert "10 ans (article L123-22 du Code de commerce)" in kept and "restent vérifiables" in kept
    assert "30 jours" in text_of(soup.select_one("#closure-steps"))
    assert soup.select_one("form input[type=password]")["autocomplete"] == "current-password"


def test_the_page_in_english(browser):
    soup = soup_of(browser.get(PAGE, headers={"Accept-Language": "en"}))
    assert text_of(soup.h1) == "Close my account"
    assert text_of(soup.select_one("#closure-subscription")).startswith("Your subscription is cancelled:")
    assert text_of(soup.select_one("main form button")) == "Close my account"


def test_a_wrong_password_is_said_next_to_its_field_and_closes_nothing(browser, learner):
    soup = soup_of(close(browser, "pas le bon"))
    field = soup.select_one("#current_password")
    assert field["aria-invalid"] == "true"
    assert "Le mot de passe actuel est incorrect." in text_of(soup.select_one("#error-summary"))
    assert learner.closing_since is None
    assert browser.get("/compte/parametres/premium").status_code == 200  # still signed in


@pytest.mark.clause("CGS-9-01")
def test_closing_signs_out_and_the_sign_in_is_refused_until_the_link_reopens_it(app, browser, learner, client):
    response = close(browser)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    home = soup_of(browser.get("/"))
    assert text_of(home.select_one(SUCCESS_MESSAGE)).startswith(
        "Votre compte est en cours de clôture et vous êtes déconnecté. Un email envoyé à camille@example.org")
    assert browser.get("/compte/parametres/premium").status_code == 302  # signed out
    refused = soup_of(client.post("/connexion", data={"email": learner.email, "password": PASSWORD}))
    assert "Ce compte est en cours de clôture : on ne peut plus s'y connecter." in text_of(
        refused.select_one("#error-summary"))
    assert "jusqu'au 11 février 2027 à 10:00" in text_of(refused.select_one("#error-summary"))
    link = undo_path(learner)
    page = soup_of(client.get(link))
    assert text_of(page.h1) == "Annuler la clôture de mon compte" and learner.closing_since is not None
    reopened = client.post(link)
    assert reopened.headers["Location"] == "/connexion"
    assert client.post("/connexion", data={"email": learner.email, "password": PASSWORD}).status_code == 302
    again = client.get(link)
    assert again.status_code == 410 and text_of(soup_of(again).h1) == "Ce lien ne fonctionne plus"


def test_the_link_no_longer_works_after_30_days(browser, learner, client):
    close(browser)
    link = undo_path(learner)
    clock.freeze(NOW + timedelta(days=30))
    assert client.get(link).status_code == 410
    assert client.post(link).status_code == 410


def test_a_team_member_is_sent_to_the_team(app):
    clock.freeze(NOW)
    member = make_staff()
    soup = soup_of(signed_in_client(app, member).get(PAGE))
    assert text_of(soup.select_one("#closure-refused")).startswith("Les comptes de l'équipe")
    assert soup.select_one("main form") is None


def test_a_subscription_already_cancelled_is_left_to_end_as_planned(app):
    clock.freeze(NOW)
    learner = subscriber("deja.resilie@example.org", status=SubscriptionStatus.CANCELLING)
    text = text_of(soup_of(signed_in_client(app, learner).get(PAGE)).select_one("#closure-subscription"))
    assert text.startswith("Votre abonnement est déjà résilié et prend fin le 12 février 2027")
