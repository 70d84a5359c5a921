""""Mon parcours", a Premium Plus learner's home: where they stand in their Parcours (projects validated out of the
required ones, courses passed), their next mentoring session, what their mentor last wrote to them (a note on a
session or the evaluation of a project, whichever is later), the next project to hand in, the defence and the
diploma. Read from "Continuer"'s standing of the Parcours, with the sessions and the mentor's last words."""

import enum
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam
from sqlalchemy.orm import aliased, joinedload, selectinload

from app.extensions import db
from app.models import (
    Certificate,
    DefenceRequest,
    DisciplinaryCase,
    MentoringSession,
    ProjectSubmission,
    Subscription,
    User,
)
from app.models.commerce import OfferKind
from app.services.commerce import mentors, subscriptions
from app.services.common import clock
from app.services.learning import continuing, defences
from app.services.learning.continuing import ParcoursStanding
from app.services.mentoring import attendance, discipline, projects, sessions


@dataclass(frozen=True)
class MentorWord:
    """What the mentor last wrote to the learner: on a session's attendance, or in a project's evaluation."""

    written_at: datetime
    session: MentoringSession | None = None
    submission: ProjectSubmission | None = None


@dataclass(frozen=True)
class MyParcours:
    subscription: Subscription
    standing: ParcoursStanding
    next_session: MentoringSession | None
    last_word: MentorWord | None
    defence: DefenceRequest | None  # the request for the final defence, while it is open
    may_ask_for_defence: bool  # `defences.may_ask`
    open_case: DisciplinaryCase | None  # a procedure of the Student Rules waiting for their answer or a decision

    @property
    def can_move_next_session(self) -> bool:
        return self.next_session is not None and sessions.can_move(self.next_session)


class Home(enum.Enum):
    """Where a learner lands once signed in."""
    MY_PARCOURS = "my_parcours"  # a Premium Plus subscriber
    CONTINUING = "continuing"  # a Premium Solo subscriber: the courses in progress
    PUBLIC = "public"  # no subscription giving access: the home page, with the catalogue and the offers


def home_of(user: User) -> Home:
    subscription = subscriptions.current_subscription(user.id)
    if subscription is None or subscription.status not in subscriptions.GIVES_ACCESS:
        return Home.PUBLIC
    return Home.MY_PARCOURS if mentors.needs_mentor(subscription) else Home.CONTINUING


def _last_word(note: MentoringSession | None, evaluated: ProjectSubmission | None) -> MentorWord | None:
    words = []
    if note is not None and note.attendance_recorded_at is not None:
        words.append(MentorWord(note.attendance_recorded_at, session=note))
    if evaluated is not None and evaluated.evaluated_at is not None:
        words.append(MentorWord(evaluated.evaluated_at, submission=evaluated))
    return max(words, key=lambda word: word.written_at, default=None)


@dataclass(frozen=True)
class _Facts:
    """What the page shows of the contract, each at most one row, as its own service defines it."""

    subscription: Subscription
    diploma: Certificate | None
    defence: DefenceRequest | None
    open_case: DisciplinaryCase | None
    next_session: MentoringSession | None
    noted_session: MentoringSession | None  # the last session the mentor wrote a note on
    evaluated: ProjectSubmission | None  # the submission the mentor evaluated last


@cache
def _current_plus_with_facts_statement() -> Select[Any]:
    # Built once, its parameters bound when it runs: a statement of seven entities and three aliases cost about
    # five times more to build than to run.
    next_session, noted_session, evaluated = aliased(MentoringSession), aliased(MentoringSession), \
        aliased(ProjectSubmission)
    return (
        continuing.current_plus_with_diploma_statement()
        .add_columns(DefenceRequest, DisciplinaryCase, next_session, noted_session, evaluated)
        .outerjoin(DefenceRequest, defences.is_open_request(Subscription.user_id, Subscription.parcours_id))
        .outerjoin(DisciplinaryCase, discipline.is_open_case(Subscription.id))
        .outerjoin(next_session, next_session.id == sessions.next_id(Subscription.id, bindparam("now")))
        .outerjoin(noted_session, noted_session.id == attendance.latest_note_id(Subscription.id))
        .outerjoin(evaluated, evaluated.id == projects.latest_evaluated_id(Subscription.id))
        # The evaluation's criteria only when there is one (a query then, none otherwise).
        .options(joinedload(next_session.mentor), selectinload(evaluated.evaluations)))


def _current_plus_with_facts(user: User) -> _Facts | None:
    """The learner's current Premium Plus subscription (with its Parcours and mentor) and, in the same statement,
    the diploma of its Parcours, the open request for the defence, the open procedure of the Student Rules, the
    next session, the last noted one and the last evaluation."""
    row = db.session.execute(_current_plus_with_facts_statement(),
                             {"user_id": user.id, "offer": OfferKind.PLUS, "now": clock.now()}).first()
    if row is None:
        return None
    return _Facts(row[0], row[1], row[2], row[3], row[4], row[5], row[6])


def of_learner(user: User) -> MyParcours | None:
    """The learner's Parcours, or None when they have no Premium Plus subscription giving access now."""
    facts = _current_plus_with_facts(user)
    if facts is None or not mentors.needs_mentor(facts.subscription) or facts.subscription.parcours_id is None:
        return None
    subscription = facts.subscription
    standing = continuing.with_subscription(user, subscription, facts.diploma).parcours
    if standing is None:
        return None
    return MyParcours(subscription, standing, facts.next_session, _last_word(facts.noted_session, facts.evaluated),
                      facts.defence,
                      defences.may_ask_given(subscription, standing.completed_on, standing.diploma, facts.defence),
                      facts.open_case)
