"""Fixtures shared by the view tests."""

from datetime import datetime

import pytest

from app.extensions import db
from app.models import Order, Subscription
from app.services.common import clock
from tests import checkout_flow as flow

PARCOURS = "developpeur-application-python"  # 300,00 € a month, 12 months: contract price 3 600,00 €


@pytest.fixture
def paying_order(client) -> Order:
    """A visitor's Premium Solo order taken through the checkout to "Valider": awaiting its payment."""
    reference = flow.start(client)
    flow.details(client, reference)
    flow.payment_step(client, reference)
    flow.validate(client, reference)
    return db.session.query(Order).filter_by(reference=reference).one()


@pytest.fixture
def plus_subscriber(client):
    """A visitor's Premium Plus on the Python Parcours, ordered on 4 January 2027, signed and paid on the 12th
    (after the reflection period) through the checkout."""
    clock.freeze(datetime(2027, 1, 4, 9, 0, tzinfo=clock.PARIS))
    reference = flow.start(client, f"/parcours/{PARCOURS}/demarrer")
    flow.details(client, reference)
    flow.payment_step(client, reference, consents=flow.PLUS_CONSENTS)
    flow.validate(client, reference)
    subscription = db.session.query(Subscription).one()
    clock.freeze(datetime(2027, 1, 12, 9, 0, tzinfo=clock.PARIS))
    flow.pay(client, client.post(f"/abonnements/{subscription.id}/signer").headers["Location"])
    return db.session.query(Subscription).one()
