"""Renewals and unpaid subscriptions, with the clock moved across months (art. 2.1 d, 2.2 g, 3.2)."""

from datetime import datetime, timedelta

import pytest

from app.extensions import db
from app.models import Invoice, PaymentTransaction, Renewal, SimulatedCharge
from app.models.commerce import SubscriptionStatus
from app.models.payment import RenewalStatus, TransactionKind
from app.services.commerce import subscriptions
from app.services.common import clock
from app.services.payments.gateway import Outcome, PaymentResult
from tests.billing_runs import run, subscribe


@pytest.mark.clause("CGS-2.1-D1")
def test_a_subscription_renews_each_month_at_its_locked_price(gateway):
    subscription = subscribe()
    assert subscription.current_period_end == datetime(2027, 2, 28, 10, 0, tzinfo=clock.PARIS)
    clock.freeze(datetime(2027, 2, 28, 10, 5, tzinfo=clock.PARIS))
    report = run(gateway)
    assert report.renewed == 1
    assert subscription.current_period_end == datetime(2027, 3, 28, 10, 0, tzinfo=clock.PARIS)
    charge = db.session.query(PaymentTransaction).filter_by(kind=TransactionKind.CHARGE).one()
    assert charge.amount_cents == 2000


@pytest.mark.clause("CGS-2.2-G1")
def test_a_premium_plus_subscription_renews_tacitly_each_month_at_its_parcours_price(gateway):
    subscription = subscribe(plus=True)
    monthly = subscription.monthly_price_cents
    assert subscriptions.is_plus(subscription.offer) and monthly == subscription.order.parcours.monthly_price_cents
    for month_end in (datetime(2027, 2, 28, 10, 5, tzinfo=clock.PARIS), datetime(2027, 3, 28, 10, 5,
                                                                                  tzinfo=clock.PARIS)):
        clock.freeze(month_end)
        assert run(gateway).renewed == 1  # nothing to do on the learner's side: renewed tacitly
    assert subscription.status == SubscriptionStatus.ACTIVE
    assert subscription.current_period_end == datetime(2027, 4, 28, 10, 0, tzinfo=clock.PARIS)
    charges = db.session.query(PaymentTransaction).filter_by(kind=TransactionKind.CHARGE).all()
    assert [charge.amount_cents for charge in charges] == [monthly, monthly]


def test_running_twice_in_a_row_does_nothing_the_second_time(gateway):
    subscribe()
    clock.freeze(datetime(2027, 3, 1, 9, 0, tzinfo=clock.PARIS))
    assert run(gateway).renewed == 1
    assert run(gateway).renewed == 0
    assert db.session.query(Renewal).count() == 1


def test_nothing_is_charged_before_the_end_of_the_period(gateway):
    subscribe()
    clock.freeze(datetime(2027, 2, 28, 9, 59, tzinfo=clock.PARIS))
    assert run(gateway).renewed == 0


def test_a_promo_applies_to_its_first_months_only(gateway):
    subscription = subscribe(discount=500, discounted_months=2)  # month 1 was paid discounted at the order
    amounts = []
    for _month in (2, 3, 4):
        clock.freeze(subscription.current_period_end + timedelta(minutes=1))
        run(gateway)
        amounts.append(db.session.query(Renewal).order_by(Renewal.id.desc()).first().amount_cents)
    assert amounts == [1500, 2000, 2000]


@pytest.mark.clause("CGS-2.1-D3")
def test_a_cancelled_subscription_ends_with_its_period_and_is_not_charged_again(gateway):
    subscription = subscribe()
    clock.freeze(datetime(2027, 2, 10, 12, 0, tzinfo=clock.PARIS))
    subscriptions.cancel(subscription)
    db.session.commit()
    assert subscriptions.has_premium_access(subscription.user_id)  # the month started is kept
    clock.freeze(datetime(2027, 2, 28, 10, 1, tzinfo=clock.PARIS))
    report = run(gateway)
    assert report.renewed == 0 and report.ended == 1
    assert subscription.status == SubscriptionStatus.ENDED
    assert not subscriptions.has_premium_access(subscription.user_id)
    assert db.session.query(PaymentTransaction).count() == 0


@pytest.mark.clause("CGS-2.2-G3")
def test_a_cancelled_premium_plus_subscription_keeps_its_started_month_and_ends_with_it(gateway):
    subscription = subscribe(plus=True)
    clock.freeze(datetime(2027, 2, 10, 12, 0, tzinfo=clock.PARIS))
    assert subscriptions.can_cancel(subscription)
    subscriptions.cancel(subscription)
    db.session.commit()
    assert subscription.status == SubscriptionStatus.CANCELLING
    assert subscriptions.has_premium_access(subscription.user_id)  # the month started is due, and kept
    clock.freeze(datetime(2027, 2, 28, 9, 59, tzinfo=clock.PARIS))
    assert run(gateway).ended == 0 and subscriptions.has_premium_access(subscription.user_id)
    clock.freeze(datetime(2027, 2, 28, 10, 1, tzinfo=clock.PARIS))
    report = run(gateway)
    assert report.renewed == 0 and report.ended == 1
    assert subscription.status == SubscriptionStatus.ENDED
    assert not subscriptions.has_premium_access(subscription.user_id)
    assert db.session.query(PaymentTransaction).count() == 0  # nothing refunded of the month started, nothing more


def test_cancellation_can_be_undone_before_the_end_of_the_period(gateway):
    subscription = subscribe()
    subscriptions.cancel(subscription)
    subscriptions.undo_cancel(subscription)
    db.session.commit()
    clock.freeze(datetime(2027, 2, 28, 10, 1, tzinfo=clock.PARIS))
    assert run(gateway).renewed == 1


@pytest.mark.clause("CGS-3.2-01")
def test_a_refused_renewal_is_retried_then_suspended_then_ended(app, gateway):
    subscription = subscribe(refuses=True)
    clock.freeze(datetime(2027, 2, 28, 10, 1, tzinfo=clock.PARIS))
    assert run(gateway).refused == 1
    assert subscription.status == SubscriptionStatus.PAST_DUE
    assert subscriptions.has_premium_access(subscription.user_id)  # grace period
    renewal = db.session.query(Renewal).one()
    assert renewal.next_try_at == subscription.past_due_since + timedelta(days=1)
    tries = []
    for day in (1, 3, 7):
        clock.freeze(subscription.past_due_since + timedelta(days=day, minutes=1))
        run(gateway)
        tries.append(db.session.query(Renewal).one().tries)
    assert tries == [2, 3, 4]
    assert db.session.query(PaymentTransaction).filter_by(kind=TransactionKind.FAILURE).count() == 4
    clock.freeze(subscription.past_due_since + timedelta(days=10, minutes=1))
    run(gateway)
    assert subscription.status == SubscriptionStatus.SUSPENDED
    assert not subscriptions.has_premium_access(subscription.user_id)
    clock.freeze(subscription.past_due_since + timedelta(days=30, minutes=1))
    run(gateway)
    assert subscription.status == SubscriptionStatus.ENDED


def test_an_unknown_outcome_is_resumed_with_the_same_key_and_never_charged_twice(gateway, monkeypatch):
    subscribe()
    clock.freeze(datetime(2027, 3, 1, 9, 0, tzinfo=clock.PARIS))
    keys = []
    real = gateway.charge_stored_method

    def timeout_then_real(charge):
        keys.append(charge.idempotency_key)
        if len(keys) == 1:
            return PaymentResult(Outcome.UNKNOWN)
        return real(charge)

    monkeypatch.setattr(gateway, "charge_stored_method", timeout_then_real)
    assert run(gateway).pending == 1
    assert db.session.query(Renewal).one().status == RenewalStatus.PENDING
    assert run(gateway).renewed == 1
    assert keys[0] == keys[1]
    assert db.session.query(PaymentTransaction).filter_by(kind=TransactionKind.CHARGE).count() == 1


class WorkerKilled(BaseException):
    """A worker killed by the system: nothing after it runs in that process, no `except Exception` catches it."""


@pytest.mark.parametrize("dies", ["before the provider is asked", "after the provider charged"])
def test_a_billing_run_killed_mid_way_resumes_and_charges_once(gateway, monkeypatch, dies):
    subscription = subscribe()
    clock.freeze(datetime(2027, 3, 1, 9, 0, tzinfo=clock.PARIS))
    real = gateway.charge_stored_method

    def killed(charge):
        if dies == "after the provider charged":
            real(charge)
            db.session.commit()  # the provider's own books: they keep the payment whatever happens to the worker
        raise WorkerKilled

    monkeypatch.setattr(gateway, "charge_stored_method", killed)
    with pytest.raises(WorkerKilled):
        run(gateway)
    db.session.rollback()  # what the dead worker had not committed is gone
    monkeypatch.undo()
    assert db.session.query(Renewal).one().status == RenewalStatus.PENDING  # committed before the provider call

    assert run(gateway).renewed == 1
    assert db.session.query(SimulatedCharge).filter_by(kind="payment").count() == 1  # the provider charged once
    charges = db.session.query(PaymentTransaction).filter_by(kind=TransactionKind.CHARGE).all()
    assert [charge.amount_cents for charge in charges] == [2000]
    assert db.session.query(Invoice).filter_by(user_id=subscription.user_id).count() == 1
    assert run(gateway).renewed == 0


@pytest.mark.clause("CGS-3.2-02")
def test_an_overdue_renewal_shows_its_late_interest_and_the_recovery_fee(gateway):
    from app.services.billing import summary

    subscription = subscribe(refuses=True)
    clock.freeze(datetime(2027, 2, 28, 10, 1, tzinfo=clock.PARIS))
    run(gateway)
    clock.freeze(datetime(2027, 3, 30, 12, 0, tzinfo=clock.PARIS))
    statement = summary.overdue(subscription)
    assert statement.amount_cents == 2000 and statement.recovery_fee_cents == 4000
    assert statement.interest_cents > 0


def test_the_billing_command_reports_what_it_did(app):
    subscribe()
    clock.freeze(datetime(2027, 3, 1, 9, 0, tzinfo=clock.PARIS))
    output = app.test_cli_runner().invoke(args=["billing", "run"]).output
    assert "Renewals paid: 1, refused: 0" in output
    assert "Renewals paid: 0" in app.test_cli_runner().invoke(args=["billing", "run"]).output


def test_the_billing_command_writes_plain_progress_lines_to_a_log(app):
    """Run by cron, its output goes to a file: a line at each tenth of the work, no terminal control codes."""
    for _ in range(20):
        subscribe()
    clock.freeze(datetime(2027, 3, 1, 9, 0, tzinfo=clock.PARIS))
    output = app.test_cli_runner().invoke(args=["billing", "run"]).output
    lines = [line for line in output.splitlines() if line.startswith("Renewals: ")]
    assert lines == [f"Renewals: {done} / 20" for done in range(2, 21, 2)]
    assert "\r" not in output and "\x1b" not in output


@pytest.mark.clause("CGS-3.3-01")
def test_a_renewals_invoice_carries_the_billing_name_and_address_given_at_the_order(gateway):
    subscription = subscribe()
    order = subscription.order
    order.billing_name, order.billing_address = "Ana Lopez", "12 rue des Écoles"
    order.billing_postal_code, order.billing_city, order.billing_country = "75005", "Paris", "FR"
    db.session.commit()
    clock.freeze(datetime(2027, 2, 28, 10, 0, tzinfo=clock.PARIS))
    assert run(gateway).renewed == 1
    invoice = db.session.query(Invoice).filter_by(subscription_id=subscription.id).one()
    assert invoice.customer_name == "Ana Lopez"
    assert invoice.customer_address.splitlines() == ["12 rue des Écoles", "75005 Paris", "France"]
