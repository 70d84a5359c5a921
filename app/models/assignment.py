"""Peer-reviewed assignments (CGS-DEF-1): a course's assignment and its rubric, what learners hand in, and the
review another subscriber who finished the course writes against the rubric.

A submission is reviewed once: the review grades it. Reviews are anonymous both ways, which the pages and mails
keep (the rows only link the people for the rules: nobody reviews their own work, only the assigned reviewer
downloads the file).
"""

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from app.extensions import Model
from app.models._i18n import Bilingual
from app.models._types import UTCDateTime, string_enum
from app.models.catalog import Course
from app.models.user import User


class Assignment(Bilingual, Model):
    """The assignment of a course (one at most). Instructions are Markdown."""

    __tablename__ = "assignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), unique=True)
    title_fr: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    instructions_fr: Mapped[str] = mapped_column(Text)
    instructions_en: Mapped[str] = mapped_column(Text)
    # Its own pass mark, when it differs from the course's.
    own_pass_mark_percent: Mapped[int | None] = mapped_column(Integer, nullable=True)

    course: Mapped[Course] = relationship()
    criteria: Mapped[list["RubricCriterion"]] = relationship(
        back_populates="assignment", order_by="RubricCriterion.position", cascade="all, delete-orphan")

    @property
    def pass_mark_percent(self) -> int:
        """The grade to reach: the assignment's own, else the course's."""
        return self.own_pass_mark_percent if self.own_pass_mark_percent is not None else self.course.pass_mark_percent

    @property
    def max_points(self) -> int:
        return sum(criterion.max_points for criterion in self.criteria)


class RubricCriterion(Bilingual, Model):
    __tablename__ = "rubric_criterion"
    __table_args__ = (UniqueConstraint("assignment_id", "position", name="uq_rubric_criterion_position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    label_fr: Mapped[str] = mapped_column(Text)
    label_en: Mapped[str] = mapped_column(Text)
    max_points: Mapped[int] = mapped_column(Integer)

    assignment: Mapped[Assignment] = relationship(back_populates="criteria")


class SubmissionStatus(enum.StrEnum):
    AWAITING_REVIEW = "awaiting_review"
    REVIEWED = "reviewed"


class AssignmentSubmission(Model):
    """What a learner hands in: a text and, optionally, one file (its type recognised from its content).

    `attempt` counts the learner's submissions to the assignment (a failed one may be submitted again); unique
    with the learner and assignment, so that a form sent twice at once records one submission.
    """

    __tablename__ = "assignment_submission"
    __table_args__ = (UniqueConstraint("assignment_id", "user_id", "attempt", name="uq_submission_attempt"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    attempt: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    file_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    file_type: Mapped[str | None] = mapped_column(String(60), nullable=True)
    file_size: Mapped[int | None] = mapped_column(Integer, nullable=True)
    file_content: Mapped[bytes | None] = deferred(mapped_column(LargeBinary, nullable=True))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[SubmissionStatus] = mapped_column(
        string_enum(SubmissionStatus, 30), default=SubmissionStatus.AWAITING_REVIEW, index=True)
    # The reviewer it is given to (kept for them for a while, then offered to others if they did not review it).
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True, index=True)
    assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    grade_percent: Mapped[int | None] = mapped_column(Integer, nullable=True)
    passed: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    assignment: Mapped[Assignment] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    review: Mapped["PeerReview | None"] = relationship(back_populates="submission", uselist=False)

    @property
    def has_file(self) -> bool:
        return self.file_type is not None

    @property
    def awaits_review(self) -> bool:
        return self.status == SubmissionStatus.AWAITING_REVIEW


class PeerReview(Model):
    """The review of a submission: points per rubric criterion and comments. One per submission."""

    __tablename__ = "peer_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("assignment_submission.id"), unique=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    comments: Mapped[str] = mapped_column(Text)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())

    submission: Mapped[AssignmentSubmission] = relationship(back_populates="review")
    scores: Mapped[list["CriterionScore"]] = relationship(
        back_populates="review", cascade="all, delete-orphan", order_by="CriterionScore.id")

    @property
    def points(self) -> int:
        return sum(score.points for score in self.scores)


class CriterionScore(Model):
    __tablename__ = "criterion_score"
    __table_args__ = (UniqueConstraint("review_id", "criterion_id", name="uq_criterion_score_review_criterion"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("peer_review.id"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("rubric_criterion.id"))
    points: Mapped[int] = mapped_column(Integer)

    review: Mapped[PeerReview] = relationship(back_populates="scores")
    criterion: Mapped[RubricCriterion] = relationship()
