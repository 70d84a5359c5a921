"""The mail that confirms each change of a subscription's state, in the learner's language: the durable record
French law asks for (a termination is confirmed on a durable medium, art. L215-1-1 of the Code de la
consommation), with the facts and dates the learner needs. One function per event; each is called by the service
that makes the change, in the same transaction, so that the mail goes out exactly when the change is committed."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from app.models import ForceMajeureRequest, Invoice, Order, Renewal, Subscription, TermsChangeNotice, User
from app.services.accounts import guardians
from app.services.common import clock, mail


def _send(subscription: Subscription, template: str, dedupe_key: str, language: str | None = None,
          attachments: Sequence[mail.Attachment] = (), **context: Any) -> None:
    """To the learner, in their language (or `language`); and a copy to the guardian whose approval the
    subscription rests on (a minor's, or a protected adult's), who answers for the contract with them."""
    user = subscription.user
    language = language or user.locale
    context.update(user=user, subscription=subscription, today=clock.today_in_paris())
    mail.queue(user.email, template, language, dedupe_key=dedupe_key, attachments=attachments, guardian=None,
               **context)
    approval = guardians.approving(user, subscription.offer, subscription.parcours)
    if approval is not None:
        mail.queue(approval.guardian_email, template, language, dedupe_key=f"{dedupe_key}:guardian",
                   attachments=attachments, guardian=approval,
                   guardian_space_token=guardians.space_token(approval.guardian_email),
                   guardian_space_days=guardians.SPACE_LINK_DAYS, **context)


def student_rules(subscription: Subscription, template: str, dedupe_key: str, **context: Any) -> None:
    """A step of the Student Rules' procedure about this contract (a notification, a decision): the guardian who
    answers for the contract with the learner reads it too."""
    _send(subscription, template, dedupe_key, **context)


def order_confirmed(order: Order, subscription: Subscription) -> None:
    """The order confirmation (CGS-2.1-B3): what was ordered, for how much, and what comes next."""
    _send(subscription, "order_confirmation", f"order-confirmed:{order.id}", order=order)


def renewal_refused(subscription: Subscription, renewal: Renewal, grace_days: int) -> None:
    """The first refusal of a renewal: what happens next, and when."""
    _send(subscription, "renewal_refused", f"renewal-refused:{renewal.id}", renewal=renewal, grace_days=grace_days)


def force_majeure_decided(subscription: Subscription, request: ForceMajeureRequest) -> None:
    """Student Success's decision on a force majeure request: the contract ended without indemnity, or goes on."""
    _send(subscription, "force_majeure_decision", f"force-majeure:{request.id}", request=request)


def given_up(subscription: Subscription) -> None:
    """A Premium Plus contract given up during its reflection period (or to refuse new terms before it was signed):
    nothing was charged and nothing is owed."""
    _send(subscription, "subscription_given_up", f"given-up:{subscription.id}")


def cancelled(subscription: Subscription, by_guardian: bool = False) -> None:
    """"Résilier": the date of effect, nothing more charged, and how to change one's mind until then; when the
    learner's guardian cancelled, that the learner cannot undo it (`subscriptions.can_undo_cancel`)."""
    assert subscription.cancel_requested_at is not None  # set by the cancellation that calls this
    _send(subscription, "subscription_cancelled",
          f"cancelled:{subscription.id}:{subscription.cancel_requested_at.isoformat()}", by_guardian=by_guardian)


def cancellation_undone(subscription: Subscription, by_guardian: bool = False) -> None:
    """The subscription continues: undone by the learner, or by their guardian from the guardian's space; the mail
    states what the next renewal will really charge (`renewal_amount`: a promo still running and the referral
    credit deducted)."""
    _send(subscription, "subscription_continues", f"continues:{subscription.id}:{clock.now().isoformat()}",
          by_guardian=by_guardian)


def withdrawn(subscription: Subscription, refunded_cents: int) -> None:
    _send(subscription, "subscription_withdrawn", f"withdrawn:{subscription.id}", refunded_cents=refunded_cents)


def terminated_early(subscription: Subscription, indemnity_cents: int, kept_cents: int, charged_cents: int,
                     refunded_cents: int = 0) -> None:
    _send(subscription, "subscription_terminated", f"terminated:{subscription.id}", indemnity_cents=indemnity_cents,
          kept_cents=kept_cents, charged_cents=charged_cents, refunded_cents=refunded_cents)


def suspended(subscription: Subscription, ends_on_if_unpaid: date) -> None:
    _send(subscription, "subscription_suspended", f"suspended:{subscription.id}:{subscription.past_due_since}",
          ends_on=ends_on_if_unpaid)


def ended(subscription: Subscription, unpaid: bool, without_guardian: bool = False) -> None:
    """The end: cancelled by the learner, unpaid, or not renewed for want of a guardian's approval."""
    _send(subscription, "subscription_ended", f"ended:{subscription.id}", unpaid=unpaid,
          without_guardian=without_guardian)


def terms_accepted(subscription: Subscription, notice: TermsChangeNotice) -> None:
    """A material change of the terms accepted, by "J'accepte" or by using the platform after the 30 days: the
    version, since when, and from when it applies."""
    _send(subscription, "terms_accepted", f"terms-accepted:{notice.id}", notice=notice)


def mentor_assigned(subscription: Subscription, mentor: User) -> None:
    """Student Success named the learner's mentor (a first one, or another one)."""
    _send(subscription, "mentor_assigned", f"mentor:{subscription.id}:{mentor.id}:{clock.now().isoformat()}",
          mentor=mentor)


def contract_signed(subscription: Subscription, contract: mail.Attachment) -> None:
    """The signed Premium Plus contract, its PDF attached: the learner's copy of what they signed."""
    _send(subscription, "contract_signed", f"contract:{subscription.id}", attachments=[contract])


def invoice_ready(subscription: Subscription, invoice: Invoice) -> None:
    """An invoice or a credit note of the subscription (the first month, a renewal, an L444-8 indemnity, a
    refund), its PDF attached, in the PDF's language: the learner's proof of each payment and refund."""
    assert invoice.pdf is not None  # sent once its PDF is stored
    _send(subscription, "invoice_ready", f"invoice:{invoice.id}", language=invoice.language,
          attachments=[mail.Attachment(f"{invoice.number}.pdf", "application/pdf", invoice.pdf)], invoice=invoice)
