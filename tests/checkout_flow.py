"""Steps of the checkout as a browser without JavaScript takes them, for view tests."""

import re

from bs4 import BeautifulSoup

BASE = "http://127.0.0.1:5000"
VISITOR = {"first_name": "Ana", "last_name": "Lopez", "email": "ana.lopez@example.org",
           "date_of_birth": "1990-02-03", "country": "FR", "legal_protection": "no"}
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


def start(client, url: str = "/commande/solo", **visitor) -> str:
    """A visitor creates the account (step 0); returns the order reference."""
    response = client.post(url, data={**VISITOR, **visitor})
    assert response.status_code == 302, soup(response).select_one("#error-summary")
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
