""""Régler" (paying an overdue month at once): refused once the subscription has ended, a payment that still
arrives afterwards is refunded at once, and "Régler" racing the billing run never charges twice."""

from datetime import datetime, timedelta

import pytest

from app.extensions import db
from app.models import Invoice, PaymentTransaction, Renewal, SimulatedCharge, SimulatedStoredMethod, Subscription
from app.models.commerce import SubscriptionStatus
from app.models.payment import RenewalStatus, TransactionKind
from app.services.billing import renewals
from app.services.commerce import subscriptions
from app.services.common import clock
from tests import checkout_flow as flow
from tests.banners import PROBLEM_MESSAGE
from tests.conftest import text_of

REGLER = "/compte/parametres/premium/regler"


@pytest.fixture
def overdue(app, client):
    """A Solo subscriber whose card declined the first renewal: past due, "Régler" offered."""
    clock.freeze(datetime(2027, 1, 31, 10, 0, tzinfo=clock.PARIS))
    flow.buy_solo(client)
    subscription = db.session.query(Subscription).one()
    db.session.query(SimulatedStoredMethod).update({"refuses": True})
    db.session.commit()
    clock.freeze(subscription.current_period_end + timedelta(minutes=1))
    run(app)
    assert subscription.status == SubscriptionStatus.PAST_DUE
    return subscription


def run(app, commit=None):
    return renewals.run(app.extensions["payment_gateway"], renewals.DunningPolicy(), commit or db.session.commit)


def charges():
    return db.session.query(PaymentTransaction).filter_by(kind=TransactionKind.CHARGE).order_by(
        PaymentTransaction.id).all()


def test_regler_is_refused_with_its_reason_once_the_subscription_has_ended(app, client, overdue):
    clock.advance(timedelta(days=31))
    run(app)
    assert overdue.status == SubscriptionStatus.ENDED
    response = client.post(REGLER)
    assert response.headers["Location"] == "/compte/parametres/premium"
    page = flow.soup(client.get("/compte/parametres/premium"))
    assert "Votre abonnement a pris fin : il n'y a plus rien à régler" in text_of(page.select_one(PROBLEM_MESSAGE))
    assert db.session.query(Renewal).one().settle_session_id is None  # no payment page was opened


def test_a_regler_payment_that_arrives_after_the_end_is_refunded_at_once(app, client, overdue):
    hosted = client.post(REGLER).headers["Location"]
    clock.advance(timedelta(days=31))
    run(app)  # the page was left open; the subscription ends unpaid meanwhile
    assert overdue.status == SubscriptionStatus.ENDED
    client.get(client.post(hosted, data=flow.GOOD_CARD).headers["Location"].removeprefix(flow.BASE))
    subscription = db.session.query(Subscription).one()
    assert subscription.status == SubscriptionStatus.ENDED
    assert not subscriptions.has_premium_access(subscription.user_id)
    late = charges()[-1]
    assert late.subscription_id is None and late.reason == "refunded at once: subscription ended"
    refund = db.session.query(PaymentTransaction).filter_by(kind=TransactionKind.REFUND).one()
    assert (refund.original_id, refund.amount_cents) == (late.id, late.amount_cents)
    assert db.session.query(Invoice).count() == 1  # the order's only: nothing invoiced for the refunded payment
    assert db.session.query(Renewal).one().status != RenewalStatus.PAID


def test_regler_paid_between_the_billing_runs_commit_and_its_charge_is_never_charged_twice(app, client, overdue):
    hosted = client.post(REGLER).headers["Location"]
    db.session.query(SimulatedStoredMethod).update({"refuses": False})  # the retry would now succeed
    db.session.commit()
    clock.advance(timedelta(days=1, minutes=1))
    paid = []

    def commit_then_regler_pays():
        db.session.commit()
        renewal = db.session.query(Renewal).one()
        if not paid and renewal.status == RenewalStatus.PENDING:  # the run committed "pending", not charged yet
            paid.append(client.post(hosted, data=flow.GOOD_CARD).status_code)

    run(app, commit_then_regler_pays)
    assert paid == [302]
    renewal = db.session.query(Renewal).one()
    assert renewal.status == RenewalStatus.PAID
    assert [c.amount_cents for c in charges()] == [2000, 2000]  # the order, then the overdue month, once
    assert db.session.query(SimulatedCharge).filter_by(kind="payment").count() == 1  # the declined try only
    assert db.session.query(PaymentTransaction).filter_by(kind=TransactionKind.REFUND).count() == 0
