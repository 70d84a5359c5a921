"""Calendar invitations (RFC 5545): one event named for good by its `uid`, its SEQUENCE raised by each change, sent
with METHOD:REQUEST, or METHOD:CANCEL once cancelled, so that a calendar application updates the event it already
holds. Mentoring sessions and final defences are sent this way."""

from dataclasses import dataclass
from datetime import datetime

from icalendar import Calendar, Event, vCalAddress, vText

from app.services.common import clock, mail

PRODUCT = "-//Portail apprenant//Agenda//FR"


@dataclass(frozen=True)
class Person:
    email: str
    name: str


@dataclass(frozen=True)
class Meeting:
    uid: str
    sequence: int
    starts_at: datetime
    ends_at: datetime
    title: str
    description: str
    video_url: str
    organizer: Person
    attendees: tuple[Person, ...]
    cancelled: bool = False


def _address(person: Person) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    address.params["cn"] = vText(person.name)
    return address


def invitation(meeting: Meeting) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if meeting.cancelled else "REQUEST")
    event = Event()
    event.add("uid", meeting.uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", clock.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("summary", meeting.title)
    event.add("description", meeting.description)
    event.add("location", meeting.video_url)
    event.add("url", meeting.video_url)
    event.add("status", "CANCELLED" if meeting.cancelled else "CONFIRMED")
    event.add("organizer", _address(meeting.organizer))
    for person in meeting.attendees:
        attendee = _address(person)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", attendee)
    calendar.add_component(event)
    content: bytes = calendar.to_ical()
    return content


def attachment(meeting: Meeting, filename: str) -> mail.Attachment:
    return mail.Attachment(filename, "text/calendar", invitation(meeting))
