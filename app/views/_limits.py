"""Rate limits shared by the views (their settings are listed in docs/security.md)."""

from flask import current_app
from flask_limiter.util import get_remote_address
from flask_login import current_user

from app.extensions import limiter


def requester_key() -> str:
    """A signed-in learner is counted as themselves, whatever their address (a school or a company behind one
    address does not lock everyone out); a visitor by the client's address (the forwarded one behind
    TRUSTED_PROXIES)."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return f"address:{get_remote_address()}"


# One budget shared by every form that sends mail to an address typed into it (sign-up, forgotten password,
# contact, guardian request, change of Parcours): none of them can be used to mail someone over and over.
mail_form_limit = limiter.shared_limit(lambda: current_app.config["MAIL_FORM_RATE_LIMIT"], scope="mail-forms",
                                       key_func=requester_key, methods=["POST"])
