"""Changing the address of an account: asked with the password, confirmed from the new address (a button, not
the mere opening of the link), told to the former address, which may undo it for 7 days (GDPR art. 16)."""

import re

from app.extensions import db
from app.models import OutboxMessage, User
from app.services.accounts import users
from tests.conftest import make_user, signed_in_client, soup_of, text_of
from tests.factories import PASSWORD

PAGE = "/compte/adresse-email"


def last_mail_to(address: str) -> OutboxMessage | None:
    return db.session.query(OutboxMessage).filter_by(recipient=address).order_by(OutboxMessage.id.desc()).first()


def link_in(message: OutboxMessage, path: str) -> str:
    found = re.search(rf"http://127\.0\.0\.1:5000({path}/\S+)", message.body_text)
    assert found, message.body_text
    return found[1]


def test_a_new_address_is_confirmed_from_it_and_the_former_one_can_undo_the_change(app):
    learner = make_user("ancienne@example.org")
    client = signed_in_client(app, learner)
    response = client.post(PAGE, data={"new_email": "Nouvelle@Example.org ", "current_password": PASSWORD})
    assert response.headers["Location"].endswith("/compte/mot-de-passe")
    assert db.session.get(User, learner.id).email == "ancienne@example.org"  # not before the confirmation
    confirmation = last_mail_to("nouvelle@example.org")
    assert confirmation.subject == "Confirmez votre nouvelle adresse email"
    confirm_path = link_in(confirmation, "/compte/adresse-email/confirmer")

    elsewhere = app.test_client()  # the new mailbox, opened in another browser
    page = soup_of(elsewhere.get(confirm_path))
    assert "deviendra nouvelle@example.org" in text_of(page.main)
    assert db.session.get(User, learner.id).email == "ancienne@example.org"  # opening the link changes nothing
    elsewhere.post(confirm_path)
    assert db.session.get(User, learner.id).email == "nouvelle@example.org"
    assert users.authenticate("nouvelle@example.org", PASSWORD) is not None
    assert users.authenticate("ancienne@example.org", PASSWORD) is None
    assert soup_of(elsewhere.get(confirm_path)).select_one("#link-invalid")  # once only

    notice = last_mail_to("ancienne@example.org")
    assert notice.subject == "L'adresse email de votre compte a changé"
    assert "n'est plus ancienne@example.org mais nouvelle@example.org" in notice.body_text
    undo_path = link_in(notice, "/compte/adresse-email/annuler")
    assert "Tous les appareils connectés seront déconnectés" in text_of(soup_of(elsewhere.get(undo_path)).main)
    app.test_client().post(undo_path)
    assert db.session.get(User, learner.id).email == "ancienne@example.org"
    # Every browser is signed out, and the former address gets a link to choose a new password.
    assert client.get("/compte/mot-de-passe").status_code == 302
    assert last_mail_to("ancienne@example.org").subject == "Choisir un nouveau mot de passe"
    assert soup_of(app.test_client().get(undo_path)).select_one("#link-invalid")


def test_the_undo_link_survives_a_password_change_made_after_the_new_address(app):
    """Someone who took the account over and changed its address, then its password, does not keep it."""
    learner = make_user("victime@example.org")
    signed_in_client(app, learner).post(PAGE, data={"new_email": "pirate@example.org",
                                                    "current_password": PASSWORD})
    app.test_client().post(link_in(last_mail_to("pirate@example.org"), "/compte/adresse-email/confirmer"))
    undo_path = link_in(last_mail_to("victime@example.org"), "/compte/adresse-email/annuler")
    users.set_password(db.session.get(User, learner.id), "une autre phrase de passe")
    db.session.commit()
    app.test_client().post(undo_path)
    assert db.session.get(User, learner.id).email == "victime@example.org"


def test_a_wrong_password_or_the_same_address_is_refused_next_to_its_field_and_the_address_kept(app):
    client = signed_in_client(app, make_user("reste@example.org"))
    page = soup_of(client.post(PAGE, data={"new_email": "autre@example.org", "current_password": "pas le bon"}))
    assert text_of(page.select_one("#current_password-error")) == "Erreur : Le mot de passe actuel est incorrect."
    assert page.select_one("#new_email")["value"] == "autre@example.org"
    assert page.title.get_text().startswith("Erreur")
    same = soup_of(client.post(PAGE, data={"new_email": "reste@example.org", "current_password": PASSWORD}))
    assert text_of(same.select_one("#new_email-error")) == "Erreur : C'est déjà l'adresse de votre compte."
    assert last_mail_to("autre@example.org") is None


def test_the_address_of_another_account_is_not_revealed_on_the_page_and_its_owner_is_told(app):
    make_user("prise@example.org")
    client = signed_in_client(app, make_user("curieux@example.org"))
    response = client.post(PAGE, data={"new_email": "prise@example.org", "current_password": PASSWORD})
    assert response.status_code == 302  # the same answer as for a free address
    told = last_mail_to("prise@example.org")
    assert told.subject == "Cette adresse est déjà celle d'un compte"
    assert "/compte/adresse-email/confirmer" not in told.body_text


def test_a_forged_link_changes_nothing(app):
    learner = make_user("intact@example.org")
    client = app.test_client()
    assert soup_of(client.get("/compte/adresse-email/confirmer/forge")).select_one("#link-invalid")
    client.post("/compte/adresse-email/annuler/forge")
    assert db.session.get(User, learner.id).email == "intact@example.org"


def test_the_security_tab_links_to_the_change_in_english_too(app):
    client = signed_in_client(app, make_user("lien@example.org"))
    tab = soup_of(client.get("/compte/mot-de-passe", headers={"Accept-Language": "en"}))
    assert text_of(tab.select_one("#change-email-link")) == "Change email address"
    page = soup_of(client.get(PAGE, headers={"Accept-Language": "en"}))
    assert text_of(page.h1) == "Change email address"
    assert text_of(page.select_one("label[for=new_email]")) == "New email address"
