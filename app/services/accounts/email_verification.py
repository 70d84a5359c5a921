"""Is the account's address its owner's? The welcome mail carries a link that confirms it; a checkout link, a
password reset and a confirmed change of address confirm it too (each proves the holder reads that mailbox). A
first order waits for it (checkout.validate): the invoices, the contract and the cancellation proofs go there.

The link names the address it confirms, so that it stops working once the address changes."""

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import User
from app.services import DomainError
from app.services.common import clock, links, mail, signed_links

PURPOSE = "email-verification"


def is_verified(user: User) -> bool:
    return user.email_verified_at is not None


def mark_verified(user: User) -> None:
    if user.email_verified_at is None:
        user.email_verified_at = clock.now()


def link(user: User) -> str:
    token = signed_links.make(user, user.email, current_app.config["SECRET_KEY"], PURPOSE)
    return links.absolute(url_for("auth.verify_email", token=token))


def pending(token: str) -> User | None:
    """The account a link was made for, while it has the address the link names and the link has not expired."""
    return signed_links.resolve(User, "email", token, current_app.config["SECRET_KEY"], PURPOSE,
                                current_app.config["EMAIL_VERIFICATION_MAX_AGE"])


def verify(token: str) -> User:
    user = pending(token)
    if user is None:
        raise DomainError([(None, str(_l("Ce lien n'est plus valable : il a expiré, ou l'adresse du compte a changé "
                                         "depuis. Demandez-en un nouveau depuis Mes paramètres, onglet "
                                         "Sécurité.")))])
    mark_verified(user)
    db.session.flush()
    return user


def send(user: User) -> None:
    """A new link, to the account's address (from Mes paramètres, or the checkout's review)."""
    mail.queue(user.email, "email_verification", user.locale, user=user, link=link(user),
               days=current_app.config["EMAIL_VERIFICATION_MAX_AGE"] // 86400)
