"""Fixtures shared by the service tests."""

import pytest


@pytest.fixture
def gateway(app):
    """The app's payment gateway: the simulated provider (tests of the Adyen gateway have their own)."""
    return app.extensions["payment_gateway"]
