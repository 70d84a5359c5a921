"""Material changes of the service terms (art. 1): when a new version changes the duration, the features or
the price of the services, every subscriber is told, by email and by a notice on every page, and has 30 days
from the notice to terminate and so refuse the new terms. Using the platform after those 30 days counts as
accepting them; the notice records which of the three happened, and when.

Reading chosen (the learner's): terminating to refuse costs nothing, never the L444-8 indemnity; the
window is never shorter than 30 days from the notice, nor closes before the new version applies.
"""

from datetime import datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.models import LegalDocumentVersion, Subscription, TermsChangeNotice, User
from app.models.commerce import OrderStatus, SubscriptionStatus
from app.models.terms import TermsDecision
from app.services import DomainError
from app.services.accounts import guardians
from app.services.commerce import subscription_mail, subscriptions
from app.services.common import clock, mail

S = SubscriptionStatus
WINDOW_DAYS = 30


def window_end(notified_at: datetime, version: LegalDocumentVersion) -> datetime:
    """The end of the 30th day after the notice, Paris time, and never before the new version applies."""
    thirtieth_day = (notified_at.astimezone(clock.PARIS) + timedelta(days=WINDOW_DAYS)).date()
    end = datetime.combine(thirtieth_day + timedelta(days=1), time.min, tzinfo=clock.PARIS)
    return max(end, datetime.combine(version.effective_on, time.min, tzinfo=clock.PARIS))


def notify(version: LegalDocumentVersion) -> int:
    """Tell every current subscriber of a material change, once per subscription (safe to run again).
    Returns how many were told."""
    if not version.material_change:
        return 0
    told = 0
    already = select(TermsChangeNotice.subscription_id).where(TermsChangeNotice.version_id == version.id)
    for subscription in db.session.scalars(select(Subscription).where(
            Subscription.status.in_(subscriptions.CURRENT), Subscription.id.not_in(already))
            .order_by(Subscription.id)):
        now = clock.now()
        notice = TermsChangeNotice(user_id=subscription.user_id, subscription_id=subscription.id,
                                   version_id=version.id, notified_at=now, window_ends_at=window_end(now, version))
        db.session.add(notice)
        db.session.flush()
        subscription.user.pending_terms_notice_id = notice.id
        mail.queue(subscription.user.email, "terms_change", subscription.user.locale, notice=notice,
                   user=subscription.user)
        _ask_guardian(subscription, notice)
        told += 1
    return told


def _ask_guardian(subscription: Subscription, notice: TermsChangeNotice) -> None:
    """A subscription resting on a guardian's approval rests on their acceptance of the terms: they are asked to
    approve the new version from their space."""
    approval = guardians.approving(subscription.user, subscription.offer, subscription.parcours)
    if approval is None:
        return
    mail.queue(approval.guardian_email, "terms_change_guardian", subscription.user.locale, notice=notice,
               approval=approval, learner=subscription.user, guardian_space_token=guardians.space_token(
                   approval.guardian_email), guardian_space_days=guardians.SPACE_LINK_DAYS,
               dedupe_key=f"terms-change:{notice.id}:guardian")


def pending_notice(user: User) -> TermsChangeNotice | None:
    """The notice to show this learner, or None. Costs a query only for a learner who has one pending.
    Once its 30 days are over, this visit is the use of the platform that accepts the new terms."""
    if user.pending_terms_notice_id is None:
        return None
    notice = db.session.get(TermsChangeNotice, user.pending_terms_notice_id)
    if notice is None or notice.decision is not None:
        user.pending_terms_notice_id = None
        return None
    if clock.now() >= notice.window_ends_at:
        _decide(notice, TermsDecision.ACCEPTED_BY_USE, None)
        return None
    return notice


def _decide(notice: TermsChangeNotice, decision: TermsDecision, ip_address: str | None) -> None:
    notice.decision, notice.decided_at, notice.decided_ip = decision, clock.now(), ip_address
    user = db.session.get_one(User, notice.user_id)
    if user.pending_terms_notice_id == notice.id:
        user.pending_terms_notice_id = None
    db.session.flush()
    if decision != TermsDecision.REFUSED:  # a refusal is confirmed by the cancellation's own mail
        subscription_mail.terms_accepted(db.session.get_one(Subscription, notice.subscription_id), notice)


def accept(notice: TermsChangeNotice, ip_address: str) -> None:
    if notice.decision is not None:
        return
    _decide(notice, TermsDecision.ACCEPTED, ip_address)


def can_refuse(notice: TermsChangeNotice) -> bool:
    return notice.decision is None and clock.now() < notice.window_ends_at


def refuse(notice: TermsChangeNotice, ip_address: str) -> Subscription:
    """Terminate to refuse the new terms, without any fee: a paid month runs to its end and nothing is
    charged after it; Premium Plus owes no indemnity; nothing started yet is simply abandoned."""
    if not can_refuse(notice):
        raise DomainError([(None, str(_l("Le délai de 30 jours pour refuser les nouvelles conditions est "
                                          "écoulé.")))])
    subscription = db.session.get_one(Subscription, notice.subscription_id)
    if subscriptions.can_cancel(subscription):  # an unpaid one ends at once, with nothing more charged
        subscriptions.cancel(subscription)
    elif subscription.status in (S.REFLECTION, S.AWAITING_PAYMENT):
        subscriptions.transition(subscription, S.ABANDONED)
        subscription.order.status = OrderStatus.ABANDONED
        subscription_mail.given_up(subscription)
    _decide(notice, TermsDecision.REFUSED, ip_address)
    return subscription


def reopen_after_undo(subscription: Subscription) -> None:
    """"Annuler la résiliation" after refusing: the learner stays, so the new terms are undecided again."""
    notice = db.session.scalar(select(TermsChangeNotice).where(
        TermsChangeNotice.subscription_id == subscription.id, TermsChangeNotice.decision == TermsDecision.REFUSED)
        .order_by(TermsChangeNotice.id.desc()).limit(1))
    if notice is None:
        return
    notice.decision = notice.decided_at = notice.decided_ip = None
    subscription.user.pending_terms_notice_id = notice.id
    db.session.flush()


def notice_of(user: User, notice_id: int) -> TermsChangeNotice | None:
    notice = db.session.get(TermsChangeNotice, notice_id)
    return notice if notice is not None and notice.user_id == user.id else None
