"""Diplomas (CGS-DEF-3): issued after a Parcours is completed and a jury gives a favourable opinion at a final
defence (soutenance).

The rules:
- a learner has completed a Parcours when they hold a valid certificate of achievement for every course of it;
- staff record the jury's decision only for a learner who completed the Parcours and holds, or held, a Premium
  Plus subscription on it (the diploma belongs to the Parcours's training, which Premium Plus is), and whose
  defence took place after the last course was passed and not in the future;
- a favourable decision issues the diploma, exactly once per learner and Parcours (a unique constraint; a
  concurrent second decision gets the diploma already issued); an unfavourable one issues nothing, and the
  learner may defend again later (another decision);
- the learner is emailed the decision in their language.

A diploma is a `Certificate` of kind "diploma": it has the same public identifier, verification page, stored
PDF, LinkedIn link, public profile listing and revocation as a certificate of achievement, and, like it, is
digital only (CGS-2.2-A3).

Functions flush and never commit: the caller commits once.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import cast

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Exists, SQLColumnExpression, and_, exists, func, select, update
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models import (
    Certificate,
    CertificateKind,
    DefenceDecision,
    DefenceRequest,
    Parcours,
    Subscription,
    User,
    parcours_courses,
)
from app.models.commerce import OfferKind
from app.services import DomainError
from app.services.common import clock, mail, rows
from app.services.learning.completion import new_public_id
from app.services.mentoring import projects
from app.time_zone import PARIS

MAX_COMMENTS_LENGTH = 5000


@dataclass(frozen=True)
class Candidate:
    """A learner who completed a Parcours (on `completed_on`), may have its diploma and has not got it yet,
    with the jury's earlier (unfavourable) decisions."""

    user: User
    parcours: Parcours
    completed_on: date
    earlier_decisions: list[DefenceDecision] = field(default_factory=list)


def is_valid_course_certificate() -> ColumnElement[bool]:
    """A certificate that passes its course: of a course, and not revoked."""
    return and_(Certificate.kind == CertificateKind.COURSE, Certificate.revoked_at.is_(None))


# --- Completion ----------------------------------------------------------------------------------------------

def completed_on(user_id: int, parcours_id: int) -> date | None:
    """The day the learner completed the Parcours (their last certificate of its courses, or their last required
    project validated, whichever came later), or None while some course of it has no valid certificate or some
    required project is not validated. Three queries."""
    pc = parcours_courses.c
    total, certified, last = db.session.execute(
        select(func.count(pc.course_id), func.count(Certificate.id), func.max(Certificate.issued_at))
        .select_from(parcours_courses)
        .outerjoin(Certificate, and_(Certificate.course_id == pc.course_id, Certificate.user_id == user_id,
                                     is_valid_course_certificate()))
        .where(pc.parcours_id == parcours_id)).one()
    if not total or certified != total:
        return None
    return _with_projects(user_id, parcours_id, last, projects.completions([(user_id, parcours_id)]))


def _with_projects(user_id: int, parcours_id: int, courses_passed_at: datetime,
                   found: dict[tuple[int, int], projects.Completion]) -> date | None:
    """The Parcours' completion day once its projects are counted: None while a required one is not validated."""
    done = found[user_id, parcours_id]
    if not done.complete:
        return None
    return _paris_date(max(_aware(courses_passed_at), _aware(done.last_validated_at or courses_passed_at)))


def has_completed(user_id: int, parcours_id: int) -> bool:
    return completed_on(user_id, parcours_id) is not None


def holds_or_held_plus(user_id: int, parcours_id: int) -> bool:
    """A Premium Plus subscription on this Parcours that started (its first month paid), current or past."""
    return db.session.scalar(select(_plus_on(Subscription.user_id == user_id,
                                             Subscription.parcours_id == parcours_id))) or False


def _plus_on(*conditions: ColumnElement[bool]) -> Exists:
    return exists().where(Subscription.offer == OfferKind.PLUS, Subscription.started_at.is_not(None), *conditions)


def is_diploma_of(user_id: int | SQLColumnExpression[int],
                  parcours_id: int | SQLColumnExpression[int | None]) -> ColumnElement[bool]:
    """A certificate that is the learner's diploma of this Parcours, valid or revoked."""
    return and_(Certificate.user_id == user_id, Certificate.parcours_id == parcours_id)


def diploma_for(user_id: int, parcours_id: int) -> Certificate | None:
    """The learner's diploma of this Parcours, valid or revoked."""
    return db.session.scalar(select(Certificate).where(is_diploma_of(user_id, parcours_id)))


def _aware(moment: datetime) -> datetime:
    # Stored in UTC; an aggregate may come back without its time zone.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _paris_date(moment: datetime) -> date:
    return _aware(moment).astimezone(PARIS).date()


# --- Staff: who awaits a decision ----------------------------------------------------------------------------

def awaiting_decision() -> list[Candidate]:
    """Every learner who completed a Parcours, holds or held Premium Plus on it and has no diploma of it yet,
    the longest waiting first, with the jury's earlier decisions."""
    pc = parcours_courses.c
    totals = select(pc.parcours_id, func.count(pc.course_id).label("total")).group_by(pc.parcours_id).subquery()
    completed = (
        select(Certificate.user_id.label("user_id"), pc.parcours_id.label("parcours_id"),
               func.max(Certificate.issued_at).label("completed_at"))
        .join(parcours_courses, pc.course_id == Certificate.course_id)
        .join(totals, totals.c.parcours_id == pc.parcours_id)
        .where(is_valid_course_certificate())
        .group_by(Certificate.user_id, pc.parcours_id, totals.c.total)
        .having(func.count(Certificate.id) == totals.c.total)
        .subquery())
    diploma = aliased(Certificate)
    # The three columns selected (the subquery's column leaves the row untyped).
    found = [cast(tuple[User, Parcours, datetime], tuple(row)) for row in db.session.execute(
        select(User, Parcours, completed.c.completed_at)
        .join(completed, completed.c.user_id == User.id)
        .join(Parcours, Parcours.id == completed.c.parcours_id)
        .where(_plus_on(Subscription.user_id == completed.c.user_id,
                        Subscription.parcours_id == completed.c.parcours_id),
               ~exists().where(diploma.user_id == completed.c.user_id,
                               diploma.parcours_id == completed.c.parcours_id))
        .order_by(completed.c.completed_at, User.id, Parcours.id))]
    earlier: defaultdict[tuple[int, int], list[DefenceDecision]] = defaultdict(list)
    if found:
        for decision in db.session.scalars(select(DefenceDecision).where(
                DefenceDecision.user_id.in_({user.id for user, _parcours, _at in found}))
                .order_by(DefenceDecision.defended_on, DefenceDecision.id)):
            earlier[decision.user_id, decision.parcours_id].append(decision)
    done = projects.completions([(user.id, parcours.id) for user, parcours, _at in found])
    candidates = []
    for user, parcours, completed_at in found:
        finished = _with_projects(user.id, parcours.id, completed_at, done)
        if finished is not None:
            candidates.append(Candidate(user=user, parcours=parcours, completed_on=finished,
                                        earlier_decisions=earlier[user.id, parcours.id]))
    return sorted(candidates, key=lambda candidate: candidate.completed_on)


# --- Recording the jury's decision ---------------------------------------------------------------------------

def record_decision(learner: User, parcours: Parcours, staff: User, defended_on: date | None,
                    favourable: bool | None, comments: str) -> DefenceDecision:
    """Record the jury's decision at `learner`'s final defence of `parcours`; a favourable one issues the
    diploma. The learner is emailed the decision."""
    if not staff.is_staff:
        raise DomainError([(None, _("Seule l'équipe Student Success peut enregistrer la décision d'un jury."))])
    title = parcours.t("title")
    if diploma_for(learner.id, parcours.id) is not None:
        raise DomainError([(None, _("%(name)s a déjà le diplôme du Parcours %(parcours)s.",
                                    name=learner.full_name, parcours=title))])
    if not holds_or_held_plus(learner.id, parcours.id):
        raise DomainError([(None, _("Le diplôme du Parcours %(parcours)s est réservé aux abonnés Premium Plus de "
                                    "ce Parcours : %(name)s n'y a jamais été abonné.",
                                    name=learner.full_name, parcours=title))])
    completed = completed_on(learner.id, parcours.id)
    if completed is None:
        raise DomainError([(None, _("%(name)s n'a pas encore réussi tous les cours du Parcours %(parcours)s ni "
                                    "fait valider tous ses projets obligatoires : le jury ne se prononce qu'après.",
                                    name=learner.full_name, parcours=title))])
    comments = (comments or "").strip()
    errors = []
    if defended_on is None:
        errors.append(("defended_on", _("Indiquez la date de la soutenance.")))
    elif defended_on > clock.today_in_paris():
        errors.append(("defended_on", _("La date de la soutenance ne peut pas être dans le futur.")))
    elif defended_on < completed:
        errors.append(("defended_on", _("La soutenance finale a lieu une fois le Parcours achevé (dernier cours "
                                        "réussi et projet validé), le %(date)s : vérifiez la date.",
                                        date=format_date(completed, "long"))))
    if favourable is None:
        errors.append(("decision", _("Indiquez la décision du jury.")))
    elif not favourable and not comments:
        errors.append(("comments", _("Indiquez les observations du jury : elles expliquent à l'apprenant la "
                                     "décision défavorable.")))
    if len(comments) > MAX_COMMENTS_LENGTH:
        errors.append(("comments", _("Les observations doivent contenir au plus %(n)s caractères.",
                                     n=MAX_COMMENTS_LENGTH)))
    if errors:
        raise DomainError(errors)
    assert defended_on is not None  # checked above
    diploma = issue(learner, parcours, defended_on) if favourable else None
    decision = DefenceDecision(user_id=learner.id, parcours_id=parcours.id, defended_on=defended_on,
                               favourable=favourable, comments=comments, recorded_by_id=staff.id,
                               recorded_at=clock.now(), diploma_id=diploma.id if diploma else None)
    db.session.add(decision)
    # The request for this defence, if the learner made one, is answered: another may follow an unfavourable one.
    db.session.execute(update(DefenceRequest).where(
        DefenceRequest.user_id == learner.id, DefenceRequest.parcours_id == parcours.id,
        DefenceRequest.closed_at.is_(None)).values(closed_at=clock.now()))
    db.session.flush()
    mail.queue(learner.email, "defence_decision", learner.locale, user=learner, decision=decision,
               diploma=diploma)
    return decision


def issue(learner: User, parcours: Parcours, defended_on: date) -> Certificate:
    """The diploma of `parcours` for `learner`, unless one exists already (then that one): an insert "if absent"
    against the unique learner+Parcours constraint, so two concurrent decisions issue one diploma. The learner's
    name and the Parcours's title are copied as they are now."""
    rows.insert_if_absent(Certificate, {
        "public_id": new_public_id(), "kind": CertificateKind.DIPLOMA, "user_id": learner.id,
        "parcours_id": parcours.id, "learner_name": learner.full_name, "title_fr": parcours.title_fr,
        "title_en": parcours.title_en or parcours.title_fr, "issuer": current_app.config["COMPANY"]["name"],
        "issued_at": clock.now(), "defended_on": defended_on,
    }, ["user_id", "parcours_id"])
    diploma = diploma_for(learner.id, parcours.id)
    assert diploma is not None  # written just now, or by whoever was first
    return diploma
