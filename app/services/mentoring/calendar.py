"""The calendar invitation of a mentoring session: one event per session, named for good by the session's `uid`
(`common.calendar`), cancelled with the session."""

from app.models import MentoringSession
from app.services.common import calendar, mail


def _meeting(session: MentoringSession, title: str, description: str) -> calendar.Meeting:
    return calendar.Meeting(
        uid=session.uid, sequence=session.sequence, starts_at=session.starts_at, ends_at=session.ends_at,
        title=title, description=description, video_url=session.video_url,
        organizer=calendar.Person(session.mentor.email, session.mentor.full_name),
        attendees=(calendar.Person(session.learner.email, session.learner.full_name),),
        cancelled=not session.is_booked)


def attachment(session: MentoringSession, title: str, description: str) -> mail.Attachment:
    return calendar.attachment(_meeting(session, title, description), "seance.ics")
