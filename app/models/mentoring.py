"""Mentoring (Premium Plus): the Parcours each mentor accompanies, and the mentor of each Plus subscription."""

from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models._types import UTCDateTime
from app.models.catalog import Parcours
from app.models.commerce import Subscription
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


class MentorAssignment(Model):
    """Who accompanies a Premium Plus subscription, from when; a change of mentor ends one row and starts
    another, so that the history stays."""
    __tablename__ = "mentor_assignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscription.id"), index=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    subscription: Mapped[Subscription] = relationship()
    mentor: Mapped[User] = relationship()
