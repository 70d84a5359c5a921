"""The payment provider behind one interface (gateway.py): Adyen, and a simulated provider that never runs in
production. Knows nothing of orders or subscriptions: it moves money for a reference it is given.

Built from PAYMENT_PROVIDER: `simulated` (default, offline) or `adyen`."""

import hashlib
from collections.abc import Callable

from flask import Flask, current_app, url_for

from app.services.payments.adyen import AdyenGateway
from app.services.payments.gateway import PaymentGateway
from app.services.payments.simulated import SimulatedGateway

Deliver = Callable[[bytes, PaymentGateway], object]


def build_gateway(app: Flask, deliver: Deliver) -> PaymentGateway:
    """The gateway PAYMENT_PROVIDER names; the simulated one refuses to start in production. `deliver` is what
    the provider's notifications are handed to (the simulated provider calls it as Adyen would call the webhook)."""
    provider = app.config["PAYMENT_PROVIDER"]
    if provider == "adyen":
        return AdyenGateway.from_config(app.config)
    if provider != "simulated":
        raise RuntimeError(f"PAYMENT_PROVIDER must be 'simulated' or 'adyen', not {provider!r}")
    if app.config["PORTAL_ENV"] == "production":
        raise RuntimeError("the simulated payment provider cannot run in production: set PAYMENT_PROVIDER=adyen")

    hmac_key = app.config["SIMULATED_HMAC_KEY"] or hashlib.sha256(app.config["SECRET_KEY"].encode()).hexdigest()
    simulated = SimulatedGateway(
        hmac_key,
        page_url=lambda session_id: url_for("simulated_payment.page", session_id=session_id),
        deliver=lambda body: deliver(body, simulated),
    )
    return simulated


def gateway() -> PaymentGateway:
    built: PaymentGateway = current_app.extensions["payment_gateway"]
    return built
