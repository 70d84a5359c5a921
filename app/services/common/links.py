"""Absolute links for mail and for the payment provider's return, built from the configured address, never
from a request's Host header (which an attacker could set to steal a password-reset token)."""

from flask import current_app


def absolute(path: str) -> str:
    base: str = current_app.config["PUBLIC_BASE_URL"]
    return base.rstrip("/") + path
