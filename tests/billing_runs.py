"""Renewal runs from a test: a Solo subscription on a card the simulated provider keeps, the clock frozen at
its purchase, and the billing run with the default dunning policy."""

from datetime import datetime

from app.extensions import db
from app.models import Subscription
from app.services.billing import renewals
from app.services.common import clock
from tests.factories import OrderFactory, StoredMethodFactory, SubscriptionFactory, make_user

POLICY = renewals.DunningPolicy()


def subscribe(refuses: bool = False, at=datetime(2027, 1, 31, 10, 0, tzinfo=clock.PARIS), price=2000,
              discount=0, discounted_months=0, plus: bool = False) -> Subscription:
    """A Solo subscription (Premium Plus on a Parcours with `plus`, at that Parcours' price unless `price` is
    given) bought at `at` (the clock stays there) on a stored card that `refuses` or pays."""
    clock.freeze(at)
    user = make_user(f"learner{datetime.now().timestamp()}@example.org")
    prices = {} if plus and price == 2000 else {"monthly_price_cents": price}
    order = OrderFactory(user=user, reference=f"CMD-T-{user.id}", idempotency_key=f"k-{user.id}", plus=plus,
                         discount_cents=discount, discounted_months=discounted_months, **prices)
    card = StoredMethodFactory(user=user, refuses=refuses)
    subscription = SubscriptionFactory(order=order, stored_method_id=card.token)
    db.session.commit()
    return subscription


def run(gateway):
    return renewals.run(gateway, POLICY, db.session.commit)
