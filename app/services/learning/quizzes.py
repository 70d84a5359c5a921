"""Auto-graded quizzes (CGS-DEF-1): reading the answers, grading them on the server, recording attempts, and
the wait after a failed attempt.

The rules:
- a question earns its point only when the answer is exactly right: the one correct choice; for a
  multiple-choice question exactly the set of correct choices (a partial answer earns nothing); for a numeric
  question a number within the tolerance of the answer, written with a decimal comma or a decimal point;
- the score is the share of right answers; the quiz is passed when it reaches the course's pass mark
  (compared exactly: 7 right out of 10 passes a 70 % mark, 2 out of 3 does not pass a 67 % mark);
- after a failed attempt, the next one opens `QUIZ_RETRY_WAIT_MINUTES` later; a passed attempt sets no wait;
- quizzes are exercises: only subscribers whose subscription gives access take them (CGS-2.1-A1), and the
  first one they open counts as the first access to premium content, like a text chapter.

Functions flush and never commit: the caller commits once.
"""

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.models import Quiz, QuizAttempt, QuizChoice, QuizQuestion, User
from app.models.quiz import QuestionKind
from app.services import DomainError
from app.services.commerce import access
from app.services.common import clock
from app.services.learning.graded import Graded

# Spaces a learner may type between groups of digits ("5 000"), the no-break ones included.
_GROUPING_SPACES = re.compile(r"[\s\u00a0\u202f]")
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)")


class AccessRefused(Exception):
    """The reader has no subscription giving access to exercises."""


class RetryTooSoon(DomainError):
    """The previous attempt failed and the wait before the next one is not over."""

    def __init__(self, opens_at: datetime):
        super().__init__([(None, str(_l("La prochaine tentative n'est pas encore ouverte.")))])
        self.opens_at = opens_at


def field_name(question: QuizQuestion) -> str:
    """The name of a question's field in the form, and the key of its error."""
    return f"question-{question.id}"


def parse_number(text: str, unit: str = "") -> Decimal | None:
    """A number as a learner types it: "3,5", "3.5", "5 000", " 320 px" (the question's unit may follow)."""
    value = _GROUPING_SPACES.sub("", text or "")
    compact_unit = _GROUPING_SPACES.sub("", unit or "")
    if compact_unit and value.lower().endswith(compact_unit.lower()):
        value = value[: -len(compact_unit)]
    if not _NUMBER.fullmatch(value):
        return None
    try:
        return Decimal(value.replace(",", "."))
    except InvalidOperation:
        return None


# --- reading and grading -------------------------------------------------------------------------------------

def read_answers(quiz: Quiz, raw: Mapping[str, Sequence[str]]) -> dict[int, object]:
    """The answers of a submitted form ({field name: [values]}) as {question id: {choice ids} or the text typed}.

    Raises DomainError with one (field name, message) per question left unanswered or answered with something
    that is not one of its choices or not a number, so that each message goes next to its question."""
    answers: dict[int, object] = {}
    errors: list[tuple[str | None, str]] = []
    for question in quiz.questions:
        name = field_name(question)
        values = [value for value in raw.get(name, []) if value.strip()]
        if question.kind == QuestionKind.NUMERIC:
            typed = values[0].strip() if values else ""
            if not typed:
                errors.append((name, str(_l("Écrivez un nombre."))))
            elif parse_number(typed, question.t("unit")) is None:
                errors.append((name, str(_l("« %(text)s » n'est pas un nombre : écrivez par exemple 3,5 ou 3.5.",
                                            text=typed[:40]))))
            else:
                answers[question.id] = typed
            continue
        valid_ids = {choice.id for choice in question.choices}
        try:
            chosen = {int(value) for value in values}
        except ValueError:
            chosen = {0}
        if not chosen:
            errors.append((name, str(_l("Choisissez une réponse.")) if question.kind == QuestionKind.SINGLE
                           else str(_l("Cochez au moins une réponse."))))
        elif not chosen <= valid_ids:
            errors.append((name, str(_l("Choisissez parmi les réponses proposées."))))
        elif question.kind == QuestionKind.SINGLE and len(chosen) > 1:
            errors.append((name, str(_l("Choisissez une seule réponse."))))
        else:
            answers[question.id] = chosen
    if errors:
        raise DomainError(errors)
    return answers


@dataclass(frozen=True)
class QuestionResult:
    """One question of a graded attempt: what was answered, whether it was right, what was expected."""

    question: QuizQuestion
    right: bool
    chosen_ids: frozenset[int] = frozenset()
    typed: str | None = None

    @property
    def chosen(self) -> list[QuizChoice]:
        return [choice for choice in self.question.choices if choice.id in self.chosen_ids]

    @property
    def expected(self) -> list[QuizChoice]:
        return [choice for choice in self.question.choices if choice.correct]

    @property
    def partial(self) -> bool:
        """A multiple-choice answer with some of the expected choices and nothing else, but not all of them."""
        expected = self.question.correct_choice_ids
        return (self.question.kind == QuestionKind.MULTIPLE and not self.right and bool(self.chosen_ids)
                and self.chosen_ids < expected)


@dataclass(frozen=True)
class Grade:
    questions: list[QuestionResult]
    right_count: int
    question_count: int
    score_percent: int  # whole percent, rounded down
    pass_mark_percent: int
    passed: bool


def _chosen(answer: object) -> frozenset[int]:
    """The choice ids of a multiple-choice answer; none when the answer is not a collection of ids."""
    if isinstance(answer, (list, tuple, set, frozenset)) and all(isinstance(one, int) for one in answer):
        return frozenset(answer)
    return frozenset()


def _is_right(question: QuizQuestion, answer: object) -> bool:
    if answer is None:
        return False
    if question.kind == QuestionKind.NUMERIC:
        number, expected = parse_number(str(answer), question.t("unit")), question.answer
        return number is not None and expected is not None and abs(number - expected) <= question.tolerance
    return _chosen(answer) == question.correct_choice_ids


def _score(right: int, total: int, pass_mark: int) -> tuple[int, bool]:
    if total == 0:
        return 0, False
    return right * 100 // total, right * 100 >= pass_mark * total


def grade(quiz: Quiz, answers: Mapping[int, object]) -> Grade:
    """Grade answers ({question id: choice ids, or the number as typed}); pure, nothing is recorded.
    A missing answer is wrong."""
    results = []
    for question in quiz.questions:
        answer = answers.get(question.id)
        numeric = question.kind == QuestionKind.NUMERIC
        results.append(QuestionResult(
            question=question, right=_is_right(question, answer),
            chosen_ids=frozenset() if numeric else _chosen(answer),
            typed=str(answer) if numeric and answer is not None else None))
    right = sum(result.right for result in results)
    score, passed = _score(right, len(results), quiz.pass_mark_percent)
    return Grade(results, right, len(results), score, quiz.pass_mark_percent, passed)


def feedback(attempt: QuizAttempt) -> Grade:
    """The graded questions of a recorded attempt, as they were graded then (a question added to the quiz since
    is left out; the score is the one recorded)."""
    results = []
    for question in attempt.quiz.questions:
        right = attempt.is_right(question.id)
        if right is None:
            continue
        answer = attempt.answer_to(question.id)
        numeric = question.kind == QuestionKind.NUMERIC
        results.append(QuestionResult(
            question=question, right=right,
            chosen_ids=frozenset() if numeric else _chosen(answer),
            typed=answer if numeric else None))
    return Grade(results, attempt.right_count, attempt.question_count, attempt.score_percent,
                 attempt.pass_mark_percent, attempt.passed)


# --- who may take a quiz, and when ---------------------------------------------------------------------------

def can_take(user: User | None) -> bool:
    """Quizzes are exercises: for subscribers whose subscription gives access, like premium chapters."""
    return access.has_premium(user)


def retry_wait() -> timedelta:
    return timedelta(minutes=max(current_app.config["QUIZ_RETRY_WAIT_MINUTES"], 0))


@dataclass(frozen=True)
class QuizStatus(Graded):
    """Where a learner stands with a quiz. `attempts` are newest first."""

    attempts: list[QuizAttempt]
    next_attempt_at: datetime | None  # set while the wait after a failed attempt runs

    @property
    def latest(self) -> QuizAttempt | None:
        return self.attempts[0] if self.attempts else None

    @property
    def best_passed(self) -> QuizAttempt | None:
        return _best(attempt for attempt in self.attempts if attempt.passed)

    @property
    def state(self) -> str:
        """"not_taken", "failed" (taken and never passed) or "passed" (passed once is passed)."""
        if not self.attempts:
            return "not_taken"
        return "passed" if self.best_passed else "failed"

    @property
    def taken(self) -> bool:
        return self.state != "not_taken"



def _best(attempts: Iterable[QuizAttempt]) -> QuizAttempt | None:
    return max(attempts, key=lambda attempt: (attempt.score_percent, -attempt.submitted_at.timestamp()),
               default=None)


def _next_attempt_at(latest: QuizAttempt | None) -> datetime | None:
    if latest is None or latest.passed:
        return None
    opens_at = latest.submitted_at + retry_wait()
    return opens_at if opens_at > clock.now() else None


def status_from(attempts: list[QuizAttempt]) -> QuizStatus:
    """The status given a learner's attempts at one quiz, newest first."""
    return QuizStatus(attempts, _next_attempt_at(attempts[0] if attempts else None))


def status(user_id: int, quiz: Quiz) -> QuizStatus:
    return status_from(list(db.session.scalars(select(QuizAttempt).where(
        QuizAttempt.user_id == user_id, QuizAttempt.quiz_id == quiz.id)
        .order_by(QuizAttempt.submitted_at.desc(), QuizAttempt.id.desc()))))


def open_quiz(user: User | None, quiz: Quiz) -> QuizStatus:
    """A subscriber opens the quiz: the first premium access is recorded; returns where they stand.
    Raises AccessRefused for anyone else."""
    if user is None or not can_take(user):
        raise AccessRefused()
    access.record_premium_access(user)
    return status(user.id, quiz)


def submit(user: User, quiz: Quiz, raw: Mapping[str, Sequence[str]]) -> QuizAttempt:
    """Grade a submitted form on the server and record the attempt.

    Raises AccessRefused (not a subscriber), RetryTooSoon (the wait after a failed attempt runs) or
    DomainError (an unanswered question, a value that is not a number). The attempt only: what a pass means for
    the course (its certificate) is `completion.submit_quiz`'s, which calls this and is what a learner's answer
    goes through."""
    if not can_take(user):
        raise AccessRefused()
    latest = db.session.scalar(select(QuizAttempt).where(QuizAttempt.user_id == user.id,
                                                         QuizAttempt.quiz_id == quiz.id)
                               .order_by(QuizAttempt.submitted_at.desc(), QuizAttempt.id.desc()).limit(1))
    opens_at = _next_attempt_at(latest)
    if opens_at is not None:
        raise RetryTooSoon(opens_at)
    answers = read_answers(quiz, raw)
    result = grade(quiz, answers)
    attempt = QuizAttempt(
        user_id=user.id, quiz_id=quiz.id, submitted_at=clock.now(),
        answers={str(question_id): sorted(answer) if isinstance(answer, set) else answer
                 for question_id, answer in answers.items()},
        results={str(item.question.id): item.right for item in result.questions},
        right_count=result.right_count, question_count=result.question_count,
        score_percent=result.score_percent, pass_mark_percent=result.pass_mark_percent, passed=result.passed)
    db.session.add(attempt)
    access.record_premium_access(user)
    db.session.flush()
    return attempt


# --- for the other parts of the course (progress, certificates) ----------------------------------------------

def course_quiz(course_id: int) -> Quiz | None:
    return db.session.scalar(select(Quiz).where(Quiz.course_id == course_id))


def best_passed_attempt(user_id: int, course_id: int) -> QuizAttempt | None:
    """The learner's best passing attempt at the course's quiz (the earliest of equal scores), or None."""
    return db.session.scalar(
        select(QuizAttempt).join(Quiz, Quiz.id == QuizAttempt.quiz_id)
        .where(QuizAttempt.user_id == user_id, Quiz.course_id == course_id, QuizAttempt.passed.is_(True))
        .order_by(QuizAttempt.score_percent.desc(), QuizAttempt.submitted_at, QuizAttempt.id).limit(1))


def attempt_of(user_id: int, quiz: Quiz, attempt_id: int) -> QuizAttempt | None:
    """One of the learner's own attempts at this quiz (nobody else's)."""
    return db.session.scalar(select(QuizAttempt).where(
        QuizAttempt.id == attempt_id, QuizAttempt.user_id == user_id, QuizAttempt.quiz_id == quiz.id))
