"""Links sent by mail that work once and expire: a signed (row id, version) pair. Using the link bumps the
row's version, which is what makes it single use."""

from typing import Any, TypeVar

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.extensions import Base, db

Row = TypeVar("Row", bound=Base)


def make(row: Any, version: int | str, secret_key: str, purpose: str) -> str:
    """`row` is any model with an `id`; `version`, the value of the row's attribute that the link names (a counter
    the use moves on, or an address the link stops working without)."""
    token: str = URLSafeTimedSerializer(secret_key, salt=purpose).dumps({"id": row.id, "version": version})
    return token


def resolve(model: type[Row], version_attribute: str, token: str, secret_key: str, purpose: str,
            max_age: int) -> Row | None:
    """The row a link was made for, or None once it expired, was forged, or its version moved on."""
    try:
        payload = URLSafeTimedSerializer(secret_key, salt=purpose).loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature):
        return None
    row = db.session.get(model, payload.get("id"))
    if row is None or getattr(row, version_attribute) != payload.get("version"):
        return None
    return row
