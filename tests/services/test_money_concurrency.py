"""Two deliveries at the same moment on PostgreSQL, each on its own connection: the same notification twice,
and "Régler" paid while the billing run retries the same month. Nothing is lost, nothing applied or charged
twice.

The threads need committed data, so these tests commit for real (invoices in 2032, a year no other test uses)
and delete every row they made at the end.
"""

import threading
import time
from datetime import datetime, timedelta

import pytest
from sqlalchemy import delete, func, select

from app.extensions import db
from app.models import (
    Invoice,
    InvoiceCounter,
    Order,
    PaymentTransaction,
    ProcessedNotification,
    Renewal,
    SimulatedPaymentSession,
    SimulatedStoredMethod,
    Subscription,
)
from app.models.commerce import OrderStatus
from app.models.payment import RenewalStatus, TransactionKind
from app.services.billing import renewals
from app.services.common import clock
from app.services.payments import adyen
from app.services.payments.simulated import CardEntry
from tests import checkout_flow as flow

YEAR = 2032


@pytest.fixture
def committed(app):
    """Outside the per-test rollback: a real session per app context, as in production; every row made by the
    test is deleted at the end (rows with an id above the largest one before the test)."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("two connections deciding at once need PostgreSQL's row locks: set TEST_DATABASE_URL")
    isolated = db.session
    db.session = db._make_scoped_session({})
    tables = [table for table in db.metadata.sorted_tables if "id" in table.columns]
    before = {table.name: db.session.scalar(select(func.coalesce(func.max(table.c.id), 0))) for table in tables}
    db.session.remove()
    try:
        yield
    finally:
        db.session.remove()
        for table in reversed(tables):
            db.session.execute(delete(table).where(table.c.id > before[table.name]))
        db.session.execute(delete(InvoiceCounter).where(InvoiceCounter.year == YEAR))
        db.session.commit()
        db.session.remove()
        db.session = isolated


def at_once(app, *targets) -> None:
    """Run each target in its own thread and app context (its own session and connection), released together."""
    start, errors = threading.Barrier(len(targets)), []

    def run(target):
        try:
            with app.app_context():
                start.wait()
                target()
                db.session.remove()
        except BaseException as error:  # noqa: BLE001 - reported in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors


@pytest.mark.parametrize("attempt", range(3))
def test_the_same_notification_delivered_twice_at_once_is_applied_once(app, committed, attempt):
    clock.freeze(datetime(YEAR, 1, 15, 10, 0, tzinfo=clock.PARIS))
    client = app.test_client()
    reference = flow.start(client, email=f"same-moment-{attempt}@example.org")
    flow.details(client, reference)
    flow.payment_step(client, reference)
    flow.validate(client, reference)
    item = {"eventCode": "AUTHORISATION", "success": "true", "pspReference": f"PSPTWICE{attempt}",
            "merchantReference": reference, "merchantAccountCode": "SimulatedMerchant",
            "eventDate": "2032-01-15T10:00:00+01:00", "amount": {"value": 2000, "currency": "EUR"}, "reason": ""}
    body = adyen.notification_body([item], app.extensions["payment_gateway"].hmac_key)
    answers = []
    clients = [app.test_client(), app.test_client()]

    def deliver(one):
        return lambda: answers.append(one.post("/webhooks/paiement", data=body, content_type="application/json"))

    at_once(app, deliver(clients[0]), deliver(clients[1]))
    assert [answer.get_data(as_text=True) for answer in answers] == ["[accepted]", "[accepted]"]
    order = db.session.scalar(select(Order).where(Order.reference == reference))
    assert order.status == OrderStatus.PAID
    assert db.session.scalar(select(func.count()).select_from(ProcessedNotification).where(
        ProcessedNotification.merchant_reference == reference)) == 1
    assert db.session.scalar(select(func.count()).select_from(PaymentTransaction).where(
        PaymentTransaction.order_id == order.id)) == 1
    assert db.session.scalar(select(func.count()).select_from(Invoice).where(Invoice.order_id == order.id)) == 1


@pytest.mark.parametrize("moment", ["between_the_runs_commit_and_its_charge", "while_the_run_charges"])
def test_regler_paid_while_the_billing_run_retries_the_month_is_charged_once(app, committed, monkeypatch, moment):
    gateway = app.extensions["payment_gateway"]
    clock.freeze(datetime(YEAR, 1, 15, 10, 0, tzinfo=clock.PARIS))
    client = app.test_client()
    flow.buy_solo(client, email=f"regler-race-{moment}@example.org")
    subscription = db.session.scalars(select(Subscription).order_by(Subscription.id.desc())).first()
    subscription_id, token = subscription.id, subscription.stored_method_id
    _card(token).refuses = True
    db.session.commit()
    clock.freeze(subscription.current_period_end + timedelta(minutes=1))
    renewals.run(gateway, renewals.DunningPolicy(), db.session.commit)  # declined: past due, "Régler" offered
    hosted = client.post("/compte/parametres/premium/regler").headers["Location"]
    session_id = hosted.rstrip("/").rsplit("/", 1)[1]
    _card(token).refuses = False  # the retry would succeed too
    db.session.commit()
    clock.advance(timedelta(days=1, minutes=1))
    db.session.remove()
    ready, paid = threading.Event(), threading.Event()
    commit = db.session.commit
    if moment == "while_the_run_charges":  # the run holds its locks while the provider answers
        charge = gateway.charge_stored_method

        def slow_charge(request):
            ready.set()
            time.sleep(0.5)
            return charge(request)

        monkeypatch.setattr(gateway, "charge_stored_method", slow_charge)
    else:  # "Régler" is paid once the run committed the retry as pending, before it asks the provider

        def commit():
            db.session.commit()
            if not ready.is_set() and db.session.scalar(select(Renewal.status).where(
                    Renewal.subscription_id == subscription_id)) == RenewalStatus.PENDING:
                ready.set()
                paid.wait(10)

    def billing_run():
        renewals.run(gateway, renewals.DunningPolicy(), commit)

    def regler_paid():
        ready.wait(10)
        session = db.session.scalar(select(SimulatedPaymentSession).where(
            SimulatedPaymentSession.session_id == session_id))
        gateway.pay_by_card(session, CardEntry("4111111111111111", "Ana Lopez", "03/35", "737"))
        db.session.commit()
        paid.set()

    at_once(app, billing_run, regler_paid)
    renewal = db.session.scalar(select(Renewal).where(Renewal.subscription_id == subscription_id))
    assert renewal.status == RenewalStatus.PAID
    user_id = db.session.get(Subscription, subscription_id).user_id
    rows = list(db.session.scalars(select(PaymentTransaction).where(
        PaymentTransaction.user_id == user_id, PaymentTransaction.merchant_reference.not_like("CMD-%"))))
    charged = sum(row.amount_cents for row in rows if row.kind == TransactionKind.CHARGE)
    given_back = sum(row.amount_cents for row in rows if row.kind == TransactionKind.REFUND)
    assert charged - given_back == 2000  # the overdue month, once
    assert db.session.scalar(select(func.count()).select_from(Invoice).where(
        Invoice.subscription_id == subscription_id)) == 2  # the order's, then the month's


def _card(token: str) -> SimulatedStoredMethod:
    return db.session.scalar(select(SimulatedStoredMethod).where(SimulatedStoredMethod.token == token))
