"""Student Success: the requests sent with the contact form ("Nous contacter") and the team's answers."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models._types import UTCDateTime, string_enum
from app.models.catalog import Parcours
from app.models.user import User


class ContactQuestion(enum.StrEnum):
    """The subjects of the drop-down, in the order the form lists them."""

    PARCOURS = "parcours"        # a Parcours' content
    ADMISSION = "admission"      # prerequisites and admission
    FINANCING = "financing"      # financing and price
    PREMIUM = "premium"          # Premium subscription or payment
    MENTOR_CHANGE = "mentor_change"  # a Premium Plus learner asks for another mentor (sent from the Premium tab)
    ATTENDANCE = "attendance"  # a learner contests the attendance recorded for a mentoring session
    TECHNICAL = "technical"      # a technical problem, a service unavailable
    COMPLAINT = "complaint"      # a written complaint: the step the law requires before mediation (art. 10)
    OTHER = "other"


class ContactRequest(Model):
    __tablename__ = "contact_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40), nullable=True)
    question: Mapped[ContactQuestion] = mapped_column(
        string_enum(ContactQuestion))
    parcours_id: Mapped[int | None] = mapped_column(ForeignKey("parcours.id"), nullable=True, index=True)
    message: Mapped[str] = mapped_column(Text)
    # The signed-in learner who wrote, if any (a visitor may write too).
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True, index=True)
    # The language the request was written in: the acknowledgement and the answer are sent in it.
    language: Mapped[str] = mapped_column(String(5))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    answer: Mapped[str | None] = mapped_column(Text, nullable=True)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True, index=True)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)

    parcours: Mapped[Parcours | None] = relationship()
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])
    # What the learner added from Mes paramètres while it waited for its answer, oldest first.
    additions: Mapped[list["ContactAddition"]] = relationship(order_by="ContactAddition.id",
                                                              back_populates="request")

    @property
    def is_complaint(self) -> bool:
        return self.question == ContactQuestion.COMPLAINT

    @property
    def is_attendance_contest(self) -> bool:
        """A learner contests an attendance record: Student Success answers, and may correct it."""
        return self.question == ContactQuestion.ATTENDANCE

    @property
    def is_mentor_change(self) -> bool:
        """A Premium Plus learner asks for another mentor: Student Success answers, and may name one."""
        return self.question == ContactQuestion.MENTOR_CHANGE

    @property
    def reference(self) -> str:
        """What the learner quotes when writing again: "DEM-000042", a complaint "RCL-000042"."""
        return f"{'RCL' if self.is_complaint else 'DEM'}-{self.id:06d}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class ContactAddition(Model):
    """A message a signed-in learner adds to their own request (a complaint's new facts) before it is answered."""
    __tablename__ = "contact_addition"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("contact_request.id"), index=True)
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    request: Mapped[ContactRequest] = relationship(back_populates="additions")
