"""Mentoring (Premium Plus): the Parcours each mentor accompanies (the mentor of each Plus subscription is a
`MentorAssignment`, in models/commerce.py beside the subscription), the weekly slots a mentor offers, and the
sessions learners book in them."""

import enum
from datetime import datetime, time

from sqlalchemy import ForeignKey, Index, Integer, String, Text, Time, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models._types import UTCDateTime, string_enum
from app.models.catalog import Parcours
from app.models.user import User


class MentorParcours(Model):
    """A mentor accompanies the learners of this Parcours (the team says which, with `flask mentors`)."""
    __tablename__ = "mentor_parcours"
    __table_args__ = (UniqueConstraint("mentor_id", "parcours_id", name="uq_mentor_parcours"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    parcours_id: Mapped[int] = mapped_column(ForeignKey("parcours.id"), index=True)

    mentor: Mapped[User] = relationship()
    parcours: Mapped[Parcours] = relationship()


class MentorSlot(Model):
    """A weekly slot a mentor offers for a mentoring session, in the mentor's own time zone (every Tuesday at 18:00,
    Europe/Paris): each week it gives one session of `SESSION_MINUTES`."""
    __tablename__ = "mentor_slot"
    __table_args__ = (UniqueConstraint("mentor_id", "weekday", "starts_at", name="uq_mentor_slot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)  # 0 Monday ... 6 Sunday
    starts_at: Mapped[time] = mapped_column(Time)  # the mentor's wall-clock time
    time_zone: Mapped[str] = mapped_column(String(60))  # an IANA name, e.g. Europe/Paris
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SessionStatus(enum.StrEnum):
    BOOKED = "booked"
    CANCELLED = "cancelled"


class Attendance(enum.StrEnum):
    PRESENT = "present"
    LATE = "late"  # more than 15 minutes late: counted as an absence (Student Rules)
    ABSENT = "absent"
    EXCUSED = "excused"  # absent for a reason the mentor accepts


class MentoringSession(Model):
    """A mentoring session booked by a Premium Plus learner in one of their mentor's slots. Its `uid` names the
    calendar event for good (the .ics sent at booking and at cancellation); `sequence` counts its changes."""
    __tablename__ = "mentoring_session"
    # One booked session per mentor and start: two learners booking the same slot at once, one wins.
    __table_args__ = (Index("uq_mentoring_session_booked_slot", "mentor_id", "starts_at", unique=True,
                            sqlite_where=text("status = 'booked'"), postgresql_where=text("status = 'booked'")),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscription.id"), index=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[SessionStatus] = mapped_column(string_enum(SessionStatus), default=SessionStatus.BOOKED)
    video_url: Mapped[str] = mapped_column(String(300))
    uid: Mapped[str] = mapped_column(String(100), unique=True)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Cancelled less than 24 hours before: the reason the learner gave (the Student Rules count such a
    # cancellation as an unjustified absence unless the reason is legitimate).
    late_cancellation_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    # After the session, the mentor records the learner's attendance and a short note for them.
    attendance: Mapped[Attendance | None] = mapped_column(string_enum(Attendance), nullable=True)
    attendance_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    attendance_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # The learner contested the record (their written request to Student Success), who may correct it.
    contest_request_id: Mapped[int | None] = mapped_column(ForeignKey("contact_request.id"), nullable=True)
    attendance_corrected_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    learner: Mapped[User] = relationship(foreign_keys=[learner_id])
    mentor: Mapped[User] = relationship(foreign_keys=[mentor_id])

    @property
    def is_booked(self) -> bool:
        return self.status == SessionStatus.BOOKED
