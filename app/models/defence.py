"""A learner's request for the final defence of a Parcours (CGS-DEF-3), the accommodations they ask for, and the
defence Student Success schedules with a jury. Closed when the jury's decision is recorded; after an unfavourable
decision the learner may ask again, which is another row."""

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models._types import UTCDateTime
from app.models.catalog import Parcours
from app.models.user import User


class DefenceRequest(Model):
    __tablename__ = "defence_request"
    # One open request per learner and Parcours: the same form sent twice at once records one.
    __table_args__ = (Index("uq_defence_request_open", "user_id", "parcours_id", unique=True,
                            sqlite_where=text("closed_at IS NULL"), postgresql_where=text("closed_at IS NULL")),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    parcours_id: Mapped[int] = mapped_column(ForeignKey("parcours.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Accommodations asked for (and, in words, any other or the details).
    extra_time: Mapped[bool] = mapped_column(Boolean, default=False)
    sign_language: Mapped[bool] = mapped_column(Boolean, default=False)
    other_format: Mapped[bool] = mapped_column(Boolean, default=False)
    accommodation_details: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Scheduled by Student Success: when, how long, where, who sits on the jury, and the answer on accommodations.
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    video_url: Mapped[str | None] = mapped_column(String(300), nullable=True)
    jury: Mapped[str | None] = mapped_column(Text, nullable=True)
    accommodation_answer: Mapped[str | None] = mapped_column(Text, nullable=True)
    scheduled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    # The calendar event, named for good; SEQUENCE raised by each new schedule.
    uid: Mapped[str] = mapped_column(String(100), unique=True)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    parcours: Mapped[Parcours] = relationship()
    scheduled_by: Mapped[User | None] = relationship(foreign_keys=[scheduled_by_id])

    @property
    def asks_accommodations(self) -> bool:
        return self.extra_time or self.sign_language or self.other_format or bool(self.accommodation_details)

    @property
    def is_scheduled(self) -> bool:
        return self.starts_at is not None
