"""Subscribers made directly in the database, for tests whose subject comes after the checkout (the checkout
has tests of its own)."""

from app.extensions import db
from app.models import Order, Parcours, Subscription, User
from app.models.commerce import OfferKind, OrderStatus, SubscriptionStatus
from app.services import clock, subscriptions
from tests.conftest import make_user


def subscribe(user: User, status: SubscriptionStatus = SubscriptionStatus.ACTIVE, offer: OfferKind = OfferKind.SOLO,
              parcours: Parcours | None = None) -> Subscription:
    """A paid subscription of `user` (Premium Plus on `parcours`, or Premium Solo), put in `status`."""
    order = Order(user=user, offer=offer, parcours=parcours, reference=f"CMD-T-{user.id}-{offer}",
                  idempotency_key=f"k{user.id}{offer}", status=OrderStatus.PAID, created_at=clock.now(),
                  monthly_price_cents=30000 if parcours else 2000)
    db.session.add(order)
    db.session.flush()
    subscription = subscriptions.create_paid(order, clock.now(), "tok", "Visa •••• 1111")
    subscription.status = status
    db.session.flush()
    return subscription


def subscriber(email: str, first_name: str = "Léa", last_name: str = "Martin",
               status: SubscriptionStatus = SubscriptionStatus.ACTIVE, offer: OfferKind = OfferKind.SOLO,
               parcours: Parcours | None = None, locale: str = "fr") -> User:
    """A new learner with a subscription in `status` (by default one that gives access), committed."""
    user = make_user(email)
    user.first_name, user.last_name, user.locale = first_name, last_name, locale
    subscribe(user, status, offer, parcours)
    db.session.commit()
    return user
