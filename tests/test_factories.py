"""The test data factories make what their traits say, through the services the portal itself uses."""

from datetime import datetime

from app.models.commerce import OfferKind, SubscriptionStatus
from app.models.payment import TransactionKind
from app.services.accounts import users
from app.services.commerce import subscriptions
from app.services.common import clock
from tests.factories import PaymentTransactionFactory, SubscriptionFactory, UserFactory, paid_subscription


def test_a_learner_staff_member_and_minor():
    learner, staff, minor = UserFactory(), UserFactory(staff=True), UserFactory(minor=True)
    assert (learner.first_name, learner.is_staff, learner.referral_code is not None) == ("Léa", False, True)
    assert (staff.first_name, staff.is_staff) == ("Sofia", True)
    assert users.age_on(minor.date_of_birth, clock.now().date()) == 16
    assert users.age_on(learner.date_of_birth, clock.now().date()) >= 18


def test_solo_and_plus_subscriptions_in_the_status_their_trait_names():
    solo, plus = SubscriptionFactory(), SubscriptionFactory(plus=True, past_due=True)
    assert (solo.offer, solo.status, solo.monthly_price_cents, solo.parcours) == (
        OfferKind.SOLO, SubscriptionStatus.ACTIVE, 2000, None)
    assert (plus.offer, plus.status, plus.monthly_price_cents, plus.parcours.slug) == (
        OfferKind.PLUS, SubscriptionStatus.PAST_DUE, 30000, "developpeur-application-python")
    assert subscriptions.has_premium_access(solo.user_id)


def test_a_subscription_due_for_renewal_ends_its_first_month_now():
    clock.freeze(datetime(2027, 3, 15, 10, 0, tzinfo=clock.PARIS))
    due = SubscriptionFactory(due=True)
    assert due.current_period_start == datetime(2027, 2, 15, 10, 0, tzinfo=clock.PARIS)
    assert due.current_period_end == clock.now()


def test_a_charge_belongs_to_its_subscription_and_order():
    charge = PaymentTransactionFactory()
    subscription, paid = paid_subscription(UserFactory(), amount_cents=1500, discount_cents=500)
    assert charge.kind == TransactionKind.CHARGE and charge.subscription_id is not None
    assert (paid.amount_cents, paid.order_id, paid.subscription_id) == (1500, subscription.order_id, subscription.id)
    assert subscription.order.billing_city == "Paris"
