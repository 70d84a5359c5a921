"""A learner whose renewal was refused (past due, then suspended) may cancel too, from the Premium tab: the
subscription ends at once and the refused month is not pursued, as when it ends unpaid after 30 days (the
reading that protects the learner, in docs/compliance.md)."""

from datetime import datetime, timedelta

import pytest

from app.extensions import db
from app.models import OutboxMessage, PaymentTransaction, Subscription
from app.models.commerce import SubscriptionStatus
from app.models.payment import TransactionKind
from app.services.common import clock
from tests.banners import SUCCESS_MESSAGE
from tests.billing_runs import run, subscribe
from tests.conftest import signed_in_client, soup_of, text_of

DUE = datetime(2027, 2, 28, 10, 1, tzinfo=clock.PARIS)


@pytest.fixture
def gateway(app):
    return app.extensions["payment_gateway"]


@pytest.fixture
def unpaid(app, gateway):
    subscription = subscribe(refuses=True)
    clock.freeze(DUE)
    run(gateway)
    assert subscription.status == SubscriptionStatus.PAST_DUE
    return subscription


def charges(subscription: Subscription) -> int:
    return db.session.query(PaymentTransaction).filter_by(subscription_id=subscription.id,
                                                          kind=TransactionKind.CHARGE).count()


@pytest.mark.clause("CGS-2.1-D2")
def test_a_past_due_subscription_is_cancelled_at_once_and_the_refused_month_is_not_charged(app, gateway, unpaid):
    client = signed_in_client(app, unpaid.user)
    tab = soup_of(client.get("/compte/parametres/premium"))
    assert tab.select_one("#cancel-trigger")["href"] == "/compte/parametres/premium/resilier"
    confirmation = text_of(soup_of(client.get("/compte/parametres/premium/resilier")).main)
    assert "Si vous résiliez, votre abonnement prend fin aujourd'hui" in confirmation
    assert "le mois impayé ne vous sera pas prélevé" in confirmation
    english = text_of(soup_of(client.get("/compte/parametres/premium/resilier",
                                         headers={"Accept-Language": "en"})).main)
    assert "If you cancel, your subscription ends today" in english
    paid_before = charges(unpaid)

    client.post("/compte/parametres/premium/resilier")

    assert db.session.get(Subscription, unpaid.id).status == SubscriptionStatus.ENDED
    outcome = soup_of(client.get("/compte/parametres/premium")).select(SUCCESS_MESSAGE)[-1]
    assert "a pris fin aujourd'hui : le mois impayé ne vous sera pas prélevé" in text_of(outcome)
    message = db.session.query(OutboxMessage).filter_by(recipient=unpaid.user.email).order_by(
        OutboxMessage.id.desc()).first()
    assert message.subject == "Votre abonnement Premium Solo a pris fin"
    assert "comme vous l'aviez demandé en le résiliant" in message.body_text
    # The retries of the refused month (days 1, 3 and 7) charge nothing any more.
    for day in (1, 3, 7, 31):
        clock.freeze(DUE + timedelta(days=day, minutes=1))
        run(gateway)
    assert charges(unpaid) == paid_before
    assert db.session.get(Subscription, unpaid.id).status == SubscriptionStatus.ENDED


def test_a_suspended_subscription_is_cancelled_at_once_too(app, gateway, unpaid):
    for day in (1, 3, 7, 10):  # the retries, then the grace period is over
        clock.freeze(DUE + timedelta(days=day, minutes=1))
        run(gateway)
    assert unpaid.status == SubscriptionStatus.SUSPENDED
    client = signed_in_client(app, unpaid.user)
    client.post("/compte/parametres/premium/resilier")
    assert db.session.get(Subscription, unpaid.id).status == SubscriptionStatus.ENDED


def test_an_active_subscription_still_runs_to_the_end_of_its_period(app, gateway):
    subscription = subscribe()
    client = signed_in_client(app, subscription.user)
    confirmation = text_of(soup_of(client.get("/compte/parametres/premium/resilier")).main)
    assert "Votre abonnement prendra fin le 28 février 2027" in confirmation
    client.post("/compte/parametres/premium/resilier")
    assert db.session.get(Subscription, subscription.id).status == SubscriptionStatus.CANCELLING
