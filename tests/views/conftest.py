"""Fixtures shared by the view tests."""

import pytest

from app.extensions import db
from app.models import Order
from tests import checkout_flow as flow


@pytest.fixture
def paying_order(client) -> Order:
    """A visitor's Premium Solo order taken through the checkout to "Valider": awaiting its payment."""
    reference = flow.start(client)
    flow.details(client, reference)
    flow.payment_step(client, reference)
    flow.validate(client, reference)
    return db.session.query(Order).filter_by(reference=reference).one()
