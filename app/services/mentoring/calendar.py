"""The calendar invitation of a mentoring session (RFC 5545): one event per session, named for good by the
session's `uid`, its SEQUENCE raised by each change, sent with METHOD:REQUEST when booked and METHOD:CANCEL when
cancelled, so that a calendar application updates the event it already holds."""

from icalendar import Calendar, Event, vCalAddress, vText

from app.models import MentoringSession
from app.services.common import clock, mail

PRODUCT = "-//Portail apprenant//Mentorat//FR"


def invitation(session: MentoringSession, title: str, description: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST" if session.is_booked else "CANCEL")
    event = Event()
    event.add("uid", session.uid)
    event.add("sequence", session.sequence)
    event.add("dtstamp", clock.now())
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("summary", title)
    event.add("description", description)
    event.add("location", session.video_url)
    event.add("url", session.video_url)
    event.add("status", "CONFIRMED" if session.is_booked else "CANCELLED")
    organizer = vCalAddress(f"mailto:{session.mentor.email}")
    organizer.params["cn"] = vText(session.mentor.full_name)
    event.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{session.learner.email}")
    attendee.params["cn"] = vText(session.learner.full_name)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    event.add("attendee", attendee)
    calendar.add_component(event)
    content: bytes = calendar.to_ical()
    return content


def attachment(session: MentoringSession, title: str, description: str) -> mail.Attachment:
    return mail.Attachment("seance.ics", "text/calendar", invitation(session, title, description))
