"""The mails of an order: the visitor's way back into the checkout, the confirmation, and the sign-in details
(never a password)."""

from typing import Any

from flask import current_app, url_for

from app.models import Order, Parcours, Subscription
from app.models.commerce import OfferKind
from app.services.accounts import users
from app.services.commerce import subscription_mail
from app.services.common import links, mail


def send_confirmation(order: Order, subscription: Subscription) -> None:
    """The order confirmation and the "identifiants de connexion" mail (CGS-2.1-B3)."""
    subscription_mail.order_confirmed(order, subscription)
    users.send_sign_in_details(order.user)


def step_url(endpoint: str, offer: OfferKind, parcours: Parcours | None, **values: Any) -> str:
    """A step of the account part of the checkout, for this offer (and Parcours)."""
    if offer == OfferKind.PLUS:
        assert parcours is not None  # a Premium Plus order is always for a Parcours
        return url_for(endpoint, offer="plus", slug=parcours.slug, **values)
    return url_for(endpoint, offer="solo", **values)


def send_way_back(outcome: users.SignupOutcome, offer: OfferKind, parcours: Parcours | None) -> None:
    """The same answer whether or not the address had an account: only its owner learns it, by mail. A new
    account gets the link that signs in and continues; an existing one is told, and changed in nothing."""
    user = outcome.user
    if outcome.created:
        token = users.address_confirmation_token(user, current_app.config["SECRET_KEY"])
        mail.queue(user.email, "checkout_link", user.locale, user=user, offer=offer, parcours=parcours,
                   link=links.absolute(step_url("checkout.follow_link", offer, parcours, token=token)),
                   hours=current_app.config["ADDRESS_CONFIRMATION_MAX_AGE"] // 3600)
    else:
        mail.queue(user.email, "checkout_attempt", user.locale, user=user, offer=offer, parcours=parcours,
                   sign_in_link=links.absolute(url_for("auth.sign_in",
                                                       next=step_url("checkout.start", offer, parcours))),
                   reset_link=links.absolute(url_for("auth.forgot_password")))
