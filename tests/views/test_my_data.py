""""Mes paramètres > Mes données": asking for an export of one's data, its state on the page, the mailed link that
downloads it once (issue: data rights; GDPR art. 15 and 20)."""

import io
import json
import re
import zipfile
from datetime import datetime, timedelta
from unittest import mock
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from app import jobs
from app.extensions import db
from app.models import DataExport, OutboxMessage
from app.services.common import clock
from app.services.privacy import exports
from tests.banners import SUCCESS_MESSAGE
from tests.conftest import make_user, signed_in_client, soup_of, text_of

PAGE = "/compte/parametres/donnees"
NOW = datetime(2027, 3, 2, 10, 0, tzinfo=clock.PARIS)


@pytest.fixture
def learner(app):
    clock.freeze(NOW)
    return make_user("camille@example.org")


@pytest.fixture
def browser(app, learner):
    return signed_in_client(app, learner)


def ask(browser, lang: str = "fr"):
    form = soup_of(browser.get(PAGE, headers={"Accept-Language": lang})).select_one("#data-export form")
    return browser.post(form["action"], headers={"Accept-Language": lang}, follow_redirects=True)


def mailed_link(learner) -> str:
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == learner.email)
                              .order_by(OutboxMessage.id.desc())).first()
    link = re.search(r"https?://\S+/compte/parametres/donnees/export/\S+", mail.body_text).group(0)
    return urlsplit(link).path  # the portal's public address is not the test client's


@pytest.mark.clause("CGS-9-01")
def test_the_tab_says_what_the_export_holds_and_offers_to_prepare_it(browser):
    soup = soup_of(browser.get(PAGE))
    assert text_of(soup.select_one("nav.tabs-nav [aria-current=page]")) == "Mes données"
    assert "vos factures et avoirs" in text_of(soup.select_one("#export-contents"))
    assert text_of(soup.select_one("#export-status")) == "Vous n'avez encore demandé aucun export."
    assert text_of(soup.select_one("#data-export form button")) == "Préparer l'export de mes données"


@pytest.mark.clause("CGS-9-01")
def test_asking_prepares_the_archive_and_the_page_then_offers_it_with_its_expiry(browser, learner):
    soup = soup_of(ask(browser))
    assert text_of(soup.select_one(SUCCESS_MESSAGE)).startswith(
        "Nous préparons vos données. Un email vous sera envoyé à camille@example.org")
    # The job queue runs at once in the tests: the archive is ready when the page comes back.
    assert text_of(soup.select_one("#export-status")) == (
        "Prêt depuis le 2 mars 2027 à 10:00. Le lien fonctionne une seule fois, jusqu'au 9 mars 2027 à 10:00.")
    download = soup.select_one("#export-download")
    assert re.fullmatch(r"Télécharger mes données \(ZIP, \d+ Ko\)", text_of(download))
    assert mailed_link(learner) == download["href"]
    assert text_of(soup.select_one("#data-export form button")) == "Préparer un nouvel export"


def test_the_page_in_english(browser):
    soup = soup_of(ask(browser, "en"))
    assert text_of(soup.select_one("nav.tabs-nav [aria-current=page]")) == "My data"
    assert text_of(soup.select_one("#export-status")).startswith("Ready since March 2, 2027 at 10:00.")
    assert re.fullmatch(r"Download my data \(ZIP, \d+ KB\)", text_of(soup.select_one("#export-download")))


@pytest.mark.clause("CGS-9-01")
def test_the_mailed_link_downloads_the_archive_once(browser, learner):
    ask(browser)
    link = mailed_link(learner)
    response = browser.get(link)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"] == 'attachment; filename="donnees-2027-03-02.zip"'
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(zipfile.ZipFile(io.BytesIO(response.data)).read("data.json"))
    assert data["account"]["email"] == learner.email
    again = browser.get(link)
    assert again.status_code == 410
    assert text_of(soup_of(again).h1) == "Ce lien ne fonctionne plus"
    status = text_of(soup_of(browser.get(PAGE)).select_one("#export-status"))
    assert status.startswith("Téléchargé le 2 mars 2027 à 10:00 : le fichier a été supprimé de nos serveurs.")


def test_the_link_opens_for_no_other_account_and_asks_a_visitor_to_sign_in(app, browser, learner, client):
    ask(browser)
    link = mailed_link(learner)
    assert client.get(link).status_code == 302  # signed out: the sign-in page, nothing consumed
    other = signed_in_client(app, make_user("autre@example.org"))
    assert other.get(link).status_code == 410
    assert db.session.scalars(select(DataExport)).one().downloaded_at is None
    assert browser.get(link).status_code == 200


def test_an_expired_link_is_explained_on_the_page(browser, learner):
    ask(browser)
    clock.freeze(NOW + timedelta(days=7))
    assert browser.get(mailed_link(learner)).status_code == 410
    status = text_of(soup_of(browser.get(PAGE)).select_one("#export-status"))
    assert status.startswith("Le lien a expiré le 9 mars 2027 à 10:00 sans avoir servi")


def test_while_an_export_is_prepared_the_page_says_so_and_offers_no_second_one(app, browser, learner):
    with mock.patch.dict(jobs.AFTER_COMMIT, {exports.PREPARE_FLAG: mock.Mock()}):  # the queue has not run it yet
        ask(browser)
    soup = soup_of(browser.get(PAGE))
    assert text_of(soup.select_one("#export-status")).startswith("En préparation depuis le 2 mars 2027 à 10:00.")
    assert soup.select_one("#data-export form") is None


def test_showing_the_state_never_loads_the_archive(browser, statements):
    ask(browser)
    statements.clear()
    assert browser.get(PAGE).status_code == 200
    assert [statement for statement in statements if "data_export.archive" in statement] == []
