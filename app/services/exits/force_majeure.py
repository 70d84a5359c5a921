"""Premium Plus: ending the contract for a fortuitous event or force majeure, without indemnity (L444-8).
The learner explains (and may attach a document); Student Success decides."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.models import ForceMajeureRequest, Subscription, User
from app.models.commerce import ForceMajeureStatus, OfferKind, SubscriptionStatus
from app.services import DomainError
from app.services.commerce import subscription_mail, subscriptions
from app.services.common import clock, uploads
from app.services.common.uploads import Upload

MAX_DOCUMENT_BYTES = 2 * 1024 * 1024
# What a document may be, recognised by its first bytes (not by the name the browser sends).
DOCUMENT_TYPES = (uploads.PDF, uploads.PNG, uploads.JPEG)
MIN_REASON_LENGTH = 20


def can_ask(subscription: Subscription) -> bool:
    return subscription.offer == OfferKind.PLUS and subscription.status in (
        SubscriptionStatus.ACTIVE, SubscriptionStatus.CANCELLING, SubscriptionStatus.PAST_DUE)


def submit(subscription: Subscription, reason: str, document: Upload | None) -> ForceMajeureRequest:
    errors: list[tuple[str | None, str]] = []
    if len(reason.strip()) < MIN_REASON_LENGTH:
        errors.append(("reason", str(_l("Décrivez en quelques phrases ce qui vous empêche de suivre la formation "
                                        "(%(n)s caractères au moins).", n=MIN_REASON_LENGTH))))
    kind = None
    if document is not None:
        checked = uploads.check(document, DOCUMENT_TYPES, MAX_DOCUMENT_BYTES)
        kind = checked.content_type
        if checked.problem == uploads.Problem.TOO_BIG:
            errors.append(("document", str(_l("Le justificatif ne doit pas dépasser 2 Mo."))))
        elif not checked.ok:
            errors.append(("document", str(_l("Le justificatif doit être un PDF, une image PNG ou JPEG."))))
    if not can_ask(subscription):
        errors.append((None, str(_l("Cette demande concerne un contrat Premium Plus en cours."))))
    if errors:
        raise DomainError(errors)
    request = ForceMajeureRequest(subscription=subscription, reason=reason.strip(),
                                  document_name=uploads.safe_name(document.name) if document else None,
                                  document_type=kind, document=document.content if document else None,
                                  created_at=clock.now())
    db.session.add(request)
    db.session.flush()
    return request


def pending() -> list[ForceMajeureRequest]:
    return list(db.session.scalars(select(ForceMajeureRequest).where(
        ForceMajeureRequest.status == ForceMajeureStatus.PENDING).order_by(ForceMajeureRequest.created_at)))


def decide(request: ForceMajeureRequest, staff: User, accept: bool) -> None:
    """Accepted: the contract ends at once and nothing more is charged. Either way the learner is told."""
    if request.status != ForceMajeureStatus.PENDING:
        raise DomainError([(None, str(_l("Cette demande a déjà été traitée.")))])
    request.status = ForceMajeureStatus.ACCEPTED if accept else ForceMajeureStatus.REFUSED
    request.decided_at, request.decided_by_id = clock.now(), staff.id
    subscription = request.subscription
    if accept and can_ask(subscription):
        subscriptions.transition(subscription, SubscriptionStatus.ENDED)
    subscription_mail.force_majeure_decided(subscription, request)
    db.session.flush()
