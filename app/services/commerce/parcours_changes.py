"""Changing Parcours (art. 2.2 c): the Premium Plus learner asks Student Success, who answer in writing; an
approved change is a new subscription, ordered with every formality of the first one (details, the terms
and the Student Rules accepted again, review, "Valider", the reflection period, the contract).

Reading chosen (the learner's): when the new Parcours is validated, the former subscription is cancelled
without any indemnity: the month already paid runs to its end and nothing more is charged for it.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.models import Order, Parcours, ParcoursChangeRequest, Subscription, User
from app.models.commerce import OfferKind, OrderStatus, ParcoursChangeStatus, SubscriptionStatus
from app.services import DomainError
from app.services.commerce import subscriptions
from app.services.common import clock, mail

S = SubscriptionStatus
MIN_REASON_LENGTH = 10
MAX_TEXT_LENGTH = 5000
# A Plus subscription that can be left for another Parcours: started, and not already ending.
CHANGEABLE = (S.REFLECTION, S.AWAITING_PAYMENT, S.ACTIVE, S.PAST_DUE)


def can_ask(subscription: Subscription | None) -> bool:
    return subscription is not None and subscription.offer == OfferKind.PLUS and subscription.status in CHANGEABLE


def targets(subscription: Subscription) -> list[Parcours]:
    """The Parcours one may change to: open, and not the current one."""
    return list(db.session.scalars(select(Parcours).where(
        Parcours.is_open.is_(True), Parcours.id != subscription.parcours_id).order_by(Parcours.title_fr)))


def open_request(subscription: Subscription) -> ParcoursChangeRequest | None:
    """The request still in progress for this subscription (pending, or approved and not yet ordered)."""
    return db.session.scalar(select(ParcoursChangeRequest).where(
        ParcoursChangeRequest.subscription_id == subscription.id,
        ParcoursChangeRequest.status.in_([ParcoursChangeStatus.PENDING, ParcoursChangeStatus.APPROVED]))
        .order_by(ParcoursChangeRequest.id.desc()).limit(1))


def ask(subscription: Subscription, target: Parcours | None, reason: str) -> ParcoursChangeRequest:
    errors: list[tuple[str | None, str]] = []
    if not can_ask(subscription):
        errors.append((None, str(_l("Un changement de Parcours concerne un abonnement Premium Plus en cours."))))
    elif open_request(subscription) is not None:
        errors.append((None, str(_l("Une demande de changement de Parcours est déjà en cours."))))
    if target is None or not target.is_open or target.id == subscription.parcours_id:
        errors.append(("target", str(_l("Choisissez le nouveau Parcours dans la liste."))))
    if len(reason.strip()) < MIN_REASON_LENGTH:
        errors.append(("reason", str(_l("Expliquez en quelques mots pourquoi vous souhaitez changer de Parcours "
                                        "(%(n)s caractères au moins).", n=MIN_REASON_LENGTH))))
    elif len(reason) > MAX_TEXT_LENGTH:
        errors.append(("reason", str(_l("Le message doit contenir au plus %(n)s caractères.", n=MAX_TEXT_LENGTH))))
    if errors:
        raise DomainError(errors)
    assert target is not None  # no target is refused above
    request = ParcoursChangeRequest(user_id=subscription.user_id, subscription_id=subscription.id,
                                    target_parcours_id=target.id, reason=reason.strip(),
                                    status=ParcoursChangeStatus.PENDING, created_at=clock.now())
    db.session.add(request)
    db.session.flush()
    user = subscription.user
    mail.queue(user.email, "parcours_change_received", user.locale, user=user, change=request)
    return request


def pending() -> list[ParcoursChangeRequest]:
    return list(db.session.scalars(select(ParcoursChangeRequest).where(
        ParcoursChangeRequest.status == ParcoursChangeStatus.PENDING).order_by(ParcoursChangeRequest.created_at)))


def decide(request: ParcoursChangeRequest, staff: User, approve: bool, message: str) -> None:
    """Student Success's written answer, emailed to the learner; approved, it opens the new order."""
    if not staff.is_staff:
        raise DomainError([(None, str(_l("Seule l'équipe Student Success peut répondre à une demande.")))])
    if request.status != ParcoursChangeStatus.PENDING:
        raise DomainError([(None, str(_l("Cette demande a déjà été traitée.")))])
    if not message.strip():
        raise DomainError([("message", str(_l("Écrivez la réponse : elle est envoyée à l'apprenant.")))])
    if len(message) > MAX_TEXT_LENGTH:
        raise DomainError([("message", str(_l("Le message doit contenir au plus %(n)s caractères.",
                                              n=MAX_TEXT_LENGTH)))])
    request.status = ParcoursChangeStatus.APPROVED if approve else ParcoursChangeStatus.REFUSED
    request.decision_message = message.strip()
    request.decided_at, request.decided_by_id = clock.now(), staff.id
    db.session.flush()
    mail.queue(request.user.email, "parcours_change_decision", request.user.locale, user=request.user,
               change=request)


def approved_for(user: User, parcours: Parcours | None) -> ParcoursChangeRequest | None:
    """The approved change that lets this learner order `parcours` while still subscribed to another."""
    if parcours is None:
        return None
    return db.session.scalar(select(ParcoursChangeRequest).where(
        ParcoursChangeRequest.user_id == user.id, ParcoursChangeRequest.target_parcours_id == parcours.id,
        ParcoursChangeRequest.status == ParcoursChangeStatus.APPROVED).limit(1))


def complete(order: Order) -> None:
    """The new Parcours was validated: the change is done and the former subscription ends with its paid
    month, with no indemnity (or is abandoned if nothing was paid yet)."""
    request = approved_for(order.user, order.parcours)
    if request is None:
        return
    request.status, request.new_order_id = ParcoursChangeStatus.COMPLETED, order.id
    former = db.session.get_one(Subscription, request.subscription_id)
    if subscriptions.can_cancel(former):
        # Not "undone" from a mail: the new Parcours replaces it (an unpaid one ends at once, nothing more charged).
        subscriptions.cancel(former, confirm_by_mail=False)
    elif former.status in (S.REFLECTION, S.AWAITING_PAYMENT):
        subscriptions.transition(former, S.ABANDONED)
        former.order.status = OrderStatus.ABANDONED
    db.session.flush()
