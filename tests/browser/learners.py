"""Learners put straight into the live server's database, signed in by keyboard, and the check of each page they
arrive at: for browser tests whose subject comes after the checkout (the checkout itself has its own browser
tests)."""

from playwright.sync_api import expect

from app.extensions import db
from app.models import Parcours
from app.models.commerce import OfferKind
from tests.browser import checkout_steps as checkout
from tests.browser.keyboard import tab_to
from tests.conftest import PASSWORD
from tests.factories import UserFactory, subscriber

PLUS_PARCOURS = "developpeur-application-python"


def subscribed(live_app, prefix: str, first_name: str = "Camille", last_name: str = "Durand",
               offer: OfferKind = OfferKind.SOLO, parcours_slug: str = PLUS_PARCOURS) -> tuple[str, int]:
    """A learner with a paid, active subscription (Premium Plus on `parcours_slug` if `offer` is Plus);
    returns their email and id. Signs in with `tests.conftest.PASSWORD`."""
    with live_app.app_context():
        email = checkout.unique_email(prefix)
        parcours = (db.session.query(Parcours).filter_by(slug=parcours_slug).one()
                    if offer == OfferKind.PLUS else None)
        user = subscriber(email, first_name, last_name, offer=offer, parcours=parcours)
        return email, user.id


def staff_member(live_app, prefix: str) -> str:
    with live_app.app_context():
        email = checkout.unique_email(prefix)
        UserFactory(email=email, is_staff=True)
        db.session.commit()
        return email


def sign_in(page, email: str) -> None:
    """By keyboard, as a screen-reader user would."""
    page.goto("/connexion")
    send_sign_in_form(page, email)
    expect(page.locator("form[action='/deconnexion']")).to_have_count(1)


def send_sign_in_form(page, email: str) -> None:
    """On the sign-in page: the address and the password typed, the form sent with Enter."""
    tab_to(page, "#email")
    page.keyboard.type(email)
    tab_to(page, "#password")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def arrive(page, lang: str, path: str) -> None:
    """The page whose URL ends with `path` (a regular expression), a fragment aside, is loaded in the reader's
    language, with one h1 and no axe violation: the checkout tests' `arrive`, the URL anchored at its end."""
    checkout.arrive(page, lang, path + r"(#.*)?$")
