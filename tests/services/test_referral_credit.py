"""Referral rewards are spent on the referrer's own renewals (art. 4)."""

from datetime import timedelta

import pytest

from app.extensions import db
from app.models import Invoice, PaymentTransaction, ReferralReward, Renewal, SimulatedCharge
from app.models.commerce import SubscriptionStatus
from app.models.payment import RenewalStatus, TransactionKind
from app.services.billing import referrals
from app.services.common import clock
from tests.billing_runs import run, subscribe
from tests.conftest import make_user
from tests.factories import OrderFactory


def earn(referrer_id: int, times: int = 1, amount: int = 1000) -> None:
    for _ in range(times):
        referred = make_user(f"friend{referrer_id}-{db.session.query(ReferralReward).count()}@example.org")
        order = OrderFactory(user=referred, reference=f"CMD-R-{referred.id}", idempotency_key=f"r-{referred.id}",
                             referrer_id=referrer_id)
        db.session.add(ReferralReward(referrer_id=referrer_id, order_id=order.id, amount_cents=amount,
                                      created_at=clock.now(), earned_at=clock.now()))
    db.session.commit()


def renew(gateway, subscription) -> Renewal:
    clock.freeze(subscription.current_period_end + timedelta(minutes=1))
    run(gateway)
    return db.session.query(Renewal).order_by(Renewal.id.desc()).first()


@pytest.mark.clause("CGS-4-01")
def test_a_referral_reward_is_deducted_from_the_referrers_next_renewal(gateway):
    subscription = subscribe()
    earn(subscription.user_id)
    renewal = renew(gateway, subscription)
    assert (renewal.amount_cents, renewal.referral_credit_cents) == (1000, 1000)
    charge = db.session.query(PaymentTransaction).filter_by(kind=TransactionKind.CHARGE).one()
    assert charge.amount_cents == 1000
    invoice = db.session.query(Invoice).filter_by(transaction_id=charge.id).one()
    assert (invoice.amount_ttc_cents, invoice.referral_credit_cents, invoice.amount_before_discount_cents) == (
        1000, 1000, 2000)
    assert db.session.query(ReferralReward).one().used_at is not None
    assert renew(gateway, subscription).amount_cents == 2000  # spent: the month after is at full price


@pytest.mark.clause("CGS-4-01")
def test_a_credit_larger_than_the_month_pays_it_all_and_the_rest_waits(gateway):
    subscription = subscribe()
    earn(subscription.user_id, times=3)  # 30 € for a 20 € month
    charged = []
    renewal = renew(gateway, subscription)
    assert (renewal.amount_cents, renewal.referral_credit_cents, renewal.status) == (0, 2000, RenewalStatus.PAID)
    assert referrals.available_credit(subscription.user_id) == 1000
    charged.append(renewal.amount_cents)
    renewal = renew(gateway, subscription)
    charged.append(renewal.amount_cents)
    assert charged == [0, 1000]
    free_month = db.session.query(PaymentTransaction).filter_by(provider=referrals.CREDIT_PROVIDER).one()
    assert free_month.amount_cents == 0 and free_month.method_label is None
    invoice = db.session.query(Invoice).filter_by(transaction_id=free_month.id).one()
    assert invoice.payment_method_label == "crédit de parrainage"
    asked = [charge.amount_cents for charge in db.session.query(SimulatedCharge).filter_by(kind="payment")]
    assert asked == [1000]  # the provider was never asked for 0 €


def test_the_credit_comes_after_the_promo_and_never_below_zero(gateway):
    subscription = subscribe(discount=500, discounted_months=2)
    earn(subscription.user_id, amount=2000)
    renewal = renew(gateway, subscription)
    assert (renewal.amount_cents, renewal.discount_cents, renewal.referral_credit_cents) == (0, 500, 1500)
    assert referrals.available_credit(subscription.user_id) == 500


def test_the_credit_of_a_month_never_paid_is_given_back_when_the_subscription_ends(app, gateway):
    subscription = subscribe(refuses=True)
    earn(subscription.user_id)
    renewal = renew(gateway, subscription)
    assert renewal.status == RenewalStatus.FAILED and renewal.referral_credit_cents == 1000
    assert referrals.available_credit(subscription.user_id) == 0  # held while the month is being collected
    for days in (2, 4, 8, 11, 31):
        clock.freeze(renewal.period_start + timedelta(days=days))
        run(gateway)
    assert subscription.status == SubscriptionStatus.ENDED
    assert referrals.available_credit(subscription.user_id) == 1000
    assert db.session.query(ReferralReward).one().used_at is None


def test_a_referral_is_rewarded_once_per_paid_order(app, client):
    from tests import checkout_flow as flow

    referrer = make_user("referrer@example.org")
    db.session.commit()
    client.get(f"/parrainage/{referrer.referral_code}")
    flow.buy_solo(client)
    reward = db.session.query(ReferralReward).one()
    assert (reward.referrer_id, reward.amount_cents) == (referrer.id, app.config["REFERRAL_REWARD_CENTS"])
    assert referrals.available_credit(referrer.id) == 0  # pending while the referred learner may withdraw
    clock.freeze(reward.earned_at + timedelta(seconds=1))
    assert referrals.available_credit(referrer.id) == app.config["REFERRAL_REWARD_CENTS"]
