""""Ce que coûte un départ aujourd'hui" in the Premium tab: the exits open today side by side, in French and in
English, with the amounts the confirmation pages charge or refund, and the cheapest named (not by colour)."""

from datetime import datetime, timedelta

import pytest
from flask import current_app

from app import demo_accounts as journeys
from app.services.common import clock
from tests.conftest import signed_in_client, soup_of, text_of
from tests.factories import PASSWORD

START = datetime(2027, 1, 4, 9, 0, tzinfo=clock.PARIS)
TAB = "/compte/parametres/premium"


@pytest.fixture
def learner(app):
    clock.freeze(START)
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_BASE_URL"]):
        user = journeys.signed_up("solo.depart@example.org", "Sami", "Départ", PASSWORD)
        journeys.subscribed_solo(journeys.simulated_provider(), user)
    clock.freeze(START + timedelta(days=3))
    return user


def rows(soup) -> list[list[str]]:
    return [[text_of(cell) for cell in row.select("th, td")] for row in soup.select("#departures-table tbody tr")]


@pytest.mark.clause("CGS-6.1-01")
def test_the_panel_lays_the_exits_side_by_side_with_their_amounts(app, learner):
    soup = soup_of(signed_in_client(app, learner).get(TAB))
    assert text_of(soup.select_one("#departures-title")) == "Ce que coûte un départ aujourd'hui"
    cancel, withdraw = rows(soup)
    assert cancel[:4] == ["Résilier", "0,00 €", "0,00 €", "le 4 février 2027"]
    assert withdraw[:4] == ["Se rétracter le moins coûteux", "0,00 €", "20,00 €", "aussitôt"]
    assert "Possible jusqu'au 18 janvier 2027" in withdraw[4]
    assert text_of(soup.select_one("#cheapest-departure")) == (
        "Le moins coûteux aujourd'hui : Se rétracter — 20,00 € vous sont remboursés.")
    links = [row.select_one("th a")["href"] for row in soup.select("#departures-table tbody tr")]
    assert links == ["/compte/parametres/premium/resilier", "/compte/parametres/premium/retractation"]


def test_the_panel_in_english(app, learner):
    soup = soup_of(signed_in_client(app, learner).get(TAB, headers={"Accept-Language": "en"}))
    assert text_of(soup.select_one("#departures-title")) == "What leaving costs today"
    assert [row[0] for row in rows(soup)] == ["Cancel", "Withdraw the cheapest"]
    assert text_of(soup.select_one("#cheapest-departure")) == "The cheapest today: Withdraw — €20.00 refunded to you."
