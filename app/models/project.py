"""Projects (Premium Plus): the practical work of a Parcours, with its brief, the deliverables expected and the
criteria it is evaluated against; what a learner hands in, and the mentor's evaluation of it, criterion by
criterion."""

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from app.extensions import Model
from app.models._i18n import Bilingual
from app.models._types import UTCDateTime, string_enum
from app.models.catalog import Parcours
from app.models.user import User


class Project(Bilingual, Model):
    """A project of a Parcours, in the order of its programme. Brief and deliverables are Markdown."""

    __tablename__ = "project"
    __table_args__ = (UniqueConstraint("parcours_id", "position", name="uq_project_position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    parcours_id: Mapped[int] = mapped_column(ForeignKey("parcours.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title_fr: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    brief_fr: Mapped[str] = mapped_column(Text)
    brief_en: Mapped[str] = mapped_column(Text)
    deliverables_fr: Mapped[str] = mapped_column(Text)
    deliverables_en: Mapped[str] = mapped_column(Text)
    # Required for the defence; an optional project is offered for practice.
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    # Opens only once the project before it is validated (it builds on that work).
    opens_after_previous: Mapped[bool] = mapped_column(Boolean, default=False)

    parcours: Mapped[Parcours] = relationship()
    criteria: Mapped[list["ProjectCriterion"]] = relationship(
        back_populates="project", order_by="ProjectCriterion.position", cascade="all, delete-orphan")


class ProjectCriterion(Bilingual, Model):
    __tablename__ = "project_criterion"
    __table_args__ = (UniqueConstraint("project_id", "position", name="uq_project_criterion_position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    label_fr: Mapped[str] = mapped_column(Text)
    label_en: Mapped[str] = mapped_column(Text)

    project: Mapped[Project] = relationship(back_populates="criteria")


class ProjectStatus(enum.StrEnum):
    AWAITING_EVALUATION = "awaiting_evaluation"
    VALIDATED = "validated"
    TO_REWORK = "to_rework"


class ProjectSubmission(Model):
    """What a learner hands in for a project: a presentation, links and/or one file. `attempt` counts their
    submissions of the project (unique with it: the same form sent twice at once records one)."""

    __tablename__ = "project_submission"
    __table_args__ = (UniqueConstraint("project_id", "learner_id", "attempt", name="uq_project_submission_attempt"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscription.id"), index=True)
    attempt: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    links: Mapped[str] = mapped_column(Text, default="")  # one address a line
    file_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    file_type: Mapped[str | None] = mapped_column(String(60), nullable=True)
    file_size: Mapped[int | None] = mapped_column(Integer, nullable=True)
    file_content: Mapped[bytes | None] = deferred(mapped_column(LargeBinary, nullable=True))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[ProjectStatus] = mapped_column(
        string_enum(ProjectStatus, 30), default=ProjectStatus.AWAITING_EVALUATION, index=True)
    evaluator_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    evaluated_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    feedback: Mapped[str | None] = mapped_column(Text, nullable=True)  # the mentor's word on the whole

    project: Mapped[Project] = relationship()
    learner: Mapped[User] = relationship(foreign_keys=[learner_id])
    evaluator: Mapped[User | None] = relationship(foreign_keys=[evaluator_id])
    evaluations: Mapped[list["CriterionEvaluation"]] = relationship(
        back_populates="submission", cascade="all, delete-orphan", order_by="CriterionEvaluation.id")

    @property
    def has_file(self) -> bool:
        return self.file_type is not None

    @property
    def link_list(self) -> list[str]:
        return [line for line in self.links.splitlines() if line]

    def evaluation_of(self, criterion_id: int) -> "CriterionEvaluation | None":
        return next((found for found in self.evaluations if found.criterion_id == criterion_id), None)


class CriterionEvaluation(Model):
    """The mentor's judgement of one criterion: met or not, and why, in writing."""

    __tablename__ = "criterion_evaluation"
    __table_args__ = (UniqueConstraint("submission_id", "criterion_id", name="uq_criterion_evaluation"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("project_submission.id"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("project_criterion.id"))
    met: Mapped[bool] = mapped_column(Boolean)
    comment: Mapped[str] = mapped_column(Text)

    submission: Mapped[ProjectSubmission] = relationship(back_populates="evaluations")
    criterion: Mapped[ProjectCriterion] = relationship()
