"""Sanctions of a Premium Plus learner under the Student Rules (art. 6 and 7; CGS-2.2-E1), never without their
procedure:
1. Student Success notifies the learner in writing of the facts, the rule concerned and the sanction considered;
2. the learner has 8 days from that notification to explain themselves, in writing or by asking for a video
   interview;
3. no decision before the 8 days are over, unless the learner has already answered;
4. the decision is reasoned and notified by email with the sanction kept (or none), its date of effect and how to
   contest it. It is never heavier than the sanction the notification considered (the learner was heard on that).

The sanctions: a written warning; the suspension of mentoring for at most a month (courses and projects stay open;
no session can be booked meanwhile); the termination of the Premium Plus subscription at the platform's initiative,
read as ending with the period already paid: nothing more is charged, no L444-8 indemnity is due, and the learner
cannot undo it as they could their own cancellation.

Functions flush and never commit: the caller commits once.
"""

from datetime import date, datetime, time, timedelta

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, SQLColumnExpression, and_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import DisciplinaryCase, RuleBreached, Sanction, Subscription, User
from app.models.commerce import SubscriptionStatus
from app.services import DomainError
from app.services.commerce import mentors, subscription_mail, subscriptions
from app.services.common import clock, periods
from app.time_zone import PARIS

ANSWER_DAYS = 8
MAX_TEXT_LENGTH = 5000
SEVERITY = {Sanction.WARNING: 1, Sanction.MENTORING_SUSPENSION: 2, Sanction.TERMINATION: 3}


def is_open_case(subscription_id: int | SQLColumnExpression[int]) -> ColumnElement[bool]:
    """A procedure of the Student Rules on this contract, waiting for the learner's answer or a decision."""
    return and_(DisciplinaryCase.subscription_id == subscription_id, DisciplinaryCase.decided_at.is_(None))


def open_case_of(subscription: Subscription) -> DisciplinaryCase | None:
    return db.session.scalar(select(DisciplinaryCase).where(is_open_case(subscription.id)))


def may_open(subscription: Subscription | None) -> bool:
    """A Premium Plus contract in effect, without a procedure already open."""
    return subscription is not None and mentors.needs_mentor(subscription) and open_case_of(subscription) is None


def _text_errors(field: str, value: str, missing: str) -> list[tuple[str | None, str]]:
    if not value.strip():
        return [(field, missing)]
    if len(value.strip()) > MAX_TEXT_LENGTH:
        return [(field, str(_l("Le texte ne doit pas dépasser %(n)s caractères.", n=MAX_TEXT_LENGTH)))]
    return []


def open_case(subscription: Subscription | None, staff: User, rule: RuleBreached | None, facts: str,
              considered: Sanction | None) -> DisciplinaryCase:
    """Step 1: the written notification of the facts, the rule and the sanction considered, mailed to the learner
    with the day their answer is due."""
    errors = _text_errors("facts", facts, str(_l("Exposez les faits reprochés : dates, séances, ce qui s'est "
                                                  "passé.")))
    if rule is None:
        errors.append(("rule", str(_l("Choisissez l'article du règlement concerné."))))
    if considered is None:
        errors.append(("considered", str(_l("Choisissez la sanction envisagée."))))
    if not staff.is_staff:
        errors.append((None, str(_l("Seule l'équipe Student Success engage cette procédure."))))
    elif not may_open(subscription):
        errors.append((None, str(_l("Cette procédure concerne un abonnement Premium Plus en cours, et une seule "
                                    "procédure à la fois."))))
    if errors:
        raise DomainError(errors)
    assert subscription is not None and rule is not None and considered is not None
    case = DisciplinaryCase(learner_id=subscription.user_id, subscription_id=subscription.id, opened_by_id=staff.id,
                            opened_at=clock.now(), rule=rule, facts=facts.strip(), considered=considered,
                            answer_by=clock.now() + timedelta(days=ANSWER_DAYS), interview_requested=False)
    try:
        with db.session.begin_nested():
            db.session.add(case)
    except IntegrityError:
        raise DomainError([(None, str(_l("Une procédure est déjà ouverte pour cet abonnement.")))]) from None
    subscription_mail.student_rules(subscription, "discipline_notified", f"discipline-notified:{case.id}", case=case)
    return case


# --- The learner's answer -----------------------------------------------------------------------------------

def learners_case(user: User, case_id: int) -> DisciplinaryCase | None:
    """The learner's own procedure; anyone else's is as good as unknown."""
    case = db.session.get(DisciplinaryCase, case_id)
    return case if case is not None and case.learner_id == user.id else None


def cases_of(user: User) -> list[DisciplinaryCase]:
    return list(db.session.scalars(select(DisciplinaryCase).where(DisciplinaryCase.learner_id == user.id)
                                   .order_by(DisciplinaryCase.opened_at.desc())))


def can_answer(case: DisciplinaryCase) -> bool:
    """Until the decision, even after the 8 days: an answer that comes before the decision is read."""
    return not case.is_decided


def answer(case: DisciplinaryCase, text: str, interview: bool) -> None:
    """Step 2: the learner's written explanations, and/or their request for a video interview."""
    errors: list[tuple[str | None, str]] = []
    if not can_answer(case):
        errors.append((None, str(_l("La décision est déjà prise : vous pouvez la contester par écrit auprès de "
                                    "Student Success."))))
    if not text.strip() and not interview:
        errors.append(("answer", str(_l("Écrivez vos explications, ou demandez un entretien en visioconférence."))))
    elif len(text.strip()) > MAX_TEXT_LENGTH:
        errors.append(("answer", str(_l("Le texte ne doit pas dépasser %(n)s caractères.", n=MAX_TEXT_LENGTH))))
    if errors:
        raise DomainError(errors)
    case.answer = text.strip() or None
    case.interview_requested = interview
    case.answered_at = clock.now()
    db.session.flush()


# --- The decision -------------------------------------------------------------------------------------------

def open_case_ids(learner_ids: list[int]) -> dict[int, int]:
    """{learner id: their open procedure's id}, for those of `learner_ids` who have one. One query."""
    return {learner_id: case_id for learner_id, case_id in db.session.execute(
        select(DisciplinaryCase.learner_id, DisciplinaryCase.id).where(
            DisciplinaryCase.learner_id.in_(learner_ids), DisciplinaryCase.decided_at.is_(None)))}


def open_cases() -> list[DisciplinaryCase]:
    """The procedures waiting for a decision, the oldest first."""
    return list(db.session.scalars(select(DisciplinaryCase).where(DisciplinaryCase.decided_at.is_(None))
                                   .options(joinedload(DisciplinaryCase.learner))
                                   .order_by(DisciplinaryCase.opened_at, DisciplinaryCase.id)))


def can_decide(case: DisciplinaryCase) -> bool:
    """Step 3: not before the 8 days are over, unless the learner has answered."""
    return not case.is_decided and (case.answered_at is not None or clock.now() >= case.answer_by)


def longest_suspension(today: date) -> date:
    """A month from today, at most (art. 6)."""
    return periods.add_months(datetime.combine(today, time(12, 0), tzinfo=PARIS), 1).date()


def decide(case: DisciplinaryCase, staff: User, outcome: Sanction | None, reasons: str,
           suspended_until: date | None) -> None:
    """Step 4: the reasoned decision, its sanction (None: no sanction) and its date of effect, mailed to the
    learner with how to contest it."""
    today = clock.today_in_paris()
    errors = _text_errors("reasons", reasons, str(_l("Motivez la décision : les faits retenus, les explications "
                                                      "de l'apprenant, et pourquoi cette issue.")))
    if not staff.is_staff:
        errors.append((None, str(_l("Seule l'équipe Student Success engage cette procédure."))))
    elif not can_decide(case):
        errors.append((None, str(_l("Pas de décision avant le %(date)s, fin du délai de réponse de l'apprenant, sauf "
                                    "s'il a déjà répondu.", date=answer_day(case)))))
    if outcome is not None and SEVERITY[outcome] > SEVERITY[case.considered]:
        errors.append(("outcome", str(_l("La sanction ne peut pas être plus lourde que celle annoncée dans la "
                                         "notification."))))
    if outcome == Sanction.MENTORING_SUSPENSION:
        if suspended_until is None or suspended_until <= today:
            errors.append(("suspended_until", str(_l("Indiquez la fin de la suspension, après aujourd'hui."))))
        elif suspended_until > longest_suspension(today):
            errors.append(("suspended_until", str(_l("Une suspension dure un mois au plus : jusqu'au %(date)s.",
                                                     date=format_date(longest_suspension(today), "long")))))
    if errors:
        raise DomainError(errors)
    case.decided_at, case.decided_by_id = clock.now(), staff.id
    case.outcome, case.reasons = outcome, reasons.strip()
    case.suspended_until = suspended_until if outcome == Sanction.MENTORING_SUSPENSION else None
    case.effective_on = today
    if outcome == Sanction.TERMINATION:
        case.effective_on = _terminate(case.subscription)
    db.session.flush()
    subscription_mail.student_rules(case.subscription, "discipline_decided", f"discipline-decided:{case.id}",
                                    case=case, termination=outcome == Sanction.TERMINATION)


def answer_day(case: DisciplinaryCase) -> str:
    """The last day of the learner's 8 days, as the reader writes dates."""
    return str(format_date(case.answer_by.astimezone(PARIS).date(), "long"))


def _terminate(subscription: Subscription) -> date:
    """The subscription ends with the period already paid, nothing charged after it; the day it ends."""
    if subscriptions.can_cancel(subscription) and not subscriptions.is_cancelled(subscription):
        subscriptions.cancel(subscription, confirm_by_mail=False)  # the decision's own mail says it
    end = subscription.current_period_end
    if end is None or subscription.status == SubscriptionStatus.ENDED:
        return clock.today_in_paris()
    return end.astimezone(PARIS).date()


def mentoring_suspended(subscription: Subscription) -> date | None:
    """The last day of a suspension of mentoring in force, if any."""
    return db.session.scalar(select(DisciplinaryCase.suspended_until).where(
        DisciplinaryCase.subscription_id == subscription.id, DisciplinaryCase.outcome == Sanction.MENTORING_SUSPENSION,
        DisciplinaryCase.suspended_until >= clock.today_in_paris()).order_by(DisciplinaryCase.suspended_until.desc())
        .limit(1))
