"""The final defence (CGS-DEF-3): asked for by the learner once their Parcours is completed (every course passed,
every required project validated), with the accommodations they need (extra time, a sign-language interpreter,
another format, in their own words); scheduled by Student Success with a jury (date and time, length, video call,
the jury's members, the answer on accommodations). The learner and the member of staff who scheduled it get a
calendar invitation (.ics), updated when the defence is moved. Recording the jury's decision closes the request;
after an unfavourable decision the learner may ask again.

Functions flush and never commit: the caller commits once.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlsplit
from uuid import uuid4

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, SQLColumnExpression, and_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.i18n import force_language
from app.models import Certificate, DefenceRequest, Subscription, User
from app.models.commerce import OfferKind
from app.services import DomainError
from app.services.commerce import subscriptions
from app.services.common import calendar, clock, mail, safe_text
from app.services.learning import diplomas
from app.time_zone import PARIS

MAX_TEXT_LENGTH = 2000
MIN_MINUTES, MAX_MINUTES = 20, 240


@dataclass(frozen=True)
class Accommodations:
    extra_time: bool = False
    sign_language: bool = False
    other_format: bool = False
    details: str = ""


def is_open_request(user_id: int | SQLColumnExpression[int],
                    parcours_id: int | SQLColumnExpression[int | None]) -> ColumnElement[bool]:
    """The learner's request for the defence of this Parcours, while it is open."""
    return and_(DefenceRequest.user_id == user_id, DefenceRequest.parcours_id == parcours_id,
                DefenceRequest.closed_at.is_(None))


def open_request(user_id: int, parcours_id: int) -> DefenceRequest | None:
    return db.session.scalar(select(DefenceRequest).where(is_open_request(user_id, parcours_id)))


def may_ask(user: User, subscription: Subscription | None) -> bool:
    """A Premium Plus learner whose contract gives access, whose Parcours is completed, without its diploma and
    without a request already open."""
    if subscription is None or subscription.parcours_id is None or subscription.user_id != user.id:
        return False
    parcours_id = subscription.parcours_id
    return may_ask_given(subscription, diplomas.completed_on(user.id, parcours_id),
                         diplomas.diploma_for(user.id, parcours_id), open_request(user.id, parcours_id))


def may_ask_given(subscription: Subscription, completed_on: date | None, diploma: Certificate | None,
                  request: DefenceRequest | None) -> bool:
    """`may_ask`, from facts a page has read already."""
    return (subscription.offer == OfferKind.PLUS and subscription.status in subscriptions.GIVES_ACCESS
            and completed_on is not None and diploma is None and request is None)


def ask(user: User, subscription: Subscription, accommodations: Accommodations) -> DefenceRequest:
    details = accommodations.details.strip()
    errors: list[tuple[str | None, str]] = []
    if accommodations.other_format and not details:
        errors.append(("details", str(_l("Décrivez le format qui vous convient : nous l'organisons avec le jury."))))
    elif len(details) > MAX_TEXT_LENGTH:
        errors.append(("details", str(_l("Le texte ne doit pas dépasser %(n)s caractères.", n=MAX_TEXT_LENGTH))))
    if not may_ask(user, subscription):
        errors.append((None, str(_l("La soutenance se demande une fois tous les cours réussis et tous les projets "
                                    "obligatoires validés, et une seule demande à la fois."))))
    if errors:
        raise DomainError(errors)
    assert subscription.parcours_id is not None  # may_ask
    request = DefenceRequest(
        user_id=user.id, parcours_id=subscription.parcours_id, requested_at=clock.now(),
        extra_time=accommodations.extra_time, sign_language=accommodations.sign_language,
        other_format=accommodations.other_format, accommodation_details=details or None,
        uid=f"{uuid4()}@soutenance", sequence=0)
    try:
        with db.session.begin_nested():  # the same form sent twice at once: one request
            db.session.add(request)
    except IntegrityError:
        raise DomainError([(None, str(_l("Votre demande de soutenance est déjà enregistrée.")))]) from None
    mail.queue(user.email, "defence_requested", user.locale, request=request, person=user,
               dedupe_key=f"defence-requested:{request.id}")
    return request


# --- Student Success ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Schedule:
    day: date | None  # in Paris
    at: time | None  # Paris time
    minutes: int | None
    video_url: str
    jury: str
    accommodation_answer: str


def to_schedule() -> list[DefenceRequest]:
    """The open requests, those not scheduled yet first, each the oldest first."""
    return list(db.session.scalars(
        select(DefenceRequest).where(DefenceRequest.closed_at.is_(None))
        .options(joinedload(DefenceRequest.user), joinedload(DefenceRequest.parcours))
        .order_by(DefenceRequest.starts_at.is_not(None), DefenceRequest.requested_at, DefenceRequest.id)))


def schedule(request: DefenceRequest, staff: User, plan: Schedule) -> None:
    """Set (or move) the defence; the learner and the member of staff get the invitation, the same event
    updated when it is moved."""
    errors: list[tuple[str | None, str]] = []
    if not staff.is_staff:
        errors.append((None, str(_l("Seule l'équipe Student Success programme les soutenances."))))
    if request.closed_at is not None:
        errors.append((None, str(_l("La décision du jury est déjà enregistrée pour cette demande."))))
    starts_at = datetime.combine(plan.day, plan.at, tzinfo=PARIS) if plan.day and plan.at else None
    if plan.day is None:
        errors.append(("starts_on", str(_l("Indiquez la date de la soutenance."))))
    if plan.at is None:
        errors.append(("starts_time", str(_l("Indiquez l'heure de début, par exemple 14:30."))))
    if starts_at is not None and starts_at <= clock.now():
        errors.append(("starts_on", str(_l("La soutenance se programme dans le futur."))))
    if plan.minutes is None or not MIN_MINUTES <= plan.minutes <= MAX_MINUTES:
        errors.append(("minutes", str(_l("Indiquez une durée entre %(low)s et %(high)s minutes.", low=MIN_MINUTES,
                                         high=MAX_MINUTES))))
    parts = urlsplit(plan.video_url.strip())
    if parts.scheme != "https" or not parts.netloc or safe_text.has_control(plan.video_url) \
            or len(plan.video_url.strip()) > 300:
        errors.append(("video_url", str(_l("Indiquez l'adresse de la visioconférence, commençant par https://."))))
    if not plan.jury.strip():
        errors.append(("jury", str(_l("Indiquez les membres du jury."))))
    elif len(plan.jury.strip()) > MAX_TEXT_LENGTH:
        errors.append(("jury", str(_l("Le texte ne doit pas dépasser %(n)s caractères.", n=MAX_TEXT_LENGTH))))
    answer = plan.accommodation_answer.strip()
    if request.asks_accommodations and not answer:
        errors.append(("accommodation_answer", str(_l("Répondez aux aménagements demandés : ce qui est accordé, "
                                                       "et comment."))))
    elif len(answer) > MAX_TEXT_LENGTH:
        errors.append(("accommodation_answer", str(_l("Le texte ne doit pas dépasser %(n)s caractères.",
                                                       n=MAX_TEXT_LENGTH))))
    if errors:
        raise DomainError(errors)
    assert starts_at is not None and plan.minutes is not None
    if request.is_scheduled:
        request.sequence += 1
    request.starts_at, request.minutes = starts_at.astimezone(UTC), plan.minutes
    request.video_url, request.jury = plan.video_url.strip(), plan.jury.strip()
    request.accommodation_answer, request.scheduled_by_id = answer or None, staff.id
    db.session.flush()
    for recipient in (request.user, staff):
        with force_language(recipient.locale):
            invitation = calendar.attachment(_meeting(request, staff), "soutenance.ics")
        mail.queue(recipient.email, "defence_scheduled", recipient.locale, request=request, person=recipient,
                   attachments=[invitation], dedupe_key=f"defence:{request.id}:{request.sequence}:{recipient.id}")


def _meeting(request: DefenceRequest, staff: User) -> calendar.Meeting:
    assert request.starts_at is not None and request.minutes is not None and request.video_url is not None
    return calendar.Meeting(
        uid=request.uid, sequence=request.sequence, starts_at=request.starts_at,
        ends_at=request.starts_at + timedelta(minutes=request.minutes),
        title=gettext("Soutenance finale de %(learner)s — Parcours %(parcours)s", learner=request.user.full_name,
                      parcours=request.parcours.t("title")),
        description=gettext("Visioconférence : %(url)s", url=request.video_url) + "\n"
        + gettext("Jury : %(jury)s", jury=request.jury or ""),
        video_url=request.video_url, organizer=calendar.Person(staff.email, staff.full_name),
        attendees=(calendar.Person(request.user.email, request.user.full_name),))
