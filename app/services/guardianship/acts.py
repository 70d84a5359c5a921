"""What a guardian does from their space, for a learner they answer for: approve a new version of the terms, and
end the contract on the learner's behalf (the legal representative acts for the minor or protected adult: art.
1 of the terms, art. L444-8 of the Code de l'éducation). Each exit is the learner's own exit, with its own rules,
amounts and confirmation mail (copied to the guardian); the act is recorded, and the learner is told who asked,
by mail and in Mes paramètres > Mes demandes."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.models import Consent, GuardianAct, GuardianApproval, Subscription, TermsChangeNotice
from app.models.commerce import ConsentKind, GuardianActKind
from app.services import DomainError
from app.services.commerce import subscriptions, terms_changes
from app.services.common import clock, mail
from app.services.common.uploads import Upload
from app.services.exits import force_majeure, termination
from app.services.exits.termination import TerminationQuote
from app.services.guardianship import space
from app.services.payments.gateway import PaymentGateway


def _record(approval: GuardianApproval, subscription: Subscription, kind: GuardianActKind) -> GuardianAct:
    act = GuardianAct(approval=approval, subscription_id=subscription.id, kind=kind, created_at=clock.now())
    db.session.add(act)
    db.session.flush()
    learner = subscription.user
    mail.queue(learner.email, "guardian_acted", learner.locale, act=act, approval=approval, learner=learner,
               subscription=subscription, kinds=GuardianActKind, dedupe_key=f"guardian-act:{act.id}")
    return act


def cancel(approval: GuardianApproval, subscription: Subscription) -> GuardianAct:
    """Cancellation at the end of the period (or at once when the renewal is unpaid), as the learner's own."""
    if not subscriptions.can_cancel(subscription):
        raise DomainError([(None, str(_l("Cet abonnement ne peut plus être résilié : il a déjà pris fin ou sa "
                                          "résiliation est déjà enregistrée.")))])
    subscriptions.cancel(subscription, by_guardian=True)
    return _record(approval, subscription, GuardianActKind.CANCELLATION)


def undo_cancel(approval: GuardianApproval, subscription: Subscription) -> GuardianAct:
    """The guardian changes their mind before the period ends: the cancellation they asked for is undone and the
    subscription renews, as when the learner undoes their own."""
    try:
        subscriptions.undo_cancel(subscription, by_guardian=True)
    except subscriptions.IllegalTransition:
        raise DomainError([(None, str(_l("Cette résiliation ne peut plus être annulée : l'abonnement a pris fin, ou "
                                          "elle a déjà été annulée.")))]) from None
    terms_changes.reopen_after_undo(subscription)
    return _record(approval, subscription, GuardianActKind.CANCELLATION_UNDONE)


def terminate(approval: GuardianApproval, subscription: Subscription, rate_percent: int,
              gateway: PaymentGateway) -> TerminationQuote:
    """L444-8: the same indemnity and the same charge or refund as when the learner confirms it."""
    figures = termination.terminate(subscription, rate_percent, gateway)
    _record(approval, subscription, GuardianActKind.EARLY_TERMINATION)
    return figures


def ask_force_majeure(approval: GuardianApproval, subscription: Subscription, reason: str,
                      document: Upload | None) -> GuardianAct:
    """The request goes to Student Success like the learner's own; their decision is mailed to both."""
    force_majeure.submit(subscription, reason, document)
    return _record(approval, subscription, GuardianActKind.FORCE_MAJEURE)


def approve_terms(approval: GuardianApproval, notice: TermsChangeNotice, accepted: bool, wording: str,
                  ip_address: str) -> Consent:
    """The guardian read and accepts the new version of the terms for the learner (art. 1: a minor's contract
    rests on their guardian's acceptance of the terms, the new version's as much as the first)."""
    if not accepted:
        raise DomainError([("accepted", str(_l("Pour approuver, cochez la case indiquant que vous avez lu et "
                                                 "accepté la nouvelle version des conditions générales.")))])
    subscription = db.session.get_one(Subscription, notice.subscription_id)
    if space.terms_to_approve(approval, subscription) != notice:
        raise DomainError([(None, str(_l("Cette version des conditions générales est déjà approuvée.")))])
    consent = Consent(kind=ConsentKind.GUARDIAN_TERMS, user_id=approval.learner_id,
                      document_version_id=notice.version_id, wording=wording, given_by=approval.guardian_email,
                      ip_address=ip_address, given_at=clock.now())
    db.session.add(consent)
    db.session.flush()
    return consent


def of_learner(user_id: int) -> list[GuardianAct]:
    """What guardians asked for this learner, the newest first (Mes demandes)."""
    return list(db.session.scalars(
        select(GuardianAct).join(Subscription, Subscription.id == GuardianAct.subscription_id)
        .where(Subscription.user_id == user_id).order_by(GuardianAct.created_at.desc())))
