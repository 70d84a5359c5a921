""""Ce que coûte un départ aujourd'hui": the exits open to a learner today, with what each charges or refunds and
when access ends, computed by hand for the cases the issue names (Solo before and after its first premium access,
Plus in its first, third and fourth month, a renewal unpaid), and the cheapest named."""

from datetime import datetime, timedelta

import pytest
from flask import current_app

from app import demo_accounts as journeys
from app.extensions import db
from app.models.commerce import SubscriptionStatus
from app.services.commerce import access
from app.services.common import clock
from app.services.exits import departures
from app.services.exits.kinds import ExitKind
from tests.factories import PASSWORD

START = datetime(2027, 1, 4, 9, 0, tzinfo=clock.PARIS)
RATE = 30
SOLO = 2000  # the demo's Premium Solo price
PLUS = 30000  # the Python Parcours: 300 € a month, 12 months, so a contract of 3 600 €
INDEMNITY = 108000  # 30 % of 3 600 €


@pytest.fixture(autouse=True)
def started():
    clock.freeze(START)


def solo():
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_BASE_URL"]):
        user = journeys.signed_up("solo.depart@example.org", "Sami", "Départ", PASSWORD)
        return journeys.subscribed_solo(journeys.simulated_provider(), user)


def plus(months_paid: int, parcours: str = journeys.PARCOURS):
    """Premium Plus, signed after its 7 days and paid, then renewed until `months_paid` months are paid."""
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_BASE_URL"]):
        user = journeys.signed_up("plus.depart@example.org", "Paula", "Départ", PASSWORD)
        subscription = journeys.subscribed_plus(journeys.simulated_provider(), user, parcours)
        journeys.renewed([subscription], times=months_paid - 1)
    return subscription


def offered(subscription) -> dict[ExitKind, tuple[int, int, datetime | None]]:
    exits = departures.today(subscription, RATE)
    return {option.kind: (option.to_pay_cents, option.refunded_cents, option.access_until)
            for option in exits.options}


@pytest.mark.clause("CGS-6.1-01")
def test_solo_on_day_three_before_any_access_withdrawing_refunds_the_month_and_is_cheapest():
    subscription = solo()
    clock.freeze(START + timedelta(days=3))
    assert offered(subscription) == {ExitKind.CANCEL: (0, 0, subscription.current_period_end),
                                     ExitKind.WITHDRAW: (0, SOLO, None)}
    exits = departures.today(subscription, RATE)
    assert exits.cheapest.kind == ExitKind.WITHDRAW
    assert [option.open_until for option in exits.options if option.kind == ExitKind.WITHDRAW] == [
        START + timedelta(days=14)]


@pytest.mark.clause("CGS-6.1-01")
def test_solo_after_its_first_premium_access_can_only_cancel_at_the_end_of_the_month():
    subscription = solo()
    access.record_premium_access(subscription.user)  # a premium chapter opened
    db.session.commit()
    clock.freeze(START + timedelta(days=3))
    assert subscription.first_premium_access_at is not None
    assert offered(subscription) == {ExitKind.CANCEL: (0, 0, subscription.current_period_end)}
    assert departures.today(subscription, RATE).cheapest.kind == ExitKind.CANCEL


@pytest.mark.clause("CGS-6.2-02")
@pytest.mark.parametrize("months_paid, to_pay", [(1, INDEMNITY - PLUS), (3, INDEMNITY - 3 * PLUS)])
def test_plus_in_its_first_three_months_terminating_costs_the_indemnity_less_what_was_paid(months_paid, to_pay):
    subscription = plus(months_paid)
    assert subscription.status == SubscriptionStatus.ACTIVE
    exits = offered(subscription)
    assert exits == {ExitKind.CANCEL: (0, 0, subscription.current_period_end),
                     ExitKind.TERMINATE: (to_pay, 0, None),
                     ExitKind.FORCE_MAJEURE: (0, 0, None)}
    assert to_pay == {1: 78000, 3: 18000}[months_paid]  # 1 080 € less 300 €, less 900 €
    cheapest = departures.today(subscription, RATE).cheapest
    assert cheapest.kind == ExitKind.CANCEL  # nothing more to pay, and access until the period's end


@pytest.mark.clause("CGS-6.2-02")
def test_on_a_short_parcours_terminating_refunds_what_was_paid_beyond_30_percent_and_is_cheapest():
    """6 months at 220 €: an indemnity of at most 396 €; two months paid, 440 €: 44 € come back."""
    subscription = plus(2, "consultant-marketing-digital")
    assert offered(subscription)[ExitKind.TERMINATE] == (0, 4400, None)
    assert departures.today(subscription, RATE).cheapest.kind == ExitKind.TERMINATE


@pytest.mark.clause("CGS-6.2-02")
def test_plus_in_its_fourth_month_can_no_longer_terminate_under_l444_8():
    subscription = plus(4)
    assert set(offered(subscription)) == {ExitKind.CANCEL, ExitKind.FORCE_MAJEURE}


def test_a_renewal_unpaid_cancelling_ends_at_once_with_nothing_to_pay():
    subscription = solo()
    access.record_premium_access(subscription.user)  # a premium chapter opened
    subscription.status = SubscriptionStatus.PAST_DUE
    db.session.commit()
    assert offered(subscription) == {ExitKind.CANCEL: (0, 0, None)}


def test_the_force_majeure_request_is_never_named_cheapest_since_the_team_decides_it():
    subscription = plus(1)
    exits = departures.today(subscription, RATE)
    force = next(option for option in exits.options if option.kind == ExitKind.FORCE_MAJEURE)
    assert force.decided_by_team and force.net_cost_cents == 0 and exits.cheapest is not force
