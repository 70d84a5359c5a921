"""The mails that follow an order: confirmation, and the sign-in details (never a password)."""

from flask import current_app, url_for

from app.models import Order, Subscription
from app.services.accounts import users
from app.services.common import links, mail


def send_confirmation(order: Order, subscription: Subscription) -> None:
    """The order confirmation and the "identifiants de connexion" mail (CGS-2.1-B3)."""
    user = order.user
    mail.queue(user.email, "order_confirmation", user.locale, user=user, order=order, subscription=subscription)
    set_password_link = None
    if not user.password_hash:
        token = users.password_reset_token(user, current_app.config["SECRET_KEY"])
        set_password_link = links.absolute(url_for("auth.reset_password", token=token))
    mail.queue(user.email, "sign_in_details", user.locale, user=user,
               sign_in_url=links.absolute(url_for("auth.sign_in")), set_password_link=set_password_link)
