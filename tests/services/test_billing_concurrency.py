"""Two `flask billing run` workers at once on PostgreSQL: every subscription is charged once for its period.

The workers need committed data and their own connections, so this test commits for real (in its own year,
2031, so that no invoice series of another test is touched) and deletes everything it made at the end.
"""

import os
import threading
from datetime import datetime

import pytest
from sqlalchemy import delete, select

from app import jobs, processes
from app.extensions import db
from app.models import (
    Invoice,
    InvoiceCounter,
    Order,
    PaymentTransaction,
    Renewal,
    SimulatedCharge,
    SimulatedStoredMethod,
    Subscription,
    User,
    UserSession,
)
from app.models.mail import OutboxMessage
from app.models.payment import TransactionKind
from app.services.billing import renewals
from app.services.commerce import subscriptions
from app.services.common import clock
from tests.conftest import make_user
from tests.factories import OrderFactory, StoredMethodFactory, SubscriptionFactory

SUBSCRIBERS = 8
EMAIL = "concurrency-{}@example.org"


@pytest.fixture
def committed_session(app):
    """Outside the per-test rollback: a real session per app context, as in production."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("FOR UPDATE SKIP LOCKED is PostgreSQL's: set TEST_DATABASE_URL to a PostgreSQL database")
    isolated = db.session
    db.session = db._make_scoped_session({})
    try:
        yield
    finally:
        db.session.remove()
        _clean_up()
        db.session.remove()
        db.session = isolated


def _clean_up() -> None:
    users = list(db.session.scalars(select(User.id).where(User.email.like(EMAIL.format("%")))))
    subs = list(db.session.scalars(select(Subscription.id).where(Subscription.user_id.in_(users))))
    for statement in (
        delete(Invoice).where(Invoice.user_id.in_(users)),
        delete(InvoiceCounter).where(InvoiceCounter.year == 2031),
        delete(PaymentTransaction).where(PaymentTransaction.user_id.in_(users)),
        delete(Renewal).where(Renewal.subscription_id.in_(subs)),
        delete(Subscription).where(Subscription.id.in_(subs)),
        delete(Order).where(Order.user_id.in_(users)),
        delete(SimulatedCharge).where(SimulatedCharge.reference.like("REN-%")),
        delete(SimulatedStoredMethod).where(SimulatedStoredMethod.shopper_reference.in_(
            [subscriptions.shopper_reference(user_id) for user_id in users])),
        delete(OutboxMessage).where(OutboxMessage.recipient.like(EMAIL.format("%"))),
        delete(UserSession).where(UserSession.user_id.in_(users)),
        delete(User).where(User.id.in_(users)),
    ):
        db.session.execute(statement)
    db.session.commit()


def _subscribers() -> None:
    clock.freeze(datetime(2031, 1, 15, 10, 0, tzinfo=clock.PARIS))
    for index in range(SUBSCRIBERS):
        user = make_user(EMAIL.format(index))
        order = OrderFactory(user=user, reference=f"CMD-CONC-{index}", idempotency_key=f"conc-{index}")
        card = StoredMethodFactory(user=user, token=f"SIMTOKEN-CONC-{index}")
        SubscriptionFactory(order=order, stored_method_id=card.token)
    db.session.commit()


@pytest.mark.clause("CGS-2.1-D1")
def test_two_workers_at_once_charge_each_subscription_once_for_its_period(app, committed_session):
    _subscribers()
    clock.freeze(datetime(2031, 2, 15, 10, 5, tzinfo=clock.PARIS))
    gateway = app.extensions["payment_gateway"]
    start = threading.Barrier(2)
    reports, errors = [], []

    def worker():
        try:
            with app.app_context():
                start.wait()
                reports.append(renewals.run(gateway, renewals.DunningPolicy(), db.session.commit))
                db.session.remove()
        except BaseException as error:  # noqa: BLE001 - reported in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    users = select(User.id).where(User.email.like(EMAIL.format("%")))
    charges = list(db.session.scalars(select(PaymentTransaction).where(
        PaymentTransaction.user_id.in_(users), PaymentTransaction.kind == TransactionKind.CHARGE)))
    assert len(charges) == SUBSCRIBERS
    assert len({charge.subscription_id for charge in charges}) == SUBSCRIBERS
    assert sum(report.renewed for report in reports) == SUBSCRIBERS
    numbers = sorted(db.session.scalars(select(Invoice.number).where(Invoice.user_id.in_(users))))
    assert [int(number.rsplit("-", 1)[1]) for number in numbers] == list(range(1, SUBSCRIBERS + 1))


@pytest.mark.clause("CGS-2.1-D1")
def test_a_run_shared_between_processes_renews_each_subscription_once_and_renders_every_invoice(
        app, committed_session, monkeypatch):
    _subscribers()
    clock.freeze(datetime(2031, 2, 15, 10, 5, tzinfo=clock.PARIS))
    monkeypatch.setattr(processes, "CHUNK", 3)  # three chunks for two processes: one takes two of them

    outcome = jobs.run_billing(processes=2)

    users = select(User.id).where(User.email.like(EMAIL.format("%")))
    charges = list(db.session.scalars(select(PaymentTransaction).where(
        PaymentTransaction.user_id.in_(users), PaymentTransaction.kind == TransactionKind.CHARGE)))
    assert outcome.report.renewed == SUBSCRIBERS
    assert sorted(charge.subscription_id for charge in charges) == sorted(
        db.session.scalars(select(Subscription.id).where(Subscription.user_id.in_(users))))
    issued = list(db.session.scalars(select(Invoice).where(Invoice.user_id.in_(users))))
    assert sorted(int(invoice.number.rsplit("-", 1)[1]) for invoice in issued) == list(range(1, SUBSCRIBERS + 1))
    # The processes' invoices were handed back and rendered by the queue (immediate in the tests).
    assert all(invoice.pdf_sha256 for invoice in issued)


def test_the_run_is_shared_between_processes_on_postgresql_only(app, monkeypatch):
    """SQLite's writers wait for one another: a second process would only wait."""
    monkeypatch.setitem(app.config, "BILLING_PROCESSES", 0)  # one per CPU
    if db.engine.dialect.name == "sqlite":
        assert jobs.billing_processes(3) == jobs.billing_processes(None) == 1
    else:
        assert jobs.billing_processes(3) == 3
        assert jobs.billing_processes(None) == (os.cpu_count() or 1)
