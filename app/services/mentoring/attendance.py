"""Attendance at mentoring sessions (Student Rules; CGS-2.2-E1): after a session the mentor records whether the
learner came (more than 15 minutes late counts as absent) with a short note for them; the learner reads every record
and may contest one in writing (a request to Student Success). Two unjustified absences within a rolling three
months put the learner on Student Success's list for the warning procedure of the Student Rules."""

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import ScalarSelect, SQLColumnExpression, bindparam, func, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Attendance, MentoringSession, SessionStatus, User
from app.services import DomainError
from app.services.common import clock, mail

UNJUSTIFIED = (Attendance.LATE, Attendance.ABSENT)
WINDOW = timedelta(days=91)  # a rolling three months
WARNING_AFTER = 2


def can_record(session: MentoringSession, mentor: User) -> bool:
    """The session's own mentor, once it has started; a record may be corrected."""
    return session.mentor_id == mentor.id and session.is_booked and clock.now() >= session.starts_at


def record(session: MentoringSession, mentor: User, attendance: Attendance, note: str) -> None:
    if not can_record(session, mentor):
        raise DomainError([(None, str(_l("Cette séance n'a pas encore eu lieu, ou n'est pas la vôtre.")))])
    session.attendance, session.attendance_note = attendance, note.strip() or None
    session.attendance_recorded_at = clock.now()
    db.session.flush()
    learner = session.learner
    mail.queue(learner.email, "mentoring_attendance", learner.locale, session=session, person=learner,
               dedupe_key=f"attendance:{session.id}:{session.attendance_recorded_at.isoformat()}")


_TO_RECORD = (  # built once (the mentor's space)
    select(MentoringSession).options(joinedload(MentoringSession.learner)).where(
        MentoringSession.mentor_id == bindparam("mentor_id"), MentoringSession.status == SessionStatus.BOOKED,
        MentoringSession.starts_at <= bindparam("now"), MentoringSession.attendance.is_(None))
    .order_by(MentoringSession.starts_at))


def to_record(mentor: User) -> list[MentoringSession]:
    """The mentor's sessions that took place and wait for their attendance, the oldest first."""
    return list(db.session.scalars(_TO_RECORD, {"mentor_id": mentor.id, "now": clock.now()}))


def can_contest(session: MentoringSession) -> bool:
    return session.attendance is not None


def to_warn() -> list[tuple[User, int]]:
    """The learners with at least two unjustified absences over the last three months, the most first."""
    since = clock.now() - WINDOW
    counted = (select(MentoringSession.learner_id, func.count(MentoringSession.id).label("absences"))
               .where(MentoringSession.attendance.in_(UNJUSTIFIED), MentoringSession.starts_at >= since)
               .group_by(MentoringSession.learner_id).having(func.count(MentoringSession.id) >= WARNING_AFTER)
               .subquery())
    rows = db.session.execute(select(User, counted.c.absences).join(counted, counted.c.learner_id == User.id)
                              .order_by(counted.c.absences.desc(), User.last_name)).all()
    return [(row[0], int(row[1])) for row in rows]


def latest_note_id(subscription_id: int | SQLColumnExpression[int]) -> ScalarSelect[int]:
    """The last session whose attendance the mentor recorded with a note for the learner (its id, for a query; the
    contract's id may be an outer query's column)."""
    return (select(MentoringSession.id).where(
        MentoringSession.subscription_id == subscription_id, MentoringSession.attendance_note.is_not(None))
        .order_by(MentoringSession.attendance_recorded_at.desc()).limit(1)
        .correlate_except(MentoringSession).scalar_subquery())



def unjustified_absences(learner: User) -> list[MentoringSession]:
    """The learner's unjustified absences over the last three months, the first first."""
    return list(db.session.scalars(select(MentoringSession).where(
        MentoringSession.learner_id == learner.id, MentoringSession.attendance.in_(UNJUSTIFIED),
        MentoringSession.starts_at >= clock.now() - WINDOW).order_by(MentoringSession.starts_at)))


def mark_contested(session: MentoringSession, request_id: int) -> None:
    """The learner's written contest of the record (a request to Student Success), kept with the session."""
    session.contest_request_id = request_id


def contested_by(request_id: int) -> MentoringSession | None:
    """The session whose record a request to Student Success contests."""
    return db.session.scalar(select(MentoringSession).where(MentoringSession.contest_request_id == request_id))


def can_correct(session: MentoringSession, staff: User) -> bool:
    return staff.is_staff and session.contest_request_id is not None and session.attendance is not None


def correct(session: MentoringSession, staff: User, corrected: Attendance, note: str) -> None:
    """Student Success corrects a contested record; the learner is told, and the absences are counted again from
    the corrected record."""
    if not can_correct(session, staff):
        raise DomainError([(None, str(_l("Seul un enregistrement contesté par l'apprenant est corrigé ici.")))])
    session.attendance, session.attendance_note = corrected, note.strip() or session.attendance_note
    session.attendance_corrected_at = clock.now()
    db.session.flush()
    learner = session.learner
    mail.queue(learner.email, "mentoring_attendance_corrected", learner.locale, session=session, person=learner,
               dedupe_key=f"attendance-corrected:{session.id}:{session.attendance_corrected_at.isoformat()}")
