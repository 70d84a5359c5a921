"""Steps of the checkout as a browser without JavaScript takes them, for view tests."""

import re

from bs4 import BeautifulSoup

from tests.conftest import date_fields

BASE = "http://127.0.0.1:5000"
VISITOR = {"first_name": "Ana", "last_name": "Lopez", "email": "ana.lopez@example.org",
           **date_fields("date_of_birth", "1990-02-03"), "country": "FR", "legal_protection": "no"}
DETAILS = {"billing_name": "Ana Lopez", "billing_address": "12 rue des Écoles", "billing_postal_code": "75005",
           "billing_city": "Paris", "billing_country": "FR"}
SOLO_CONSENTS = {"consent_terms": "y", "consent_immediate_access": "y", "consent_payment_holder": "y"}
PLUS_CONSENTS = {"consent_terms": "y", "consent_student_rules": "y", "consent_payment_holder": "y"}
GOOD_CARD = {"card-number": "4111 1111 1111 1111", "card-holder": "Ana Lopez", "card-expiry": "03/30",
             "card-cvc": "737"}
REFUSED_CARD = {**GOOD_CARD, "card-number": "4000 0000 0000 0002"}


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def reference_in(location: str) -> str:
    return re.search(r"/commande/([^/]+)/", location)[1]


def mailed_link(client, recipient: str) -> str:
    """The path of the link in the last mail sent to this address, as its reader would open it (read in the
    client's own app: some tests run one of their own)."""
    from app.extensions import db
    from app.models import OutboxMessage

    with client.application.app_context():
        messages = db.session.query(OutboxMessage).filter_by(recipient=recipient).order_by(OutboxMessage.id.desc())
        links = (re.search(re.escape(BASE) + r"(/\S*/continuer/\S+)", message.body_text) for message in messages)
        link = next(filter(None, links), None)
    assert link, f"no link mailed to {recipient}"
    return link[1]


def follow_link(client, path: str):
    """Open the mailed link and press its button, as the visitor does; returns the answer to the button."""
    page = soup(client.get(path))
    form = page.select_one("main form[method=post]")
    assert form is not None, page.select_one("main")
    token = form.select_one("input[name=csrf_token]")
    return client.post(form["action"], data={"csrf_token": token["value"]} if token else {})


def visitor_form(**changes) -> dict[str, str]:
    """The account step's fields, with `changes` (a `date_of_birth` as "YYYY-MM-DD", posted in its three boxes)."""
    born = changes.pop("date_of_birth", None)
    return {**VISITOR, **changes, **(date_fields("date_of_birth", born) if born is not None else {})}


def enter(client, url: str = "/commande/solo", **visitor):
    """A visitor gives their details (step 0), reads the mail and follows its link; returns where that leads."""
    data = visitor_form(**visitor)
    response = client.post(url, data=data)
    assert response.status_code == 302, soup(response).select_one("#error-summary")
    assert "/message-envoye" in response.headers["Location"]
    return follow_link(client, mailed_link(client, data["email"].strip().lower()))


def start(client, url: str = "/commande/solo", **visitor) -> str:
    """A visitor creates the account (step 0) and follows the mailed link; returns the order reference."""
    response = enter(client, url, **visitor)
    assert response.status_code == 302, soup(response).select_one("main")
    return reference_in(response.headers["Location"])


def details(client, reference: str, **changes) -> None:
    response = client.post(f"/commande/{reference}/coordonnees", data={**DETAILS, **changes})
    assert response.status_code == 302


def payment_step(client, reference: str, consents=None, method: str = "card", promo: str = ""):
    return client.post(f"/commande/{reference}/paiement",
                       data={"payment_method": method, "promo_code": promo, **(consents or SOLO_CONSENTS)})


def reviewed_amount(client, reference: str) -> int:
    page = soup(client.get(f"/commande/{reference}/verification"))
    return int(page.select_one("input[name=reviewed_amount]")["value"])


def validate(client, reference: str, amount: int | None = None):
    amount = reviewed_amount(client, reference) if amount is None else amount
    return client.post(f"/commande/{reference}/valider", data={"reviewed_amount": amount})


def pay(client, hosted_url: str, card=None) -> str:
    """Pay on the simulated provider's page; follow the return; returns where the learner lands."""
    response = client.post(hosted_url, data=card or GOOD_CARD)
    assert response.status_code == 302, soup(response).select_one("#error-summary")
    back = client.get(response.headers["Location"].removeprefix(BASE))
    return back.headers["Location"]


def buy_solo(client, billing_address: str = DETAILS["billing_address"], **visitor) -> str:
    reference = start(client, **visitor)
    details(client, reference, billing_address=billing_address)
    assert payment_step(client, reference).status_code == 302
    landing = pay(client, validate(client, reference).headers["Location"])
    assert landing.endswith("/confirmation")
    return reference
