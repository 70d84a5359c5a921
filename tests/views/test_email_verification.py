"""The address of an account is confirmed by its owner (issue: email verification at sign-up): the welcome mail
carries the link; a learner may browse before opening it, but a first order waits for it, and the review says so
with a button that sends the link again. A checkout link, a password reset and a confirmed change of address
confirm the address too."""

import re
import time
from urllib.parse import urlsplit

from itsdangerous import TimestampSigner
from sqlalchemy import select

from app.extensions import db
from app.models import OutboxMessage, User
from tests import checkout_flow as flow
from tests.banners import PROBLEM_MESSAGE, SUCCESS_MESSAGE
from tests.conftest import PASSWORD, date_fields, signed_in_client, soup_of, text_of
from tests.factories import UserFactory

SIGNUP = {"first_name": "Camille", "last_name": "Durand", "email": "camille@example.org", "password": PASSWORD,
          **date_fields("date_of_birth", "2001-03-27"), "country": "FR", "legal_protection": "no"}


def link_in(address: str, subject: str) -> str:
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == address,
                                                          OutboxMessage.subject == subject)
                              .order_by(OutboxMessage.id.desc())).first()
    return urlsplit(re.search(r"https?://\S+/compte/confirmer-adresse/\S+", mail.body_text).group(0)).path


def signed_in_order(app, user) -> tuple:
    client = signed_in_client(app, user)
    reference = flow.reference_in(client.get("/commande/solo").headers["Location"])
    flow.details(client, reference)
    flow.payment_step(client, reference)
    return client, reference


def test_the_welcome_mail_confirms_the_address_from_its_link(client):
    client.post("/inscription", data=SIGNUP)
    user = db.session.scalars(select(User).where(User.email == "camille@example.org")).one()
    assert user.email_verified_at is None
    path = link_in(user.email, "Votre compte est créé")
    page = soup_of(client.get(path))
    assert text_of(page.h1) == "Confirmer mon adresse email" and user.email_verified_at is None  # opening: nothing
    client.post(path)
    assert user.email_verified_at is not None


def test_a_first_order_waits_for_the_address_and_the_review_sends_the_link_again(app):
    user = UserFactory(email="pas.confirme@example.org", verified=False)
    db.session.commit()
    client, reference = signed_in_order(app, user)
    review = soup_of(client.get(f"/commande/{reference}/verification"))
    notice = review.select_one("#verify-address")
    assert "Vos factures, votre contrat et les confirmations de votre abonnement seront envoyés à " \
           "pas.confirme@example.org" in text_of(notice)
    refused = client.post(f"/commande/{reference}/valider", data={"reviewed_amount": 2000}, follow_redirects=True)
    assert "Confirmez d'abord votre adresse email pas.confirme@example.org" in text_of(
        soup_of(refused).select_one(PROBLEM_MESSAGE))
    resent = client.post(notice.form["action"], follow_redirects=True)
    assert "Un nouveau lien de confirmation est envoyé à pas.confirme@example.org." in [
        text_of(n) for n in soup_of(resent).select(SUCCESS_MESSAGE)]
    client.post(link_in(user.email, "Confirmez votre adresse email"))
    assert soup_of(client.get(f"/commande/{reference}/verification")).select_one("#verify-address") is None
    hosted = flow.validate(client, reference)
    assert hosted.status_code == 302 and "/paiement-simule/" in hosted.headers["Location"]


def test_a_visitors_checkout_link_confirms_the_address(client):
    flow.start(client)
    assert db.session.scalars(select(User)).one().email_verified_at is not None


def test_a_link_for_an_address_the_account_no_longer_has_no_longer_works(client):
    client.post("/inscription", data=SIGNUP)
    user = db.session.scalars(select(User).where(User.email == "camille@example.org")).one()
    path = link_in(user.email, "Votre compte est créé")
    user.email = "autre.adresse@example.org"
    db.session.commit()
    response = client.get(path)
    assert response.status_code == 410 and soup_of(response).select_one("#link-invalid")


def test_the_link_expires_after_seven_days(client, monkeypatch):
    client.post("/inscription", data=SIGNUP)
    user = db.session.scalars(select(User).where(User.email == "camille@example.org")).one()
    path = link_in(user.email, "Votre compte est créé")
    seven_days_later = int(time.time()) + 7 * 24 * 3600 + 1
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: seven_days_later)
    response = client.get(path)
    assert response.status_code == 410 and soup_of(response).select_one("#link-invalid")
    assert client.post(path).status_code == 410 and user.email_verified_at is None


def test_the_security_tab_offers_the_link_again_in_english(app):
    user = UserFactory(email="en.attente@example.org", verified=False, locale="en")
    db.session.commit()
    soup = soup_of(signed_in_client(app, user).get("/compte/mot-de-passe", headers={"Accept-Language": "en"}))
    assert text_of(soup.select_one("#verify-address-title")) == "Confirm your email address"
    assert text_of(soup.select_one("#verify-address button")) == "Send the confirmation link again"
