"""Guardians (parents, legal representatives, tutors, curators) who approve a learner's subscription.

Art. 1 of the terms: from 16 to the age of majority, or under a legal protection measure, a learner may
subscribe only once their guardian has approved AND read and accepted the terms. The guardian answers from
a signed, expiring, single-use link; the approval can be revoked until the first payment.

Each step mails the other party in the same transaction: the request carries the guardian's link; the answer
tells the learner (and gives an approving guardian the link that revokes); a revocation tells the learner.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import Select, func, select

from app.extensions import db
from app.models import Consent, GuardianApproval, Order, Parcours, User
from app.models.commerce import ConsentKind, GuardianStatus, OfferKind, OrderStatus
from app.services import DomainError
from app.services.accounts import users
from app.services.accounts.users import normalise_email
from app.services.common import clock, links, mail, signed_links
from app.services.legal import documents

LINK_MAX_AGE = 14 * 24 * 3600
# The link to the guardian's space, in every mail a guardian receives: it opens the space for this long.
SPACE_LINK_DAYS = 30
SPACE_PURPOSE = "guardian-space"
RELATIONSHIPS = ("parent", "legal_representative", "tutor", "curator")


@dataclass(frozen=True)
class GuardianRequest:
    name: str
    email: str
    relationship: str


def _matching(learner: User, offer: OfferKind, parcours: Parcours | None) -> Select[GuardianApproval]:
    return _matching_id(learner, offer, parcours.id if parcours else None)


def _matching_id(learner: User, offer: OfferKind, parcours_id: int | None) -> Select[GuardianApproval]:
    return select(GuardianApproval).where(
        GuardianApproval.learner_id == learner.id, GuardianApproval.offer == offer,
        GuardianApproval.parcours_id == parcours_id)


def _approved(learner: User, offer: OfferKind, parcours_id: int | None) -> bool:
    return db.session.scalar(_matching_id(learner, offer, parcours_id).where(
        GuardianApproval.status == GuardianStatus.APPROVED).limit(1)) is not None


def is_approved(learner: User, offer: OfferKind, parcours: Parcours | None) -> bool:
    """A guardian approved this offer (and this Parcours, for Plus) and has not revoked it."""
    return _approved(learner, offer, parcours.id if parcours else None)


def approval_missing(learner: User, offer: OfferKind, parcours_id: int | None) -> bool:
    """The learner needs a guardian today (a minor in their country, or a protected adult, e.g. after correcting
    their details) and none approved this offer: nothing may be charged for it (CGS-1-04). No query for an adult."""
    eligibility = users.subscription_eligibility(learner, clock.today_in_paris())
    if eligibility == users.Eligibility.ALONE:
        return False
    return eligibility == users.Eligibility.REFUSED or not _approved(learner, offer, parcours_id)


def approving(learner: User, offer: OfferKind, parcours: Parcours | None) -> GuardianApproval | None:
    """The guardian's approval this subscription rests on, if any (copied on the mails about it)."""
    return db.session.scalar(_matching(learner, offer, parcours).where(
        GuardianApproval.status == GuardianStatus.APPROVED).order_by(GuardianApproval.id.desc()).limit(1))


def latest(learner: User, offer: OfferKind, parcours: Parcours | None) -> GuardianApproval | None:
    return db.session.scalar(_matching(learner, offer, parcours).order_by(GuardianApproval.id.desc()).limit(1))


def may_request(learner: User, offer: OfferKind, parcours: Parcours | None) -> bool:
    """Only a learner whose checkout needs an approval may send a request: the checkout's own rule (16 to the
    age of majority, or under protection), for an offer not approved yet. Nobody else can use the form to
    make the platform mail an address."""
    eligibility = users.subscription_eligibility(learner, clock.today_in_paris())
    return eligibility == users.Eligibility.GUARDIAN_REQUIRED and not is_approved(learner, offer, parcours)


REQUEST_LIMIT_WINDOW = timedelta(days=1)


def limit_reached(learner: User, guardian_email: str) -> bool:
    """Too many requests in the last day from this learner, or to this address whoever asked. Counted in the
    database, so that every web server sees the same count (GUARDIAN_REQUESTS_PER_LEARNER_PER_DAY,
    GUARDIAN_REQUESTS_PER_ADDRESS_PER_DAY)."""
    since = clock.now() - REQUEST_LIMIT_WINDOW
    recent = select(func.count()).select_from(GuardianApproval).where(GuardianApproval.requested_at > since)
    by_learner = db.session.execute(recent.where(GuardianApproval.learner_id == learner.id)).scalar_one()
    by_address = db.session.execute(
        recent.where(GuardianApproval.guardian_email == normalise_email(guardian_email))).scalar_one()
    per_learner: int = current_app.config["GUARDIAN_REQUESTS_PER_LEARNER_PER_DAY"]
    per_address: int = current_app.config["GUARDIAN_REQUESTS_PER_ADDRESS_PER_DAY"]
    return by_learner >= per_learner or by_address >= per_address


def checkout_path(offer: OfferKind, parcours: Parcours | None) -> str:
    """Where the learner's checkout of this offer starts (and goes on once a guardian approved it)."""
    if offer == OfferKind.PLUS and parcours is not None:
        return url_for("checkout.start", offer="plus", slug=parcours.slug)
    return url_for("checkout.start", offer="solo")


def request_path(offer: OfferKind, parcours: Parcours | None) -> str:
    """Where the learner asks their guardian to approve this offer."""
    if offer == OfferKind.PLUS and parcours is not None:
        return url_for("guardians.request_page", offer="plus", slug=parcours.slug)
    return url_for("guardians.request_page")


def _secret() -> str:
    return str(current_app.config["SECRET_KEY"])


def request_approval(learner: User, offer: OfferKind, parcours: Parcours | None,
                     details: GuardianRequest) -> GuardianApproval:
    """A new request to the guardian (replacing a pending one, whose link stops working), mailed to them with
    the signed link they answer from, in the learner's language."""
    if not may_request(learner, offer, parcours):
        raise DomainError([(None, str(_l("Votre abonnement ne demande pas l'accord d'un représentant.")))])
    # One learner's requests are counted one at a time (PostgreSQL): two at once cannot both pass the limit.
    db.session.execute(select(User.id).where(User.id == learner.id).with_for_update())
    if limit_reached(learner, details.email):
        raise DomainError([(None, str(_l("Trop de demandes ont été envoyées en 24 heures, par vous ou à cette "
                                         "adresse. Réessayez demain, ou contactez-nous si votre représentant "
                                         "ne reçoit pas nos messages.")))])
    errors: list[tuple[str | None, str]] = []
    if normalise_email(details.email) == learner.email:
        errors.append(("guardian_email", str(_l("Indiquez l'adresse email de votre représentant, pas la vôtre."))))
    if details.relationship not in RELATIONSHIPS:
        errors.append(("relationship", str(_l("Choisissez le lien avec votre représentant."))))
    if errors:
        raise DomainError(errors)
    pending = latest(learner, offer, parcours)
    if pending is not None and pending.status == GuardianStatus.PENDING:
        pending.status = GuardianStatus.REVOKED  # replaced by this new request; its link stops working
        pending.link_version += 1
    approval = GuardianApproval(learner=learner, offer=offer, parcours=parcours, guardian_name=details.name.strip(),
                                guardian_email=normalise_email(details.email), relationship_kind=details.relationship,
                                status=GuardianStatus.PENDING, requested_at=clock.now())
    db.session.add(approval)
    db.session.flush()
    link = links.absolute(url_for("guardians.answer", token=link_token(approval, _secret())))
    mail.queue(approval.guardian_email, "guardian_request", learner.locale, approval=approval, learner=learner,
               link=link, dedupe_key=request_mail_key(approval))
    return approval


def link_token(approval: GuardianApproval, secret_key: str) -> str:
    return signed_links.make(approval, approval.link_version, secret_key, "guardian-approval")


def request_mail_key(approval: GuardianApproval) -> str:
    """The dedupe key of the mail carrying this request's link: its guardian receives each link once."""
    return f"guardian-request:{approval.id}:{approval.link_version}"


def approval_for_token(token: str, secret_key: str, max_age: int = LINK_MAX_AGE) -> GuardianApproval | None:
    """The approval a link was made for; None once expired, already used, or replaced."""
    return signed_links.resolve(GuardianApproval, "link_version", token, secret_key, "guardian-approval", max_age)


def decide(approval: GuardianApproval, approve: bool, terms_accepted: bool, wording: str, ip_address: str) -> None:
    """The guardian's answer: the learner is told (with the way back to the checkout), and a guardian who
    approves gets the link that revokes the approval."""
    if approval.status != GuardianStatus.PENDING:
        raise DomainError([(None, str(_l("Cette demande a déjà reçu une réponse.")))])
    if approve and not terms_accepted:
        raise DomainError([("terms_accepted", str(_l("Pour approuver, cochez la case indiquant que vous avez lu "
                                                     "et accepté les conditions générales de services.")))])
    now = clock.now()
    if approve:
        terms = documents.version_to_accept(documents.TERMS)
        db.session.add(Consent(kind=ConsentKind.GUARDIAN_TERMS, user_id=approval.learner_id,
                               document_version_id=terms.id, wording=wording,
                               given_by=approval.guardian_email, ip_address=ip_address, given_at=now))
    approval.status = GuardianStatus.APPROVED if approve else GuardianStatus.REFUSED
    approval.decided_at, approval.decided_ip = now, ip_address
    approval.link_version += 1  # the link answered once; a revocation link is issued separately
    db.session.flush()
    learner = approval.learner
    mail.queue(learner.email, "guardian_outcome", learner.locale, approval=approval, learner=learner,
               continue_url=links.absolute(checkout_path(approval.offer, approval.parcours)))
    if approval.status == GuardianStatus.APPROVED:
        revoke_link = links.absolute(url_for("guardians.revoke", token=link_token(approval, _secret())))
        mail.queue(approval.guardian_email, "guardian_approved", learner.locale, approval=approval,
                   learner=learner, revoke_link=revoke_link, guardian_space_token=space_token(approval.guardian_email),
                   guardian_space_days=SPACE_LINK_DAYS)


def can_revoke(approval: GuardianApproval) -> bool:
    """Until the first payment for this offer."""
    if approval.status != GuardianStatus.APPROVED:
        return False
    paid = db.session.scalar(select(Order.id).where(
        Order.user_id == approval.learner_id, Order.offer == approval.offer,
        Order.parcours_id == approval.parcours_id, Order.status == OrderStatus.PAID).limit(1))
    return paid is None


def revoke(approval: GuardianApproval) -> None:
    """The guardian withdraws the approval (until the first payment); the learner is told."""
    if not can_revoke(approval):
        raise DomainError([(None, str(_l("L'accord ne peut plus être retiré : le premier paiement a eu lieu.")))])
    approval.status = GuardianStatus.REVOKED
    approval.decided_at = clock.now()
    approval.link_version += 1
    db.session.flush()
    learner = approval.learner
    mail.queue(learner.email, "guardian_outcome", learner.locale, approval=approval, learner=learner,
               continue_url=None)


# --- The guardian's space: a link naming the guardian's address, valid SPACE_LINK_DAYS --------------------
# The moment it was made is in the signed payload and checked against `clock`, not itsdangerous's own clock, so
# that its expiry is the platform's time (and testable).

def space_token(guardian_email: str) -> str:
    token: str = URLSafeSerializer(_secret(), salt=SPACE_PURPOSE).dumps(
        {"email": normalise_email(guardian_email), "made": clock.now().isoformat()})
    return token


def space_email(token: str) -> str | None:
    """The guardian's address a space link was made for; None once it is older than SPACE_LINK_DAYS, or forged."""
    try:
        payload = URLSafeSerializer(_secret(), salt=SPACE_PURPOSE).loads(token)
        email, made = str(payload["email"]), datetime.fromisoformat(payload["made"])
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    if not clock.now() - timedelta(days=SPACE_LINK_DAYS) <= made <= clock.now():
        return None
    return email


def send_space_link(guardian_email: str, language: str) -> None:
    """A new link to the space, asked for from its page (the caller checked that the address answers for
    someone), in the language of the page it was asked from."""
    mail.queue(normalise_email(guardian_email), "guardian_space_link", language,
               guardian_space_token=space_token(guardian_email), guardian_space_days=SPACE_LINK_DAYS)
