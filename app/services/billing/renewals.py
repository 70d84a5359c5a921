"""Everything that falls due: renewals, retries of refused renewals, suspension and end of unpaid
subscriptions, end of cancelled ones (art. 2.1 d, 2.2 g, 3.2).

Safe to run twice in a row (the second run finds nothing due), from two workers at once (a subscription is
claimed with SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL; a period has one Renewal row; a payment has one
transaction row), and after a crash: a renewal is committed as pending, with its idempotency key, before the
provider is asked, and the next run resumes it with the same key.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import PaymentTransaction, Renewal, Subscription
from app.models.commerce import SubscriptionStatus
from app.models.payment import RenewalStatus, TransactionKind
from app.services import DomainError
from app.services.accounts import guardians
from app.services.billing import invoices, referrals, renewal_price
from app.services.commerce import checkout, subscription_mail, subscriptions
from app.services.common import clock, rows
from app.services.common.periods import add_months
from app.services.payments import references
from app.services.payments.gateway import (
    CheckoutRequest,
    HostedPayment,
    Outcome,
    PaymentError,
    PaymentGateway,
    PaymentMethod,
    PaymentResult,
    ProviderUnavailable,
    RecurringCharge,
    RefundRequest,
)

S = SubscriptionStatus


@dataclass(frozen=True)
class DunningPolicy:
    retry_days: tuple[int, ...] = (1, 3, 7)  # after the first refusal
    grace_days: int = 10  # then access is suspended
    end_after_days: int = 30  # then the subscription ends

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> "DunningPolicy":
        days = tuple(int(day) for day in str(config.get("DUNNING_RETRY_DAYS", "1,3,7")).split(",") if day.strip())
        return cls(days, int(config.get("DUNNING_GRACE_DAYS", 10)), int(config.get("DUNNING_END_AFTER_DAYS", 30)))


@dataclass
class RunReport:
    renewed: int = 0
    refused: int = 0
    pending: int = 0
    suspended: int = 0
    ended: int = 0

    def add(self, other: "RunReport") -> None:
        """Count in what another process did."""
        for counter in fields(self):
            setattr(self, counter.name, getattr(self, counter.name) + getattr(other, counter.name))


def _claim(subscription_id: int, *statuses: SubscriptionStatus, with_details: bool = True) -> Subscription | None:
    """Lock one subscription for this worker; None if another worker holds it or it changed meanwhile. Its
    learner and order come in the same statement (`with_details`): the invoice and the mails need them."""
    claim = select(Subscription).where(Subscription.id == subscription_id, Subscription.status.in_(statuses))
    if with_details:
        claim = claim.options(joinedload(Subscription.user, innerjoin=True),
                              joinedload(Subscription.order, innerjoin=True))
    return db.session.scalar(claim.with_for_update(of=Subscription, skip_locked=True))


def _period_end(subscription: Subscription) -> datetime:
    """A subscription that renews has a current period (only a Premium Plus one in its reflection period has
    none, and it is never renewed)."""
    assert subscription.current_period_end is not None
    return subscription.current_period_end


def _ids(statement: Select[int]) -> list[int]:
    return list(db.session.scalars(statement))


def _next_renewal(subscription: Subscription) -> Renewal | None:
    """The Renewal of the period that starts at the end of the current one, if it was opened already."""
    return db.session.scalar(select(Renewal).where(Renewal.subscription_id == subscription.id,
                                                   Renewal.period_start == _period_end(subscription)))


def _open_renewal(subscription: Subscription) -> Renewal:
    """The Renewal of the period that starts at the end of the current one (created once)."""
    start = _period_end(subscription)
    price = renewal_price.renewal_amount(subscription)
    renewal = Renewal(subscription_id=subscription.id, period_start=start, period_end=add_months(start, 1),
                      amount_cents=price.amount_cents, discount_cents=price.discount_cents,
                      referral_credit_cents=price.referral_credit_cents, status=RenewalStatus.PENDING, tries=1,
                      created_at=clock.now())
    db.session.add(renewal)
    db.session.flush()
    return renewal


def _charge(renewal: Renewal, subscription: Subscription, gateway: PaymentGateway, policy: DunningPolicy,
            report: RunReport) -> None:
    if renewal.amount_cents == 0:  # the referral credit paid it all: nothing to ask the provider
        _paid(renewal, subscription, None, referrals.CREDIT_PROVIDER)
        report.renewed += 1
        return
    method = PaymentMethod.PAYPAL if subscription.method_label == "PayPal" else PaymentMethod.CARD
    try:
        result = gateway.charge_stored_method(RecurringCharge(
            reference=_reference(renewal), amount_cents=renewal.amount_cents,
            shopper_reference=subscription.shopper_reference, stored_method_id=subscription.stored_method_id or "",
            idempotency_key=renewal.idempotency_key, payment_method=method))
    except ProviderUnavailable:
        report.pending += 1  # unknown outcome: the next run asks again with the same key
        return
    except PaymentError as error:  # the provider refused the request itself (no stored method, ...)
        result = PaymentResult(Outcome.REFUSED, None, str(error)[:300])
    if result.outcome == Outcome.AUTHORISED:
        _paid(renewal, subscription, result.psp_reference, gateway.name)
        report.renewed += 1
    elif result.outcome == Outcome.REFUSED:
        _refused(renewal, subscription, result.psp_reference, result.refusal_reason, gateway.name, policy)
        report.refused += 1
    else:
        report.pending += 1  # unknown outcome: the next run asks again with the same key


def _reference(renewal: Renewal) -> str:
    """The billing run's charge of a period: per subscription and period, the same for each of its tries."""
    return references.make(references.Kind.RENEWAL, renewal.subscription_id, renewal.period_start)


def _record(kind: TransactionKind, renewal: Renewal, subscription: Subscription, psp_reference: str | None,
            provider: str, reason: str | None = None) -> PaymentTransaction | None:
    """The movement, recorded once: None if it was already (another worker, or a notification, was first)."""
    return rows.add_if_absent(PaymentTransaction, {
        "kind": kind, "user_id": subscription.user_id, "subscription_id": subscription.id,
        "amount_cents": renewal.amount_cents, "provider": provider,
        "psp_reference": psp_reference or renewal.idempotency_key, "merchant_reference": _reference(renewal),
        "method_label": None if provider == referrals.CREDIT_PROVIDER else subscription.method_label,
        "reason": reason, "created_at": clock.now()}, ["provider", "psp_reference", "kind"])


def _paid(renewal: Renewal, subscription: Subscription, psp_reference: str | None, provider: str) -> None:
    renewal.status, renewal.paid_at, renewal.psp_reference = RenewalStatus.PAID, clock.now(), psp_reference
    renewal.next_try_at = None
    transaction = _record(TransactionKind.CHARGE, renewal, subscription, psp_reference, provider)
    subscription.current_period_start, subscription.current_period_end = renewal.period_start, renewal.period_end
    if renewal.discount_cents and subscription.discounted_periods_left:
        subscription.discounted_periods_left -= 1
    if subscription.status in (S.PAST_DUE, S.SUSPENDED):
        subscriptions.transition(subscription, S.ACTIVE)
    subscription.past_due_since = None
    db.session.flush()
    if renewal.referral_credit_cents:
        referrals.mark_spent(subscription.user_id)
    if transaction is not None:
        _on_renewal_paid(transaction, renewal, subscription)


def _on_renewal_paid(transaction: PaymentTransaction, renewal: Renewal, subscription: Subscription) -> None:
    """Hook for what follows a paid renewal (the invoice)."""
    invoices.issue_for_charge(transaction, subscription, renewal.period_start, renewal.period_end,
                              renewal.discount_cents, subscription.user.locale,
                              referral_credit_cents=renewal.referral_credit_cents, new_charge=True)


def _refused(renewal: Renewal, subscription: Subscription, psp_reference: str | None, reason: str | None,
             provider: str, policy: DunningPolicy) -> None:
    _record(TransactionKind.FAILURE, renewal, subscription, psp_reference, provider, reason)
    renewal.status, renewal.refusal_reason = RenewalStatus.FAILED, reason
    first_refusal = subscription.past_due_since is None
    past_due_since = subscription.past_due_since = subscription.past_due_since or clock.now()
    if subscription.status in (S.ACTIVE, S.CANCELLING):
        subscriptions.transition(subscription, S.PAST_DUE)
    retry = policy.retry_days[renewal.tries - 1] if renewal.tries <= len(policy.retry_days) else None
    renewal.next_try_at = past_due_since + timedelta(days=retry) if retry is not None else None
    db.session.flush()
    if first_refusal:
        subscription_mail.renewal_refused(subscription, renewal, policy.grace_days)


def run(gateway: PaymentGateway, policy: DunningPolicy, commit: Callable[[], None],
        progress: Callable[[str, int, int], None] | None = None,
        spread: Callable[[list[int]], RunReport] | None = None) -> RunReport:
    """Process everything due at clock.now(). `commit` is called after each subscription (and before each
    provider call), so that a crash loses nothing and resumes where it stopped. `spread`, if given, renews the
    subscriptions listed elsewhere (the billing command's processes, each calling `renew` on a share); otherwise
    they are renewed here, one after the other."""
    now = clock.now()
    report = RunReport()
    _end_cancelled(now, commit, report)
    work = due(now)
    if spread is None:
        renew(work, gateway, policy, commit, report, progress)
    else:
        report.add(spread(work))
    _dun(now, policy, commit, report)
    return report


def due(now: datetime) -> list[int]:
    """The subscriptions to renew: due now, a refused renewal to try again, a renewal a crash left pending."""
    renewing = _ids(select(Subscription.id).where(Subscription.status == S.ACTIVE,
                                                  Subscription.current_period_end <= now))
    retries = _ids(select(Renewal.subscription_id).join(Subscription).where(
        Subscription.status.in_([S.PAST_DUE, S.SUSPENDED]), Renewal.status.in_([RenewalStatus.FAILED]),
        Renewal.next_try_at <= now))
    resumed = _ids(select(Renewal.subscription_id).where(Renewal.status == RenewalStatus.PENDING))
    return list(dict.fromkeys(renewing + retries + resumed))


def renew(subscription_ids: list[int], gateway: PaymentGateway, policy: DunningPolicy, commit: Callable[[], None],
          report: RunReport, progress: Callable[[str, int, int], None] | None = None) -> None:
    """Renew each of these subscriptions that is still due (each is claimed first: safe beside other workers)."""
    for done, subscription_id in enumerate(subscription_ids, start=1):
        _renew_one(subscription_id, gateway, policy, commit, report)
        if progress:
            progress("renewals", done, len(subscription_ids))


def _renew_one(subscription_id: int, gateway: PaymentGateway, policy: DunningPolicy, commit: Callable[[], None],
               report: RunReport) -> None:
    subscription = _claim(subscription_id, S.ACTIVE, S.PAST_DUE, S.SUSPENDED)
    if subscription is None or _period_end(subscription) > clock.now():
        # Another worker renewed it since this run listed it: the next period is not due yet.
        commit()
        return
    renewal = _next_renewal(subscription)
    if renewal is None:
        if guardians.approval_missing(subscription.user, subscription.offer, subscription.parcours_id):
            # A learner who now needs a guardian, and has no approval: the paid period was the last (CGS-1-04).
            # Checked before a renewal is opened only: one opened already may have been sent to the provider.
            subscriptions.transition(subscription, S.ENDED)
            subscription_mail.ended(subscription, unpaid=False, without_guardian=True)
            report.ended += 1
            commit()
            return
        renewal = _open_renewal(subscription)
    if renewal.status == RenewalStatus.PAID:
        commit()
        return
    if renewal.status == RenewalStatus.FAILED:
        if renewal.next_try_at is None or renewal.next_try_at > clock.now():
            commit()
            return
        renewal.status, renewal.tries = RenewalStatus.PENDING, renewal.tries + 1
    renewal_id = renewal.id
    commit()  # pending, with its key, before the provider is asked
    subscription = _claim(subscription_id, S.ACTIVE, S.PAST_DUE, S.SUSPENDED)
    if subscription is None:
        commit()
        return
    # Read again under lock: a "Régler" paid between the commit above and now leaves nothing to charge.
    renewal = rows.locked(Renewal, renewal_id)
    if renewal.status == RenewalStatus.PENDING:
        _charge(renewal, subscription, gateway, policy, report)
    commit()


def _end_cancelled(now: datetime, commit: Callable[[], None], report: RunReport) -> None:
    """Cancelled: the subscription ends with its paid period; nothing more is charged (CGS-2.1-D3)."""
    for subscription_id in _ids(select(Subscription.id).where(Subscription.status == S.CANCELLING,
                                                              Subscription.current_period_end <= now)):
        subscription = _claim(subscription_id, S.CANCELLING)
        if subscription is not None:
            subscriptions.transition(subscription, S.ENDED)
            subscription_mail.ended(subscription, unpaid=False)
            report.ended += 1
        commit()


def _dun(now: datetime, policy: DunningPolicy, commit: Callable[[], None], report: RunReport) -> None:
    """Unpaid: suspended after the grace period, ended after `end_after_days` (CGS-3.2-01)."""
    for subscription_id in _ids(select(Subscription.id).where(
            Subscription.status.in_([S.PAST_DUE, S.SUSPENDED]), Subscription.past_due_since.is_not(None))):
        subscription = _claim(subscription_id, S.PAST_DUE, S.SUSPENDED)
        if subscription is None:
            commit()
            continue
        assert subscription.past_due_since is not None  # listed for it, and cleared only when paid
        unpaid_for = now - subscription.past_due_since
        if unpaid_for >= timedelta(days=policy.end_after_days):
            subscriptions.transition(subscription, S.ENDED)
            subscription_mail.ended(subscription, unpaid=True)
            report.ended += 1
        elif unpaid_for >= timedelta(days=policy.grace_days) and subscription.status == S.PAST_DUE:
            subscriptions.transition(subscription, S.SUSPENDED)
            ends = subscription.past_due_since + timedelta(days=policy.end_after_days)
            subscription_mail.suspended(subscription, ends.astimezone(clock.PARIS).date())
            report.suspended += 1
        commit()



# --- "Régler": the learner pays an overdue period at once -----------------------------------------------

def overdue_renewal(subscription: Subscription) -> Renewal | None:
    return db.session.scalar(select(Renewal).where(Renewal.subscription_id == subscription.id,
                                                   Renewal.status != RenewalStatus.PAID)
                             .order_by(Renewal.period_start).limit(1))


def has_ended(subscription: Subscription) -> bool:
    """Nothing can be paid for it any more: it ended (unpaid, cancelled, withdrawn or abandoned)."""
    return subscription.status not in subscriptions.CURRENT


def start_settlement(subscription: Subscription, gateway: PaymentGateway, return_url: str,
                     language: str) -> HostedPayment:
    """Open the provider's page for the overdue amount; the method used there is stored for what follows.
    A double click reuses the open page."""
    if has_ended(subscription):
        raise DomainError([(None, str(_l("Votre abonnement a pris fin : il n'y a plus rien à régler et rien ne "
                                         "vous sera débité.")))])
    renewal = overdue_renewal(subscription)
    if renewal is None or subscription.status not in (S.PAST_DUE, S.SUSPENDED):
        raise DomainError([(None, str(_l("Aucun paiement n'est en retard.")))])
    if renewal.settle_session_id and renewal.settle_redirect_url:
        return HostedPayment(renewal.settle_session_id, renewal.settle_redirect_url)
    renewal.settle_attempt += 1
    hosted = checkout.open_hosted_payment(gateway, CheckoutRequest(
        reference=references.make(references.Kind.SETTLEMENT, renewal.id, renewal.settle_attempt),
        amount_cents=renewal.amount_cents,
        shopper_reference=subscription.shopper_reference, shopper_email=subscription.user.email,
        shopper_locale="en-GB" if language == "en" else "fr-FR", return_url=return_url,
        payment_method=PaymentMethod.CARD, idempotency_key=f"settle-{renewal.id}-{renewal.settle_attempt}"))
    renewal.settle_session_id, renewal.settle_redirect_url = hosted.session_id, hosted.redirect_url
    db.session.flush()
    return hosted


def settle(renewal: Renewal, outcome: Outcome, psp_reference: str | None, stored_method_id: str | None,
           method_label: str | None, gateway: PaymentGateway) -> None:
    """Apply the settlement's outcome (status query or notification, whichever comes first; idempotent).
    The subscription, then its renewal, are read again under lock (in the billing run's order, so that neither
    waits for the other in a circle): the run and "Régler" decide one after the other."""
    subscription = rows.locked(Subscription, renewal.subscription_id)
    renewal = rows.locked(Renewal, renewal.id)
    if outcome == Outcome.AUTHORISED:
        if renewal.status == RenewalStatus.PAID:
            if psp_reference and psp_reference != renewal.psp_reference:
                # A retry with the stored card got there first: this second payment goes back at once.
                refund_unwanted_payment(subscription.user_id, psp_reference, renewal.amount_cents,
                                        references.make(references.Kind.SETTLEMENT, renewal.id), gateway,
                                        "period already paid")
            return
        if has_ended(subscription):
            # Paid on a page opened before the subscription ended: no access to give, so the money goes back.
            refund_unwanted_payment(subscription.user_id, psp_reference or renewal.settle_session_id or "",
                                    renewal.amount_cents, references.make(references.Kind.SETTLEMENT, renewal.id),
                                    gateway,
                                    "subscription ended")
            renewal.settle_session_id = renewal.settle_redirect_url = None
            db.session.flush()
            return
        subscriptions.remember_payment_method(subscription, stored_method_id, method_label)
        renewal.settle_session_id = renewal.settle_redirect_url = None
        _paid(renewal, subscription, psp_reference, gateway.name)
    elif outcome in (Outcome.REFUSED, Outcome.CANCELLED):
        renewal.settle_session_id = renewal.settle_redirect_url = None  # the next try opens a new page
        db.session.flush()


def check_settlement(subscription: Subscription, gateway: PaymentGateway) -> None:
    renewal = overdue_renewal(subscription)
    if renewal is None or not renewal.settle_session_id:
        return
    try:
        result = gateway.session_result(renewal.settle_session_id)
        with db.session.begin_nested():  # a refund the provider cannot take now is left to the notification
            settle(renewal, result.outcome, result.psp_reference, result.stored_method_id, result.method_label,
                   gateway)
    except PaymentError:
        return


def refund_unwanted_payment(user_id: int, psp_reference: str, amount_cents: int, merchant_reference: str,
                            gateway: PaymentGateway, reason: str, order_id: int | None = None) -> None:
    """A payment the provider took for what can no longer be given (a period paid twice, a subscription that
    ended, an order no longer awaiting payment): recorded, without a subscription or an invoice, and refunded
    at once in full. Once per payment: a second delivery finds it recorded."""
    charge = PaymentTransaction(
        kind=TransactionKind.CHARGE, user_id=user_id, order_id=order_id, subscription_id=None,
        amount_cents=amount_cents, provider=gateway.name, psp_reference=psp_reference,
        merchant_reference=merchant_reference, reason=f"refunded at once: {reason}", created_at=clock.now())
    try:
        with db.session.begin_nested():
            db.session.add(charge)
    except IntegrityError:
        return
    gateway.refund(RefundRequest(psp_reference=psp_reference,
                                 reference=references.make(references.Kind.UNWANTED_REFUND, charge.id),
                                 amount_cents=amount_cents,
                                 idempotency_key=f"unwanted-refund-{psp_reference}"))
