"""Links sent by mail that work once and expire: a signed (row id, version) pair. Using the link bumps the
row's version, which is what makes it single use."""

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.extensions import db


def make(row, version: int, secret_key: str, purpose: str) -> str:
    return URLSafeTimedSerializer(secret_key, salt=purpose).dumps({"id": row.id, "version": version})


def resolve(model, version_attribute: str, token: str, secret_key: str, purpose: str, max_age: int):
    """The row a link was made for, or None once it expired, was forged, or its version moved on."""
    try:
        payload = URLSafeTimedSerializer(secret_key, salt=purpose).loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature):
        return None
    row = db.session.get(model, payload.get("id"))
    if row is None or getattr(row, version_attribute) != payload.get("version"):
        return None
    return row
