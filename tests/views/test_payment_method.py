"""Mes paramètres > Premium: replacing the payment method on the provider's page; the referral credit shown."""

from datetime import datetime, timedelta

import pytest

from app.extensions import db
from app.models import PaymentMethodUpdate, PaymentTransaction, ReferralReward, SimulatedStoredMethod, Subscription
from app.models.commerce import SubscriptionStatus
from app.models.payment import MethodUpdateStatus
from app.services.billing import renewals
from app.services.common import clock
from tests import checkout_flow as flow
from tests.banners import SUCCESS_MESSAGE
from tests.conftest import text_of

MASTERCARD = {**flow.GOOD_CARD, "card-number": "5555 5555 5555 4444"}


@pytest.fixture
def subscriber(client):
    clock.freeze(datetime(2027, 1, 31, 10, 0, tzinfo=clock.PARIS))
    flow.buy_solo(client)
    return db.session.query(Subscription).one()


def replace(client, method="card"):
    return client.post("/compte/parametres/premium/moyen-de-paiement", data={"method": method})


def come_back(client, hosted: str, card=None):
    landing = client.post(hosted, data=card or MASTERCARD).headers["Location"].removeprefix(flow.BASE)
    assert landing.startswith("/compte/parametres/premium/moyen-de-paiement/retour?")
    return flow.soup(client.get(landing, follow_redirects=True))


@pytest.mark.clause("CGS-2.1-D2")
def test_the_learner_replaces_the_card_that_renewals_charge_without_being_charged(app, client, subscriber):
    old = subscriber.stored_method_id
    page = flow.soup(client.get("/compte/parametres/premium"))
    form = page.select_one("form#replace-payment-method")
    assert text_of(form.select_one("legend")) == "Nouveau moyen de paiement"
    assert [text_of(label) for label in form.select("label")] == ["Carte bancaire", "PayPal"]
    assert text_of(form.select_one("button")) == "Remplacer le moyen de paiement"
    hosted = replace(client).headers["Location"].removeprefix(flow.BASE)
    assert replace(client).headers["Location"].removeprefix(flow.BASE) == hosted  # a double click: the same page
    provider_page = flow.soup(client.get(hosted))
    assert "rien n'est prélevé" in text_of(provider_page.main)
    assert text_of(provider_page.select_one("main form[novalidate] button[type=submit]")) == "Enregistrer cette carte"

    page = come_back(client, hosted)
    assert "prélevés sur Mastercard •••• 4444" in text_of(page.select_one(SUCCESS_MESSAGE))
    assert text_of(page.select_one("#payment-method")) == "Mastercard •••• 4444"
    assert db.session.query(PaymentTransaction).count() == 1  # the order only: nothing was charged
    # The next renewal charges the new card, even though the old one now declines.
    db.session.query(SimulatedStoredMethod).filter_by(label="Visa •••• 1111").update({"refuses": True})
    db.session.commit()
    assert db.session.query(Subscription).one().stored_method_id != old
    clock.freeze(subscriber.current_period_end + timedelta(minutes=1))
    renewals.run(app.extensions["payment_gateway"], renewals.DunningPolicy(), db.session.commit)
    renewal_charge = db.session.query(PaymentTransaction).order_by(PaymentTransaction.id.desc()).first()
    assert (renewal_charge.kind, renewal_charge.method_label) == ("charge", "Mastercard •••• 4444")


def test_a_refused_new_card_leaves_the_old_method_in_place(client, subscriber):
    hosted = replace(client).headers["Location"].removeprefix(flow.BASE)
    page = come_back(client, hosted, flow.REFUSED_CARD)
    assert "restent prélevés sur Visa •••• 1111" in text_of(page.main)
    assert text_of(page.select_one("#payment-method")) == "Visa •••• 1111"
    assert db.session.query(PaymentMethodUpdate).one().status == MethodUpdateStatus.FAILED


def test_without_the_notification_the_status_query_stores_the_new_method(app, client, subscriber, monkeypatch):
    monkeypatch.setattr(app.extensions["payment_gateway"], "_deliver", lambda body: None)  # the webhook is late
    hosted = replace(client, "paypal").headers["Location"].removeprefix(flow.BASE)
    landing = client.post(hosted, data={"choice-approve": "y"}).headers["Location"].removeprefix(flow.BASE)
    page = flow.soup(client.get(landing, follow_redirects=True))
    assert text_of(page.select_one("#payment-method")) == "PayPal"
    assert db.session.query(PaymentMethodUpdate).one().status == MethodUpdateStatus.STORED


def test_a_cancelled_subscription_has_no_method_to_replace(client, subscriber):
    client.post("/compte/parametres/premium/resilier")
    assert db.session.query(Subscription).one().status == SubscriptionStatus.CANCELLING
    page = flow.soup(client.get("/compte/parametres/premium"))
    assert page.select_one("form#replace-payment-method") is None
    assert replace(client).status_code == 404


@pytest.mark.clause("CGS-2.1-D2")
def test_the_premium_tab_shows_the_referral_credit_taken_off_the_next_renewal(client, subscriber):
    def reward(amount):
        db.session.add(ReferralReward(referrer_id=subscriber.user_id, order_id=subscriber.order_id,
                                      amount_cents=amount, created_at=clock.now(), earned_at=clock.now()))
        db.session.commit()

    reward(1500)
    page = flow.soup(client.get("/compte/parametres/premium"))
    next_renewal = text_of(page.select_one("#next-renewal")).replace("\u00a0", " ")
    assert "28 février 2027 : 5,00 € TTC" in next_renewal
    assert "dont 15,00 € payés par votre crédit de parrainage" in next_renewal
    assert page.select_one("#referral-credit") is None  # nothing left beyond the next renewal
    db.session.query(ReferralReward).delete()
    reward(4500)
    page = flow.soup(client.get("/compte/parametres/premium"))
    assert "0,00 € TTC" in text_of(page.select_one("#next-renewal")).replace("\u00a0", " ")
    assert text_of(page.select_one("#referral-credit")).replace("\u00a0", " ") == (
        "25,00 € restants pour les renouvellements suivants")
