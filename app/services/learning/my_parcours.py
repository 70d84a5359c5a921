""""Mon parcours", a Premium Plus learner's home: where they stand in their Parcours (projects validated out of the
required ones, courses passed), their next mentoring session, what their mentor last wrote to them (a note on a
session or the evaluation of a project, whichever is later), the next project to hand in, the defence and the
diploma. Read from "Continuer"'s standing of the Parcours, with the sessions and the mentor's last words."""

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

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
from app.services.learning import continuing, defences, diplomas
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


def _sessions(subscription: Subscription) -> tuple[MentoringSession | None, MentoringSession | None]:
    """The next session booked, and the last one the mentor wrote a note on, in one query."""
    upcoming, noted = sessions.is_upcoming(), MentoringSession.id == attendance.latest_note_id(subscription)
    rows = db.session.execute(
        select(MentoringSession, upcoming, noted).options(joinedload(MentoringSession.mentor))
        .where(MentoringSession.subscription_id == subscription.id, or_(upcoming, noted))
        .order_by(MentoringSession.starts_at)).all()
    return (next((session for session, is_next, _ in rows if is_next), None),
            next((session for session, _, is_noted in rows if is_noted), None))


def _last_word(subscription: Subscription, note: MentoringSession | None) -> MentorWord | None:
    evaluated = projects.latest_evaluated(subscription)
    words = []
    if note is not None and note.attendance_recorded_at is not None:
        words.append(MentorWord(note.attendance_recorded_at, session=note))
    if evaluated is not None and evaluated.evaluated_at is not None:
        words.append(MentorWord(evaluated.evaluated_at, submission=evaluated))
    return max(words, key=lambda word: word.written_at, default=None)


def _diploma_defence_and_case(subscription: Subscription, parcours_id: int) -> tuple[
        Certificate | None, DefenceRequest | None, DisciplinaryCase | None]:
    """The diploma of the Parcours, the open request for its defence and the open procedure of the Student Rules,
    each as its own service defines it, in one statement (each is at most one row)."""
    row = db.session.execute(
        select(Certificate, DefenceRequest, DisciplinaryCase).select_from(Subscription)
        .outerjoin(Certificate, diplomas.is_diploma_of(subscription.user_id, parcours_id))
        .outerjoin(DefenceRequest, defences.is_open_request(subscription.user_id, parcours_id))
        .outerjoin(DisciplinaryCase, discipline.is_open_case(subscription))
        .where(Subscription.id == subscription.id).limit(1)).one()
    return row[0], row[1], row[2]


def of_learner(user: User) -> MyParcours | None:
    """The learner's Parcours, or None when they have no Premium Plus subscription giving access now."""
    subscription = subscriptions.current_subscription(user.id, OfferKind.PLUS, with_parcours=True)
    if subscription is None or not mentors.needs_mentor(subscription) or subscription.parcours_id is None:
        return None
    diploma, defence, open_case = _diploma_defence_and_case(subscription, subscription.parcours_id)
    standing = continuing.with_subscription(user, subscription, diploma).parcours
    if standing is None:
        return None
    next_session, note = _sessions(subscription)
    return MyParcours(subscription, standing, next_session, _last_word(subscription, note),
                      defence, defences.may_ask_given(subscription, standing.completed_on, standing.diploma, defence),
                      open_case)
