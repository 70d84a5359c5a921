"""Referral rewards cannot be farmed: earned once the referred subscription is past its withdrawal period,
taken back when the referred payment is given back, never for the referrer's own card, address or mailbox."""

from datetime import datetime, timedelta

import pytest

from app.extensions import db
from app.models import Order, ReferralReward, Renewal, Subscription, User
from app.models.commerce import OrderStatus, SubscriptionStatus
from app.services.billing import referrals, renewals
from app.services.commerce import subscriptions
from app.services.common import clock
from tests import checkout_flow as flow


@pytest.fixture
def referrer(app):
    clock.freeze(datetime(2027, 1, 31, 10, 0, tzinfo=clock.PARIS))
    client = app.test_client()
    flow.buy_solo(client, email="parrain@example.org")
    return db.session.query(User).filter_by(email="parrain@example.org").one()


def referred_buys(app, referrer: User, email: str, address: str):
    client = app.test_client()
    client.get(f"/parrainage/{referrer.referral_code}")
    flow.buy_solo(client, billing_address=address, email=email)
    return client


def test_two_referred_accounts_that_pay_solo_and_withdraw_leave_no_reward(app, referrer):
    for index in range(2):
        client = referred_buys(app, referrer, f"filleul{index}@example.org", f"{index + 5} rue Neuve")
        assert referrals.available_credit(referrer.id) == 0  # pending while the referred may withdraw
        client.post("/compte/parametres/premium/retractation")
    assert db.session.query(Subscription).filter_by(status=SubscriptionStatus.WITHDRAWN).count() == 2
    assert all(reward.taken_back_at is not None for reward in db.session.query(ReferralReward))
    own = subscriptions.current_subscription(referrer.id)
    clock.freeze(own.current_period_end + timedelta(minutes=1))
    assert referrals.available_credit(referrer.id) == 0
    renewals.run(app.extensions["payment_gateway"], renewals.DunningPolicy(), db.session.commit)
    renewal = db.session.query(Renewal).filter_by(subscription_id=own.id).one()
    assert (renewal.amount_cents, renewal.referral_credit_cents) == (2000, 0)  # the full price


def test_a_referred_subscription_kept_past_its_withdrawal_period_pays_the_referrers_renewal(app, referrer):
    referred_buys(app, referrer, "filleul@example.org", "5 rue Neuve")
    reward = db.session.query(ReferralReward).one()
    clock.freeze(reward.earned_at - timedelta(minutes=1))
    assert referrals.available_credit(referrer.id) == 0
    clock.freeze(reward.earned_at + timedelta(minutes=1))
    assert referrals.available_credit(referrer.id) == app.config["REFERRAL_REWARD_CENTS"]


@pytest.mark.parametrize(("email", "address"), [
    ("Parrain+bis@Example.org", "5 rue Neuve"),  # the referrer's own mailbox
    ("filleul@example.org", "12, Rue des ÉCOLES"),  # the referrer's own billing address (12 rue des Écoles)
])
def test_no_reward_for_the_referrers_own_mailbox_or_address(app, referrer, email, address):
    referred_buys(app, referrer, email, address)
    assert db.session.query(Order).filter_by(status=OrderStatus.PAID).count() == 2
    assert db.session.query(ReferralReward).count() == 0


def test_no_reward_for_the_referrers_own_stored_card(app, referrer):
    own_card = subscriptions.current_subscription(referrer.id).stored_method_id
    friend = flow.start(app.test_client(), email="filleul@example.org")
    order = db.session.query(Order).filter_by(reference=friend).one()
    order.referrer_id, order.billing_address = referrer.id, "5 rue Neuve"
    referrals.reward(order, clock.now(), own_card)
    assert db.session.query(ReferralReward).count() == 0
    referrals.reward(order, clock.now(), "ANOTHER-CARD")
    assert db.session.query(ReferralReward).count() == 1
