"""Payments through a PaymentGateway: `simulated` (default, offline) or `adyen`. See gateway.py."""

import hashlib

from flask import Flask, current_app, url_for

from app.services.payments.gateway import PaymentGateway


def build_gateway(app: Flask) -> PaymentGateway:
    """The gateway PAYMENT_PROVIDER names; the simulated one refuses to start in production."""
    provider = app.config["PAYMENT_PROVIDER"]
    if provider == "adyen":
        from app.services.payments.adyen import AdyenGateway

        return AdyenGateway.from_config(app.config)
    if provider != "simulated":
        raise RuntimeError(f"PAYMENT_PROVIDER must be 'simulated' or 'adyen', not {provider!r}")
    if app.config["PORTAL_ENV"] == "production":
        raise RuntimeError("the simulated payment provider cannot run in production: set PAYMENT_PROVIDER=adyen")
    from app.services import payment_events
    from app.services.payments.simulated import SimulatedGateway

    hmac_key = app.config["SIMULATED_HMAC_KEY"] or hashlib.sha256(app.config["SECRET_KEY"].encode()).hexdigest()
    gateway = SimulatedGateway(
        hmac_key,
        page_url=lambda session_id: url_for("simulated_payment.page", session_id=session_id),
        deliver=lambda body: payment_events.handle_body(body, gateway),
    )
    return gateway


def gateway() -> PaymentGateway:
    return current_app.extensions["payment_gateway"]
