"""Mentoring (Premium Plus): the Parcours each mentor accompanies (the mentor of each Plus subscription is a
`MentorAssignment`, in models/commerce.py beside the subscription)."""

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
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
