"""The visitor's account step of the checkout: the same answer whether or not the address has an account; the
order continues from a signed, expiring, single-use link mailed to the address, which confirms it."""

import time

import pytest
from itsdangerous.timed import TimestampSigner

from app.extensions import db, limiter
from app.models import Order, OutboxMessage, User, UserSession
from tests import checkout_flow as flow
from tests.conftest import text_of

PLUS_START = "/parcours/developpeur-application-python/demarrer"


def mails_to(address: str) -> list[OutboxMessage]:
    return db.session.query(OutboxMessage).filter_by(recipient=address).order_by(OutboxMessage.id).all()


def answer_page(client, address: str, lang: str):
    """Post the account step for `address`; the answer, followed, with the address itself masked."""
    headers = {"Accept-Language": lang}
    response = client.post("/commande/solo", data={**flow.VISITOR, "email": address}, headers=headers)
    shown = client.get(response.headers["Location"], headers=headers)
    main = flow.soup(shown).select_one("main")
    return (response.status_code, response.headers["Location"], shown.status_code,
            str(main).replace(address, "ADDRESS"), text_of(main))


def account_state(user: User) -> tuple:
    return (user.password_hash, user.credential_version, user.first_name, user.last_name, user.date_of_birth,
            user.country, user.under_legal_protection, user.locale)


@pytest.mark.parametrize(("lang", "heading"), [("fr", "Vérifiez votre messagerie"), ("en", "Check your email")])
def test_the_checkout_never_tells_whether_an_address_has_an_account(app, client, user, lang, heading):
    before = account_state(user)
    new_visitor = app.test_client()
    taken = answer_page(client, user.email, lang)
    free = answer_page(new_visitor, "nouvelle.adresse@example.org", lang)
    assert taken[:4] == free[:4]  # same status, same redirect, same page, word for word
    assert taken[1] == "/commande/solo/message-envoye"
    assert heading in taken[4] and user.email in taken[4]

    # Only the owner learns it, by mail; their account is left exactly as it was, and nobody is signed in.
    [warning] = mails_to(user.email)
    assert warning.subject == "Une commande a été commencée avec votre adresse"  # in the owner's language
    assert "http://127.0.0.1:5000/connexion?next=/commande/solo" in warning.body_text
    assert "http://127.0.0.1:5000/mot-de-passe-oublie" in warning.body_text
    assert "/continuer/" not in warning.body_text
    db.session.refresh(user)
    assert account_state(user) == before
    assert db.session.query(UserSession).filter_by(user_id=user.id).count() == 0
    assert db.session.query(Order).count() == 0
    assert not flow.soup(client.get("/premium")).select_one("form[action='/deconnexion']")

    [link] = mails_to("nouvelle.adresse@example.org")
    assert link.subject == ("Continuez votre commande" if lang == "fr" else "Continue your order")
    assert "http://127.0.0.1:5000/commande/solo/continuer/" in link.body_text


def test_a_refused_account_step_tells_nothing_either(app, client, user):
    refused = flow.visitor_form(date_of_birth="2999-01-01")
    taken = flow.soup(client.post("/commande/solo", data={**refused, "email": user.email}))
    free = flow.soup(app.test_client().post("/commande/solo", data={**refused, "email": "libre@example.org"}))
    assert str(taken.select_one("#error-summary")) == str(free.select_one("#error-summary"))
    assert [a["href"] for a in taken.select("#error-summary a")] == ["#date_of_birth-day"]
    assert db.session.query(OutboxMessage).count() == 0


def test_the_mailed_link_brings_a_new_visitor_back_to_their_order_signed_in(client):
    client.post(PLUS_START, data=flow.VISITOR)
    path = flow.mailed_link(client, flow.VISITOR["email"])
    assert path.startswith(f"{PLUS_START}/continuer/")
    assert db.session.query(UserSession).count() == 0  # not signed in before the link is followed

    page = flow.soup(client.get(path))
    assert text_of(page.h1) == "Continuer votre commande"
    assert flow.VISITOR["email"] in text_of(page.select_one("main"))
    assert "Premium Plus, Parcours" in text_of(page.select_one("main"))

    response = flow.follow_link(client, path)
    assert response.status_code == 302 and response.headers["Location"].endswith("/coordonnees")
    order = db.session.query(Order).filter_by(reference=flow.reference_in(response.headers["Location"])).one()
    assert order.parcours.slug == "developpeur-application-python"
    assert order.user.email == flow.VISITOR["email"] and order.user.password_hash is None  # a password later
    details = flow.soup(client.get(response.headers["Location"]))
    assert details.select_one("form[action='/deconnexion']") and details.select_one("#billing_name")


def test_the_mailed_link_works_once(client, app):
    client.post("/commande/solo", data=flow.VISITOR)
    path = flow.mailed_link(client, flow.VISITOR["email"])
    assert flow.follow_link(client, path).headers["Location"].endswith("/coordonnees")

    someone_else = app.test_client()
    again = someone_else.get(path)
    assert again.status_code == 410
    assert text_of(flow.soup(again).h1) == "Ce lien n'est plus valable"
    assert someone_else.post(path).status_code == 410
    assert db.session.query(UserSession).count() == 1  # only the first use signed in


def test_the_mailed_link_expires(client, monkeypatch):
    client.post("/commande/solo", data=flow.VISITOR)
    path = flow.mailed_link(client, flow.VISITOR["email"])
    a_day_later = int(time.time()) + 24 * 3600 + 1
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: a_day_later)
    expired = client.get(path)
    assert expired.status_code == 410
    assert flow.soup(expired).select_one("main a[href='/commande/solo']")
    assert db.session.query(UserSession).count() == 0


def test_a_forged_link_opens_nothing(client):
    client.post("/commande/solo", data=flow.VISITOR)
    path = flow.mailed_link(client, flow.VISITOR["email"])
    forged = path[:-3] + ("abc" if not path.endswith("abc") else "abd")
    assert client.get(forged).status_code == 410
    assert client.post(forged).status_code == 410
    assert db.session.query(UserSession).count() == 0


def test_the_account_step_counts_in_the_limit_of_forms_that_send_mail(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_FORM_RATE_LIMIT", "2 per minute")
    limiter.reset()
    try:
        codes = [client.post("/commande/solo", data={**flow.VISITOR, "email": f"ana{n}@example.org"}).status_code
                 for n in range(3)]
    finally:
        limiter.reset()
    assert codes == [302, 302, 429]
    assert db.session.query(OutboxMessage).count() == 2
