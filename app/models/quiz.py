"""Auto-graded quizzes (CGS-DEF-1): one quiz per course, its questions and choices, and the learners' attempts.

Numeric answers and tolerances are kept as decimal text ("4.5"), exact on every database (SQLite has no
decimal type). An attempt keeps what the learner answered and which questions were right, so that its
feedback can be shown again later; the score is the share of right answers, in whole percent rounded down
(so that a score shown as 70 % never hides a 69.5 % fail).
"""

import enum
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models._i18n import Bilingual
from app.models._types import UTCDateTime, string_enum
from app.models.catalog import Course


class QuestionKind(enum.StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    NUMERIC = "numeric"


class Quiz(Model):
    __tablename__ = "quiz"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), unique=True)
    # The grade required to pass, in percent of the questions answered right (for example 70).
    pass_mark_percent: Mapped[int] = mapped_column(Integer, default=70)

    course: Mapped[Course] = relationship()
    questions: Mapped[list["QuizQuestion"]] = relationship(
        back_populates="quiz", order_by="QuizQuestion.position", cascade="all, delete-orphan")


class QuizQuestion(Bilingual, Model):
    __tablename__ = "quiz_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quiz.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[QuestionKind] = mapped_column(string_enum(QuestionKind))
    prompt_fr: Mapped[str] = mapped_column(Text)
    prompt_en: Mapped[str] = mapped_column(Text)
    explanation_fr: Mapped[str] = mapped_column(Text, default="")
    explanation_en: Mapped[str] = mapped_column(Text, default="")
    # Numeric questions only: the answer, the accepted distance from it, and the unit shown after the field.
    numeric_answer: Mapped[str | None] = mapped_column(String(40), nullable=True)
    numeric_tolerance: Mapped[str | None] = mapped_column(String(40), nullable=True)
    unit_fr: Mapped[str] = mapped_column(String(40), default="")
    unit_en: Mapped[str] = mapped_column(String(40), default="")

    quiz: Mapped[Quiz] = relationship(back_populates="questions")
    choices: Mapped[list["QuizChoice"]] = relationship(
        back_populates="question", order_by="QuizChoice.position", cascade="all, delete-orphan")

    @property
    def answer(self) -> Decimal | None:
        return Decimal(self.numeric_answer) if self.numeric_answer is not None else None

    @property
    def tolerance(self) -> Decimal:
        return Decimal(self.numeric_tolerance or "0")

    @property
    def correct_choice_ids(self) -> set[int]:
        return {choice.id for choice in self.choices if choice.correct}

    @property
    def is_single(self) -> bool:
        """One choice to pick."""
        return self.kind == QuestionKind.SINGLE

    @property
    def is_multiple(self) -> bool:
        """Every right choice to tick, and only them."""
        return self.kind == QuestionKind.MULTIPLE

    @property
    def is_numeric(self) -> bool:
        """A number to type."""
        return self.kind == QuestionKind.NUMERIC


class QuizChoice(Bilingual, Model):
    __tablename__ = "quiz_choice"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("quiz_question.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    text_fr: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str] = mapped_column(Text)
    correct: Mapped[bool] = mapped_column(Boolean, default=False)

    question: Mapped[QuizQuestion] = relationship(back_populates="choices")


class QuizAttempt(Model):
    """One submission of a quiz, graded on the server. Never changed after it is recorded."""

    __tablename__ = "quiz_attempt"
    __table_args__ = (Index("ix_quiz_attempt_user_quiz", "user_id", "quiz_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quiz.id"), index=True)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # {question id: [choice ids]} for choice questions, {question id: "the number as typed"} for numeric ones.
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # {question id: true when answered right}: the per-question feedback of this attempt.
    results: Mapped[dict[str, bool]] = mapped_column(JSON, default=dict)
    right_count: Mapped[int] = mapped_column(Integer)
    question_count: Mapped[int] = mapped_column(Integer)
    score_percent: Mapped[int] = mapped_column(Integer)
    # The pass mark in force when the attempt was graded.
    pass_mark_percent: Mapped[int] = mapped_column(Integer)
    passed: Mapped[bool] = mapped_column(Boolean)

    quiz: Mapped[Quiz] = relationship()

    def answer_to(self, question_id: int) -> Any:
        return self.answers.get(str(question_id))

    def is_right(self, question_id: int) -> bool | None:
        """True or False for a question of this attempt; None for a question added to the quiz later."""
        return self.results.get(str(question_id))
