"""What the guardian's space shows, for each learner a guardian approved: the subscription's status and dates,
the next renewal, its invoices, the consents this guardian gave, what they asked for the learner, and a material
change of the terms they have not approved yet.

A guardian sees a learner only while the learner needs them (a minor in their country, or a protected adult: art.
1 of the terms) and has not closed their account. Once the learner comes of age, the subscription is the adult's
own business, and the space says only that (the reading that protects the learner's privacy).
"""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import contains_eager, defer

from app.extensions import db
from app.models import (
    Consent,
    GuardianAct,
    GuardianApproval,
    Invoice,
    LegalDocumentVersion,
    Subscription,
    TermsChangeNotice,
    User,
)
from app.models.commerce import ConsentKind, GuardianStatus
from app.services.accounts import users
from app.services.accounts.users import normalise_email
from app.services.billing import renewal_price
from app.services.commerce import subscriptions
from app.services.common import clock


@dataclass(frozen=True)
class GivenConsent:
    consent: Consent
    version: LegalDocumentVersion | None


@dataclass(frozen=True)
class Ward:
    """One learner as their guardian sees them; beyond `in_care`, empty once the learner no longer needs them."""

    approval: GuardianApproval
    learner: User
    in_care: bool
    subscription: Subscription | None = None
    next_renewal: renewal_price.RenewalPrice | None = None
    invoices: tuple[Invoice, ...] = ()
    consents: tuple[GivenConsent, ...] = ()
    acts: tuple[GuardianAct, ...] = ()
    terms_to_approve: TermsChangeNotice | None = None


def in_care(learner: User) -> bool:
    """The learner still needs a guardian to subscribe (CGS-1-04), and has an account."""
    if learner.closing_since is not None or learner.closed_at is not None:
        return False
    return users.subscription_eligibility(learner, clock.today_in_paris()) == users.Eligibility.GUARDIAN_REQUIRED


def approvals(guardian_email: str) -> list[GuardianApproval]:
    """The approvals this guardian gave and did not withdraw, the newest first, one per learner and offer."""
    # The learners come in the same query: each approval's page and `in_care` read them.
    rows = db.session.scalars(select(GuardianApproval).join(GuardianApproval.learner)
                              .options(contains_eager(GuardianApproval.learner)).where(
        GuardianApproval.guardian_email == normalise_email(guardian_email),
        GuardianApproval.status == GuardianStatus.APPROVED).order_by(GuardianApproval.id.desc()))
    seen: set[tuple[int, str, int | None]] = set()
    kept = []
    for approval in rows:
        key = (approval.learner_id, approval.offer.value, approval.parcours_id)
        if key not in seen:
            seen.add(key)
            kept.append(approval)
    return kept


def has_wards(guardian_email: str) -> bool:
    """Someone this guardian approved still needs them: a link to the space is worth sending."""
    return any(in_care(approval.learner) for approval in approvals(guardian_email))


def subscription_of(approval: GuardianApproval) -> Subscription | None:
    """The subscription the approval was given for: the current one, else the latest."""
    return db.session.scalar(select(Subscription).where(
        Subscription.user_id == approval.learner_id, Subscription.offer == approval.offer,
        Subscription.parcours_id == approval.parcours_id)
        .order_by(Subscription.status.in_(subscriptions.CURRENT).desc(), Subscription.id.desc()).limit(1))


def terms_to_approve(approval: GuardianApproval, subscription: Subscription) -> TermsChangeNotice | None:
    """The latest material change of the terms the learner was told of that this guardian has not approved."""
    notice = db.session.scalar(select(TermsChangeNotice).where(
        TermsChangeNotice.subscription_id == subscription.id).order_by(TermsChangeNotice.id.desc()).limit(1))
    if notice is None:
        return None
    approved = db.session.scalar(select(Consent.id).where(
        Consent.user_id == approval.learner_id, Consent.kind == ConsentKind.GUARDIAN_TERMS,
        Consent.document_version_id == notice.version_id, Consent.given_by == approval.guardian_email).limit(1))
    return notice if approved is None else None


def _ward(approval: GuardianApproval) -> Ward:
    learner = approval.learner
    if not in_care(learner):
        return Ward(approval, learner, in_care=False)
    subscription = subscription_of(approval)
    given = db.session.execute(
        select(Consent, LegalDocumentVersion)
        .outerjoin(LegalDocumentVersion, LegalDocumentVersion.id == Consent.document_version_id)
        .where(Consent.user_id == learner.id, Consent.given_by == approval.guardian_email)
        .order_by(Consent.given_at.desc(), Consent.id.desc())).all()
    consents = tuple(GivenConsent(consent, version) for consent, version in given)
    if subscription is None:
        return Ward(approval, learner, in_care=True, consents=consents)
    bills = db.session.scalars(select(Invoice).options(defer(Invoice.pdf)).where(
        Invoice.subscription_id == subscription.id).order_by(Invoice.issued_at.desc(), Invoice.id.desc()))
    acts = db.session.scalars(select(GuardianAct).where(GuardianAct.subscription_id == subscription.id)
                              .order_by(GuardianAct.created_at.desc()))
    return Ward(approval, learner, True, subscription,
                renewal_price.renewal_amount(subscription) if subscriptions.renews(subscription) else None,
                tuple(bills), consents, tuple(acts), terms_to_approve(approval, subscription))


def wards(guardian_email: str) -> list[Ward]:
    return [_ward(approval) for approval in approvals(guardian_email)]


def ward_subscription(guardian_email: str, subscription_id: int) -> tuple[GuardianApproval, Subscription] | None:
    """The subscription, and the approval it rests on, when it is one this guardian answers for today."""
    for approval in approvals(guardian_email):
        subscription = subscription_of(approval)
        if subscription is not None and subscription.id == subscription_id and in_care(approval.learner):
            return approval, subscription
    return None


def invoice_for(guardian_email: str, number: str) -> Invoice | None:
    """An invoice of a subscription this guardian answers for; anyone else's is as good as unknown."""
    invoice = db.session.scalar(select(Invoice).where(Invoice.number == number))
    if invoice is None or invoice.subscription_id is None:
        return None
    return invoice if ward_subscription(guardian_email, invoice.subscription_id) is not None else None
