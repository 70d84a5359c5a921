"""Changing the address of an account (GDPR art. 16): asked with the password, confirmed from the new address,
and told to the former one, which may undo it for 7 days.

The links are signed and carry what they are about, so no table is needed. The confirmation is single use: it
names the account's credential version, which the change moves on. The undo link works while the account still
has the address it replaced: it survives a password change (someone who took the account over and changed both
must not keep it), and undoing signs out every browser and mails a link to choose a new password. Whether an
address already belongs to another account is never shown on the page: the new address is told by mail.
"""

from datetime import timedelta
from typing import Any

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import delete

from app.extensions import db
from app.models import User, UserSession
from app.services import DomainError
from app.services.accounts import users
from app.services.common import clock, links, mail

CONFIRM = "email-change-confirm"
UNDO = "email-change-undo"
UNDO_DAYS = 7
NO_LONGER_VALID = _l("Ce lien n'est plus valable : il a expiré ou a déjà servi.")


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose)


def _load(token: str, purpose: str, max_age: int) -> dict[str, Any] | None:
    try:
        payload = _serializer(purpose).loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature):
        return None
    return payload if isinstance(payload, dict) else None


def ask(user: User, new_email: str, password: str) -> None:
    """Check the password, then mail the new address: a link to confirm, or, if another account has it, a word
    saying so (the page answers the same either way)."""
    if not user.password_hash or users.authenticate(user.email, password) is None:
        raise DomainError([("current_password", str(_l("Le mot de passe actuel est incorrect.")))])
    address = users.normalise_email(new_email)
    if address == user.email:
        raise DomainError([("new_email", str(_l("C'est déjà l'adresse de votre compte.")))])
    if users.find_by_email(address) is not None:
        mail.queue(address, "email_change_taken", user.locale, user=user,
                   sign_in_link=links.absolute(url_for("auth.sign_in")))
        return
    token = _serializer(CONFIRM).dumps({"id": user.id, "version": user.credential_version, "email": address})
    mail.queue(address, "email_change_confirm", user.locale, user=user, new_email=address,
               link=links.absolute(url_for("auth.confirm_email_change", token=token)),
               hours=current_app.config["ADDRESS_CONFIRMATION_MAX_AGE"] // 3600)


def pending(token: str) -> tuple[User, str] | None:
    """The account and the new address of a confirmation link still valid."""
    payload = _load(token, CONFIRM, current_app.config["ADDRESS_CONFIRMATION_MAX_AGE"])
    user = db.session.get(User, payload.get("id")) if payload else None
    if payload is None or user is None or user.credential_version != payload.get("version"):
        return None
    return user, str(payload.get("email"))


def confirm(token: str) -> User:
    """The new address becomes the account's; the former one is told, with the link that undoes it."""
    found = pending(token)
    if found is None:
        raise DomainError([(None, str(NO_LONGER_VALID))])
    user, address = found
    if users.find_by_email(address) is not None:
        raise DomainError([(None, str(_l("Cette adresse est devenue celle d'un autre compte entre-temps : votre "
                                         "adresse n'a pas changé.")))])
    former = user.email
    user.email, user.credential_version = address, user.credential_version + 1
    user.email_verified_at = clock.now()  # confirmed from a link sent to it
    db.session.flush()
    undo_token = _serializer(UNDO).dumps({"id": user.id, "former": former, "email": address})
    mail.queue(former, "email_changed", user.locale, user=user, former=former, new_email=address,
               undo_link=links.absolute(url_for("auth.undo_email_change", token=undo_token)),
               today=clock.today_in_paris(), undo_until=clock.now() + timedelta(days=UNDO_DAYS))
    return user


def undoable(token: str) -> tuple[User, str] | None:
    """The account and its former address, while the account still has the address that replaced it."""
    payload = _load(token, UNDO, UNDO_DAYS * 24 * 3600)
    user = db.session.get(User, payload.get("id")) if payload else None
    if payload is None or user is None or user.email != payload.get("email"):
        return None
    return user, str(payload.get("former"))


def undo(token: str) -> User:
    """"Ce n'était pas moi": the former address comes back, every browser is signed out, and a link to choose a
    new password goes to the former address."""
    found = undoable(token)
    if found is None:
        raise DomainError([(None, str(NO_LONGER_VALID))])
    user, former = found
    if users.find_by_email(former) is not None:
        raise DomainError([(None, str(_l("Cette adresse est devenue celle d'un autre compte : écrivez-nous depuis "
                                         "la page Contact pour retrouver le vôtre.")))])
    user.email, user.credential_version = former, user.credential_version + 1
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    db.session.flush()
    users.send_password_reset(former)
    return user
