"""Premium Plus: ending the contract for a fortuitous event or force majeure, without indemnity (L444-8).
The learner explains (and may attach a document); Student Success decides."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.models import ForceMajeureRequest, Subscription, User
from app.models.commerce import ForceMajeureStatus, OfferKind, SubscriptionStatus
from app.services import DomainError, clock, mail, subscriptions

MAX_DOCUMENT_BYTES = 2 * 1024 * 1024
# What a document may be, recognised by its first bytes (not by the name the browser sends).
DOCUMENT_SIGNATURES = {b"%PDF-": "application/pdf", b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
MIN_REASON_LENGTH = 20


@dataclass(frozen=True)
class Document:
    name: str
    content: bytes


def _document_type(document: Document) -> str | None:
    return next((kind for magic, kind in DOCUMENT_SIGNATURES.items() if document.content.startswith(magic)), None)


def can_ask(subscription: Subscription) -> bool:
    return subscription.offer == OfferKind.PLUS and subscription.status in (
        SubscriptionStatus.ACTIVE, SubscriptionStatus.CANCELLING, SubscriptionStatus.PAST_DUE)


def submit(subscription: Subscription, reason: str, document: Document | None) -> ForceMajeureRequest:
    errors = []
    if len(reason.strip()) < MIN_REASON_LENGTH:
        errors.append(("reason", str(_l("Décrivez en quelques phrases ce qui vous empêche de suivre la formation "
                                        "(%(n)s caractères au moins).", n=MIN_REASON_LENGTH))))
    kind = None
    if document is not None:
        kind = _document_type(document)
        if kind is None:
            errors.append(("document", str(_l("Le justificatif doit être un PDF, une image PNG ou JPEG."))))
        elif len(document.content) > MAX_DOCUMENT_BYTES:
            errors.append(("document", str(_l("Le justificatif ne doit pas dépasser 2 Mo."))))
    if not can_ask(subscription):
        errors.append((None, str(_l("Cette demande concerne un contrat Premium Plus en cours."))))
    if errors:
        raise DomainError(errors)
    request = ForceMajeureRequest(subscription=subscription, reason=reason.strip(),
                                  document_name=document.name[:200] if document else None, document_type=kind,
                                  document=document.content if document else None, created_at=clock.now())
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
    user = subscription.user
    mail.queue(user.email, "force_majeure_decision", user.locale, user=user, request=request)
    db.session.flush()
