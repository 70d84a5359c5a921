"""The procedure of the Student Rules (art. 6 and 7) before any sanction of a Premium Plus learner: Student Success
notifies the facts, the rule and the sanction considered; the learner answers within 8 days, in writing or by
asking for a video interview; a reasoned decision follows, with its sanction (or none) and its date of effect."""

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models._types import UTCDateTime, string_enum
from app.models.commerce import Subscription
from app.models.user import User


class Sanction(enum.StrEnum):
    """The sanctions of art. 6, lightest first."""
    WARNING = "warning"
    MENTORING_SUSPENSION = "mentoring_suspension"
    TERMINATION = "termination"


class RuleBreached(enum.StrEnum):
    """The article of the Student Rules a case is about."""
    ATTENDANCE = "attendance"  # art. 2
    CONDUCT = "conduct"  # art. 3
    ORIGINALITY = "originality"  # art. 4
    PLATFORM_USE = "platform_use"  # art. 5


class DisciplinaryCase(Model):
    __tablename__ = "disciplinary_case"
    # One procedure at a time per subscription.
    __table_args__ = (Index("uq_disciplinary_case_open", "subscription_id", unique=True,
                            sqlite_where=text("decided_at IS NULL"), postgresql_where=text("decided_at IS NULL")),)

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscription.id"), index=True)
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    rule: Mapped[RuleBreached] = mapped_column(string_enum(RuleBreached, 30))
    facts: Mapped[str] = mapped_column(Text)
    considered: Mapped[Sanction] = mapped_column(string_enum(Sanction, 30))
    answer_by: Mapped[datetime] = mapped_column(UTCDateTime())  # 8 days after the notification
    answer: Mapped[str | None] = mapped_column(Text, nullable=True)
    interview_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # The decision: a sanction, or none (`outcome` empty once decided).
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    outcome: Mapped[Sanction | None] = mapped_column(string_enum(Sanction, 30), nullable=True)
    reasons: Mapped[str | None] = mapped_column(Text, nullable=True)
    effective_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    suspended_until: Mapped[date | None] = mapped_column(Date, nullable=True)

    learner: Mapped[User] = relationship(foreign_keys=[learner_id])
    subscription: Mapped[Subscription] = relationship()

    @property
    def is_decided(self) -> bool:
        return self.decided_at is not None
