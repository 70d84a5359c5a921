"""Mentoring sessions (issue: Premium Plus for real; Student Rules, sessions): a learner books one of their mentor's
weekly slots, within the sessions their Parcours gives each month; two learners on the same slot, one wins; a session
is cancelled without a reason until 24 hours before it (the later reading across a change of summer time), later only
with one; each change mails both with a calendar invitation a real parser reads back."""

from datetime import UTC, datetime

import pytest
from icalendar import Calendar

from app.extensions import db
from app.models import MentoringSession, OutboxMessage, SessionStatus
from app.services import DomainError
from app.services.common import clock
from app.services.mentoring import availability, sessions
from tests.plus_learners import IN_THE_PERIOD, mentored_in_march, plus_learner


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.fixture
def learner():
    return mentored_in_march()[1]


def invitation_of(message: OutboxMessage) -> Calendar:
    [attachment] = message.attachments
    assert attachment.content_type == "text/calendar" and attachment.filename.endswith(".ics")
    return Calendar.from_ical(attachment.content)


def test_the_free_starts_are_the_mentors_sundays_at_six_in_paris_time_summer_time_included(learner):
    assert availability.free_starts(learner) == [utc(2027, 3, 14, 17), utc(2027, 3, 21, 17), utc(2027, 3, 28, 16)]


@pytest.mark.clause("CGS-2.2-A1")
def test_booking_mails_both_an_invitation_that_a_calendar_reads(learner):
    session = sessions.book(learner, utc(2027, 3, 14, 17))
    db.session.commit()
    assert utc(2027, 3, 14, 17) not in availability.free_starts(learner)
    messages = db.session.query(OutboxMessage).filter(OutboxMessage.subject.startswith("Séance de mentorat")).all()
    assert {message.recipient for message in messages} == {"lea.plus@example.org", "thomas@example.org"}
    for message in messages:
        calendar = invitation_of(message)
        assert str(calendar["METHOD"]) == "REQUEST"
        [event] = calendar.walk("VEVENT")
        assert str(event["UID"]) == session.uid and int(event["SEQUENCE"]) == 0
        assert event.decoded("DTSTART") == utc(2027, 3, 14, 17)
        assert event.decoded("DTEND") == utc(2027, 3, 14, 17, 45)
        assert str(event["LOCATION"]) == "https://visio.example.org/salle-thomas"
        assert str(event["ORGANIZER"]) == "mailto:thomas@example.org"
        assert "https://visio.example.org/salle-thomas" in message.body_text


def test_a_start_not_offered_is_refused(learner):
    with pytest.raises(DomainError):
        sessions.book(learner, utc(2027, 3, 15, 17))  # a Monday: no slot


def test_two_learners_on_the_same_start_one_wins_and_the_other_is_told(learner, monkeypatch):
    other = plus_learner("noe.plus@example.org")  # the same mentor, the same Parcours
    clock.freeze(IN_THE_PERIOD)
    first = sessions.book(learner, utc(2027, 3, 21, 17))
    db.session.commit()
    with pytest.raises(DomainError, match="n'est plus proposé"):
        sessions.book(other, utc(2027, 3, 21, 17))
    # Both read the start as free at once; the database lets one booking through.
    db.session.add(MentoringSession(
        subscription_id=other.id, learner_id=other.user_id, mentor_id=first.mentor_id,
        starts_at=utc(2027, 3, 28, 16), ends_at=utc(2027, 3, 28, 16, 45), status=SessionStatus.BOOKED,
        video_url="https://visio.example.org/salle-thomas", uid="first@mentorat", sequence=0, created_at=clock.now()))
    db.session.commit()
    # As the other learner's page read the free starts, before this commit.
    monkeypatch.setattr(availability, "free_starts", lambda subscription: [utc(2027, 3, 28, 16)])
    with pytest.raises(DomainError, match="Quelqu'un vient de réserver"):
        sessions.book(learner, utc(2027, 3, 28, 16))
    assert db.session.query(MentoringSession).filter_by(starts_at=utc(2027, 3, 28, 16)).count() == 1


def test_the_sessions_of_a_period_are_counted(learner):
    learner.parcours.sessions_per_month = 2
    for start in (utc(2027, 3, 14, 17), utc(2027, 3, 21, 17)):
        sessions.book(learner, start)
    db.session.commit()
    [current, following] = availability.periods(learner)
    assert (current.allowed, current.booked, current.left) == (2, 2, 0)
    assert following.left == 2
    assert availability.free_starts(learner) == []  # the 28th is still in the period that started on 8 March


def test_a_session_is_cancelled_without_a_reason_until_24_hours_before(learner):
    session = sessions.book(learner, utc(2027, 3, 14, 17))
    db.session.commit()
    clock.freeze(utc(2027, 3, 13, 16, 59))
    assert not sessions.is_late(session)
    sessions.cancel(session)
    db.session.commit()
    assert session.status == SessionStatus.CANCELLED and session.sequence == 1
    message = db.session.query(OutboxMessage).filter(OutboxMessage.recipient == "thomas@example.org",
                                                     OutboxMessage.subject.contains("annulée")).one()
    calendar = invitation_of(message)
    [event] = calendar.walk("VEVENT")
    assert str(calendar["METHOD"]) == "CANCEL" and str(event["UID"]) == session.uid and int(event["SEQUENCE"]) == 1
    assert utc(2027, 3, 14, 17) in availability.free_starts(learner)  # free again for whoever books in time


def test_later_a_reason_is_needed_and_recorded(learner):
    session = sessions.book(learner, utc(2027, 3, 14, 17))
    db.session.commit()
    clock.freeze(utc(2027, 3, 13, 17, 1))
    assert sessions.is_late(session)
    with pytest.raises(DomainError, match="indiquez le motif"):
        sessions.cancel(session, "  ")
    sessions.cancel(session, "Hospitalisée depuis ce matin.")
    assert session.late_cancellation_reason == "Hospitalisée depuis ce matin."


def test_across_the_change_to_summer_time_the_learner_gets_the_later_deadline(learner):
    """Sunday 28 March 2027, 18:00 in Paris (16:00 UTC, summer time since 02:00): 24 hours of elapsed time end on
    Saturday at 17:00 in Paris, the same Paris time the day before is 18:00: the learner cancels freely until 18:00."""
    session = sessions.book(learner, utc(2027, 3, 28, 16))
    db.session.commit()
    clock.freeze(datetime(2027, 3, 27, 17, 30, tzinfo=clock.PARIS))
    assert not sessions.is_late(session)
    clock.freeze(datetime(2027, 3, 27, 18, 0, tzinfo=clock.PARIS))
    assert sessions.is_late(session)


@pytest.mark.clause("CGS-2.2-A1")
def test_a_moved_session_is_the_same_event_updated_in_both_calendars(learner):
    learner.parcours.sessions_per_month = 1  # the session moved leaves its place: the one a period gives is enough
    session = sessions.book(learner, utc(2027, 3, 14, 17))
    db.session.commit()
    assert availability.free_starts(learner) == []
    assert utc(2027, 3, 21, 17) in availability.free_starts(learner, moving=session)
    sessions.move(session, learner, utc(2027, 3, 21, 17))
    db.session.commit()
    assert (session.starts_at, session.sequence) == (utc(2027, 3, 21, 17), 1)
    message = db.session.query(OutboxMessage).filter(OutboxMessage.recipient == "thomas@example.org",
                                                     OutboxMessage.subject.contains("déplacée")).one()
    calendar = invitation_of(message)
    [event] = calendar.walk("VEVENT")
    assert str(calendar["METHOD"]) == "REQUEST" and str(event["UID"]) == session.uid
    assert int(event["SEQUENCE"]) == 1 and event.decoded("DTSTART") == utc(2027, 3, 21, 17)


def test_a_session_is_no_longer_moved_within_24_hours(learner):
    session = sessions.book(learner, utc(2027, 3, 14, 17))
    db.session.commit()
    clock.freeze(utc(2027, 3, 13, 17, 1))
    with pytest.raises(DomainError, match="ne peut plus être déplacée"):
        sessions.move(session, learner, utc(2027, 3, 21, 17))
