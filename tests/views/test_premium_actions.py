"""What the Premium tab, the contract page and the payment step offer follows the services' rules: each status
offers exactly the actions its predicates allow, whatever the template would have guessed from a status name."""

import pytest

from app.extensions import db
from app.models import Order, Parcours, Subscription
from app.models.commerce import OfferKind, SubscriptionStatus
from app.services.common import clock
from tests import checkout_flow as flow
from tests.conftest import PASSWORD, text_of
from tests.factories import subscriber

S = SubscriptionStatus
TAB = "/compte/parametres/premium"
PARCOURS = "developpeur-application-python"


def signed_in(client, status: S, offer: OfferKind) -> Subscription:
    parcours = db.session.query(Parcours).filter_by(slug=PARCOURS).one() if offer == OfferKind.PLUS else None
    user = subscriber("statuts@example.org", status=status, offer=offer, parcours=parcours)
    client.post("/connexion", data={"email": user.email, "password": PASSWORD})
    return db.session.query(Subscription).one()


def offered(client) -> dict[str, bool]:
    tab = flow.soup(client.get(TAB))
    return {
        "cancel": tab.select_one("a#cancel-trigger") is not None,
        "undo": tab.select_one("form[action$='/annuler-resiliation']") is not None,
        "force_majeure": tab.select_one("a[href$='/premium/force-majeure']") is not None,
        "change_parcours": tab.select_one("a#change-parcours-link") is not None,
        "next_renewal": tab.select_one("#next-renewal") is not None,
        "contract": tab.select_one("#reflection-period a[href^='/abonnements/']") is not None,
    }


@pytest.mark.parametrize(("offer", "status", "expected"), [
    (OfferKind.SOLO, S.ACTIVE, {"cancel", "next_renewal"}),
    (OfferKind.SOLO, S.CANCELLING, {"undo"}),
    (OfferKind.SOLO, S.PAST_DUE, {"cancel", "next_renewal"}),  # cancelled, it ends at once
    (OfferKind.SOLO, S.SUSPENDED, {"cancel"}),
    (OfferKind.PLUS, S.ACTIVE, {"cancel", "force_majeure", "change_parcours", "next_renewal"}),
    (OfferKind.PLUS, S.CANCELLING, {"undo", "force_majeure"}),
    (OfferKind.PLUS, S.PAST_DUE, {"cancel", "force_majeure", "change_parcours", "next_renewal"}),
    (OfferKind.PLUS, S.REFLECTION, {"change_parcours", "contract"}),
    (OfferKind.PLUS, S.SUSPENDED, {"cancel"}),
    (OfferKind.PLUS, S.ENDED, set()),
])
def test_each_status_offers_exactly_the_actions_its_rules_allow(client, offer, status, expected):
    signed_in(client, status, offer)
    assert {action for action, shown in offered(client).items() if shown} == expected


def test_the_offer_and_a_cancellation_are_named_on_the_tab(client):
    subscription = signed_in(client, S.CANCELLING, OfferKind.PLUS)
    tab = flow.soup(client.get(TAB))
    assert text_of(tab.select_one(".govuk-summary-list dd")).startswith("Premium Plus — Parcours")
    assert text_of(tab.select_one("#subscription-status")).startswith("Résilié, fin le")
    assert client.get("/compte/parametres/premium/resilier").status_code == 404  # already cancelled
    client.post("/compte/parametres/premium/annuler-resiliation")
    assert db.session.get(Subscription, subscription.id).status == S.ACTIVE


def test_the_contract_page_offers_to_give_up_only_during_the_reflection_period(client):
    subscription = signed_in(client, S.REFLECTION, OfferKind.PLUS)
    subscription.reflection_ends_at = clock.now()
    db.session.commit()
    url = f"/abonnements/{subscription.id}/contrat"
    page = flow.soup(client.get(url))
    assert page.select_one(f"form[action='/abonnements/{subscription.id}/renoncer']") is not None
    client.post(f"/abonnements/{subscription.id}/renoncer")
    page = flow.soup(client.get(url))
    assert page.select_one(f"form[action='/abonnements/{subscription.id}/renoncer']") is None
    assert "Vous avez renoncé à ce Parcours" in text_of(page.main)


def test_leaving_the_payment_page_is_told_apart_from_a_refusal(client):
    reference = flow.start(client)
    flow.details(client, reference)
    flow.payment_step(client, reference)
    hosted = flow.validate(client, reference).headers["Location"].removeprefix(flow.BASE)
    back = client.post(f"{hosted}/annuler")
    landing = client.get(back.headers["Location"].removeprefix(flow.BASE)).headers["Location"]
    notice = flow.soup(client.get(landing.removeprefix(flow.BASE))).select_one("#payment-refused")
    assert text_of(notice.h2) == "Paiement interrompu"
    assert db.session.query(Order).one().last_refusal is not None
