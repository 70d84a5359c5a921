"""Student Success: contact requests ("Nous contacter", art. 1 and 2.2 b of the terms) and their answers.

A request is stored, acknowledged by email with its reference ("DEM-000042") in the sender's language, then
answered by a member of staff; the answer is emailed to the sender in the language they wrote in.

A complaint ("RCL-000042") is the written claim the learner must make before turning to the consumer
mediator (art. 10). Its acknowledgement carries a link to follow it; the mediator's details are offered
once Student Success has answered, or when two months have passed without an answer.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.i18n import force_language
from app.labels import label
from app.models import ContactAddition, ContactQuestion, ContactRequest, Parcours, User
from app.services import DomainError
from app.services.common import clock, links, mail
from app.services.common.periods import add_months

MAX_NAME_LENGTH = 200
MAX_PHONE_LENGTH = 40
MAX_MESSAGE_LENGTH = 5000
MAX_ANSWER_LENGTH = 10000
# Without an answer within two months of the written complaint, the learner may go to the mediator
# (Code de la consommation, art. R612-2).
MEDIATION_AFTER_MONTHS = 2
_TRACKING_PURPOSE = "complaint-tracking"

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9 .\-()]{6,}$")


@dataclass(frozen=True)
class ContactData:
    name: str
    email: str
    question: str
    message: str
    phone: str | None = None
    parcours_id: int | None = None
    user_id: int | None = None
    language: str = "fr"


def question_label(question: ContactQuestion | str) -> str:
    return label(ContactQuestion(question))


def _check(data: ContactData) -> list[tuple[str | None, str]]:
    errors: list[tuple[str | None, str]] = []
    if not data.name.strip():
        errors.append(("name", str(_l("Indiquez votre nom."))))
    elif len(data.name.strip()) > MAX_NAME_LENGTH:
        errors.append(("name", str(_l("Le nom doit contenir au plus %(n)s caractères.", n=MAX_NAME_LENGTH))))
    if not _EMAIL.match(data.email.strip()) or len(data.email.strip()) > 254:
        errors.append(("email", str(_l("Indiquez une adresse email valide, par exemple prenom.nom@exemple.fr."))))
    phone = (data.phone or "").strip()
    if phone and (len(phone) > MAX_PHONE_LENGTH or not _PHONE.match(phone)):
        errors.append(("phone", str(_l("Indiquez un numéro de téléphone valide, par exemple 06 12 34 56 78, "
                                       "ou laissez ce champ vide."))))
    if data.question not in {q.value for q in ContactQuestion}:
        errors.append(("question", str(_l("Choisissez le sujet de votre question dans la liste."))))
    if not data.message.strip():
        errors.append(("message", str(_l("Écrivez votre message."))))
    elif len(data.message) > MAX_MESSAGE_LENGTH:
        errors.append(("message", str(_l("Le message doit contenir au plus %(n)s caractères.",
                                         n=MAX_MESSAGE_LENGTH))))
    if data.parcours_id is not None and db.session.get(Parcours, data.parcours_id) is None:
        errors.append(("parcours", str(_l("Choisissez le Parcours dans la liste."))))
    return errors


def submit_contact_request(data: ContactData) -> ContactRequest:
    """Store the request and queue its acknowledgement (with the reference) to the sender."""
    errors = _check(data)
    if errors:
        raise DomainError(errors)
    row = ContactRequest(
        name=data.name.strip(), email=data.email.strip().lower(), phone=(data.phone or "").strip() or None,
        question=ContactQuestion(data.question), parcours_id=data.parcours_id, message=data.message.strip(),
        user_id=data.user_id, language=data.language if data.language in ("fr", "en") else "fr",
        created_at=clock.now(),
    )
    db.session.add(row)
    db.session.flush()
    mail.queue(row.email, "contact_acknowledgement", row.language, contact=row,
               question=_label_in(row.language, row.question), **_complaint_context(row))
    return row


def mediation_opens_at(contact: ContactRequest) -> datetime:
    """When a complaint left unanswered opens the way to the mediator."""
    return add_months(contact.created_at, MEDIATION_AFTER_MONTHS)


def mediation_available(contact: ContactRequest) -> bool:
    """Answered, or unanswered for two months: the learner is told how to reach the mediator."""
    return contact.is_complaint and (contact.is_answered or clock.now() >= mediation_opens_at(contact))


def tracking_token(contact: ContactRequest) -> str:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_TRACKING_PURPOSE).dumps(contact.id)


def complaint_by_token(token: str) -> ContactRequest | None:
    """The complaint a tracking link was made for; None for a forged link or a request that is no complaint.
    The link does not expire: mediation may be sought up to a year after the complaint."""
    try:
        contact_id = URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_TRACKING_PURPOSE).loads(token)
    except BadSignature:
        return None
    contact = db.session.get(ContactRequest, contact_id) if isinstance(contact_id, int) else None
    return contact if contact is not None and contact.is_complaint else None


def _complaint_context(contact: ContactRequest) -> dict[str, Any]:
    if not contact.is_complaint:
        return {}
    return {"tracking_url": links.absolute(url_for("support.complaint", token=tracking_token(contact))),
            "mediation_opens_at": mediation_opens_at(contact)}


def _label_in(language: str, question: ContactQuestion) -> str:
    with force_language(language):
        return question_label(question)


def answer_request(contact: ContactRequest, staff_user: User, answer: str) -> ContactRequest:
    """Record the staff member's answer and email it to the sender, in the language they wrote in."""
    if not staff_user.is_staff:
        raise DomainError([(None, str(_l("Seule l'équipe Student Success peut répondre à une demande.")))])
    if contact.is_answered:
        raise DomainError([(None, str(_l("Cette demande a déjà reçu une réponse.")))])
    text = answer.strip()
    if not text:
        raise DomainError([("answer", str(_l("Écrivez la réponse.")))])
    if len(text) > MAX_ANSWER_LENGTH:
        raise DomainError([("answer", str(_l("La réponse doit contenir au plus %(n)s caractères.",
                                             n=MAX_ANSWER_LENGTH)))])
    contact.answer = text
    contact.answered_at = clock.now()
    contact.answered_by_id = staff_user.id
    db.session.flush()
    mail.queue(contact.email, "contact_answer", contact.language, contact=contact,
               question=_label_in(contact.language, contact.question), **_complaint_context(contact))
    return contact


def of_learner(user: User) -> list[ContactRequest]:
    """The requests a learner sent while signed in, newest first, each with what they added to it."""
    return list(db.session.scalars(
        select(ContactRequest).where(ContactRequest.user_id == user.id).options(selectinload(ContactRequest.additions))
        .order_by(ContactRequest.created_at.desc(), ContactRequest.id.desc())))


def open_mentor_change(user: User) -> ContactRequest | None:
    """The learner's request for another mentor still waiting for its answer: one at a time."""
    return db.session.scalar(select(ContactRequest).where(
        ContactRequest.user_id == user.id, ContactRequest.question == ContactQuestion.MENTOR_CHANGE,
        ContactRequest.answered_at.is_(None)).order_by(ContactRequest.id.desc()).limit(1))


def learners_request(user: User, request_id: int) -> ContactRequest | None:
    """The learner's own request; anyone else's is as good as unknown."""
    contact = db.session.get(ContactRequest, request_id)
    return contact if contact is not None and contact.user_id == user.id else None


def can_add_to(contact: ContactRequest) -> bool:
    """A request waits for its answer: its sender may still add to it (new facts, a document's reference)."""
    return not contact.is_answered


def add_to(contact: ContactRequest, message: str) -> ContactAddition:
    """Add the learner's message to their open request; Student Success reads it with the request, and the
    sender gets an acknowledgement by mail, as for the request itself."""
    if not can_add_to(contact):
        raise DomainError([(None, str(_l("Cette demande a déjà reçu une réponse : pour la suite, écrivez-nous une "
                                         "nouvelle demande.")))])
    text = message.strip()
    if not text:
        raise DomainError([("message", str(_l("Écrivez votre message.")))])
    if len(text) > MAX_MESSAGE_LENGTH:
        raise DomainError([("message", str(_l("Le message doit contenir au plus %(n)s caractères.",
                                              n=MAX_MESSAGE_LENGTH)))])
    addition = ContactAddition(request=contact, message=text, created_at=clock.now())
    db.session.add(addition)
    db.session.flush()
    mail.queue(contact.email, "contact_addition", contact.language, contact=contact, addition=addition,
               question=_label_in(contact.language, contact.question), **_complaint_context(contact))
    return addition


def get_request(request_id: int) -> ContactRequest | None:
    return db.session.get(ContactRequest, request_id)


def list_open_requests() -> list[ContactRequest]:
    """Requests waiting for an answer, oldest first (the first to answer)."""
    return list(db.session.scalars(
        select(ContactRequest).where(ContactRequest.answered_at.is_(None)).order_by(ContactRequest.created_at,
                                                                                   ContactRequest.id)))


def list_answered_requests(limit: int = 50) -> list[ContactRequest]:
    """The latest answered requests, most recent answer first."""
    return list(db.session.scalars(
        select(ContactRequest).where(ContactRequest.answered_at.is_not(None))
        .order_by(ContactRequest.answered_at.desc(), ContactRequest.id.desc()).limit(limit)))
