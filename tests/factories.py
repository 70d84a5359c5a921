"""Test data made straight in the database: learners, staff, minors, orders, paid subscriptions and their charges.

The factories write on `db.session` looked up at each call: tests/conftest.py swaps it for a session on a
rolled-back connection for every test. Learners are registered by the accounts service, and subscriptions
activated by the subscriptions service, so that what a test starts from is what the portal itself records; the
factories only persist (flush), the named helpers at the end commit as a finished checkout would.
"""

import secrets
from datetime import date, datetime, timedelta

import factory
from factory.alchemy import SQLAlchemyModelFactory

from app.extensions import db
from app.models import Invoice, Order, Parcours, PaymentTransaction, SimulatedStoredMethod, Subscription, User
from app.models.commerce import OfferKind, OrderStatus, SubscriptionStatus
from app.models.payment import TransactionKind
from app.services.accounts import users
from app.services.commerce import legal_periods, subscriptions
from app.services.common import clock
from app.services.common.periods import add_months

PASSWORD = "une phrase de passe solide"
PLUS_PARCOURS = "developpeur-application-python"
CARD_LABEL = "Visa •••• 1111"


def _session():
    return db.session


def _plus_parcours() -> Parcours:
    return db.session.query(Parcours).filter_by(slug=PLUS_PARCOURS).one()


def _sixteen_years_ago() -> date:
    today = clock.now().date()
    return today.replace(year=today.year - 16) - timedelta(days=1)


class ModelFactory(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = _session
        sqlalchemy_session_persistence = "flush"


class UserFactory(factory.Factory):
    """A learner registered as the sign-up form registers one (password hashed, referral code given); `staff`
    for a student success team member, `minor` for a sixteen-year-old."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"apprenant{n}@example.org")
    first_name = "Léa"
    last_name = "Martin"
    password = PASSWORD
    date_of_birth = date(1995, 4, 12)
    country = "FR"
    under_legal_protection = False
    locale = "fr"
    is_staff = False

    class Params:
        staff = factory.Trait(is_staff=True, first_name="Sofia", last_name="Succès")
        minor = factory.Trait(date_of_birth=factory.LazyFunction(_sixteen_years_ago))

    @classmethod
    def _create(cls, model_class: type[User], *, is_staff: bool, verified: bool = True, **signup) -> User:
        user = users.register(users.SignupData(**signup))
        user.is_staff = is_staff
        if verified:  # as if the welcome mail's link had been opened; `verified=False` for one not opened yet
            user.email_verified_at = clock.now()
        db.session.flush()
        return user


class OrderFactory(ModelFactory):
    """A paid Premium Solo order (`plus`: Premium Plus on the Python Parcours); `billed` adds a billing address."""

    class Meta:
        model = Order

    user = factory.SubFactory(UserFactory)
    offer = OfferKind.SOLO
    parcours = None
    reference = factory.LazyAttribute(lambda order: f"CMD-T-{order.user.id}-{order.offer}")
    idempotency_key = factory.LazyAttribute(lambda order: f"k{order.user.id}{order.offer}")
    status = OrderStatus.PAID
    created_at = factory.LazyFunction(clock.now)
    monthly_price_cents = factory.LazyAttribute(lambda order: 30000 if order.parcours else 2000)

    class Params:
        plus = factory.Trait(offer=OfferKind.PLUS, parcours=factory.LazyFunction(_plus_parcours))
        billed = factory.Trait(billing_name="Ana Lopez", billing_address="12 rue des Écoles",
                               billing_postal_code="75005", billing_city="Paris", billing_country="FR")


class SubscriptionFactory(factory.Factory):
    """A subscription paid by card at `paid_at` and activated by the subscriptions service, then put in `status`
    (traits: cancelling, past_due, suspended, ended, withdrawn); `plus` for Premium Plus, `due` for one whose
    first month ends now, so that the next billing run renews it."""

    class Meta:
        model = Subscription

    order = factory.SubFactory(OrderFactory)
    paid_at = factory.LazyFunction(clock.now)
    stored_method_id = "tok"
    method_label = CARD_LABEL
    status = SubscriptionStatus.ACTIVE

    class Params:
        plus = factory.Trait(order__plus=True)
        due = factory.Trait(paid_at=factory.LazyFunction(lambda: add_months(clock.now(), -1)))
        cancelling = factory.Trait(status=SubscriptionStatus.CANCELLING)
        past_due = factory.Trait(status=SubscriptionStatus.PAST_DUE)
        suspended = factory.Trait(status=SubscriptionStatus.SUSPENDED)
        ended = factory.Trait(status=SubscriptionStatus.ENDED)
        withdrawn = factory.Trait(status=SubscriptionStatus.WITHDRAWN)

    @classmethod
    def _create(cls, model_class: type[Subscription], *, order: Order, paid_at: datetime,
                stored_method_id: str | None, method_label: str | None,
                status: SubscriptionStatus) -> Subscription:
        subscription = subscriptions.create_paid(order, paid_at, stored_method_id, method_label)
        subscription.status = status
        if status == SubscriptionStatus.REFLECTION:  # as the checkout leaves it: the period has its end
            subscription.reflection_ends_at = subscription.accepted_at + legal_periods.REFLECTION_PERIOD
        db.session.flush()
        return subscription


class PaymentTransactionFactory(ModelFactory):
    """The simulated provider's charge of a subscription's month (`subscription` makes a paid Solo one)."""

    class Meta:
        model = PaymentTransaction
        exclude = ("subscription",)

    subscription = factory.SubFactory(SubscriptionFactory)
    kind = TransactionKind.CHARGE
    user_id = factory.SelfAttribute("subscription.user_id")
    order_id = factory.SelfAttribute("subscription.order_id")
    subscription_id = factory.SelfAttribute("subscription.id")
    amount_cents = 2000
    provider = "simulated"
    psp_reference = factory.LazyFunction(lambda: secrets.token_hex(8))
    merchant_reference = factory.SelfAttribute("subscription.order.reference")
    method_label = CARD_LABEL
    created_at = factory.LazyFunction(clock.now)


class StoredMethodFactory(ModelFactory):
    """A card the simulated provider keeps for `user`'s renewals (`refuses`: every charge on it fails)."""

    class Meta:
        model = SimulatedStoredMethod

    token = factory.LazyAttribute(lambda method: f"SIMTOKEN-{method.user.id}")
    shopper_reference = factory.LazyAttribute(lambda method: subscriptions.shopper_reference(method.user.id))
    label = CARD_LABEL
    refuses = False
    created_at = factory.LazyFunction(clock.now)

    class Params:
        user = None


# --- the named starting points of many tests ------------------------------------------------------------------

def make_user(email: str = "lea.martin@example.org", *, born: date = date(1995, 4, 12), country: str = "FR",
              protected: bool = False, password: str = PASSWORD) -> User:
    """A learner (Léa Martin unless renamed), committed."""
    user = UserFactory(email=email, date_of_birth=born, country=country, under_legal_protection=protected,
                       password=password)
    db.session.commit()
    return user


def make_staff(email: str = "equipe@example.org") -> User:
    """A member of the student success team, committed."""
    user = UserFactory(staff=True, email=email)
    db.session.commit()
    return user


def subscribe(user: User, status: SubscriptionStatus = SubscriptionStatus.ACTIVE, offer: OfferKind = OfferKind.SOLO,
              parcours: Parcours | None = None) -> Subscription:
    """A paid subscription of `user` (Premium Plus on `parcours`, or Premium Solo), put in `status`."""
    return SubscriptionFactory(order__user=user, order__offer=offer, order__parcours=parcours, status=status)


def subscriber(email: str, first_name: str = "Léa", last_name: str = "Martin",
               status: SubscriptionStatus = SubscriptionStatus.ACTIVE, offer: OfferKind = OfferKind.SOLO,
               parcours: Parcours | None = None, locale: str = "fr") -> User:
    """A new learner with a subscription in `status` (by default one that gives access), committed."""
    user = UserFactory(email=email, first_name=first_name, last_name=last_name, locale=locale)
    subscribe(user, status, offer, parcours)
    db.session.commit()
    return user


def paid_subscription(user: User, amount_cents: int = 2000, discount_cents: int = 0,
                      label: str = CARD_LABEL) -> tuple[Subscription, PaymentTransaction]:
    """A billed Solo order paid now, its subscription and its charge, without the invoice (the tests issue it)."""
    # A draft order, as the invoice tests always made it: invoicing reads the subscription and the charge only.
    order = OrderFactory(user=user, billed=True, status=OrderStatus.DRAFT, reference=f"CMD-{secrets.token_hex(4)}",
                         idempotency_key=secrets.token_hex(16), monthly_price_cents=amount_cents + discount_cents,
                         discount_cents=discount_cents, discounted_months=1 if discount_cents else 0)
    subscription = SubscriptionFactory(order=order, stored_method_id="TOKEN", method_label=label)
    charge = PaymentTransactionFactory(subscription=subscription, amount_cents=amount_cents, method_label=label)
    return subscription, charge


def refund_of(invoice: Invoice, amount_cents: int | None = None) -> PaymentTransaction:
    """The refund of `invoice`'s charge, in full or of `amount_cents`."""
    return PaymentTransactionFactory(
        subscription=None, kind=TransactionKind.REFUND, user_id=invoice.user_id, order_id=invoice.order_id,
        subscription_id=invoice.subscription_id,
        amount_cents=invoice.amount_ttc_cents if amount_cents is None else amount_cents,
        merchant_reference="REFUND", method_label=None)
