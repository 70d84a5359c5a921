"""When a course is passed, and the certificate of achievement it earns (CGS-2.1-A2).

The rule: a course is passed when its quiz is passed and, where the course has a peer-reviewed assignment,
that assignment is passed too. A course without a quiz cannot be passed.

The certificate's grade is the quiz score (the best passed attempt); when the course has an assignment, it is
the mean of that quiz score and the assignment's grade, rounded half up to a whole percent
(quiz 85 %, assignment 70 % -> 78 %).

This module sits above the quizzes and the peer review: it asks them whether the quiz and the assignment are
passed, and owns the step that follows a result. `submit_quiz` and `record_review` (what the views call) record
the attempt or the review, then `record_progress`, which issues the certificate when the course is passed,
exactly once per learner and course (a unique constraint on learner+course; a repeated or concurrent call gets
the certificate already issued).

Functions flush and never commit: the caller commits once.
"""

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from flask import current_app
from sqlalchemy import Select, select

from app.extensions import db
from app.models import AssignmentSubmission, Certificate, CertificateKind, Course, PeerReview, Quiz, QuizAttempt, User
from app.services.common import clock, rows
from app.services.learning import peer_review, quizzes

# The public identifier: 28 characters drawn by the operating system's secure generator from Crockford's base 32
# (digits and capitals without I, L, O, U, which are read or typed wrongly), that is 140 bits, shown in seven
# groups of four ("7K3M-9QXD-..."). Nothing in it is derived from the row, the learner or the date.
PUBLIC_ID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PUBLIC_ID_LENGTH = 28
PUBLIC_ID_GROUP = 4


@dataclass(frozen=True)
class CourseResult:
    """Where a learner stands in a course. `quiz_attempt` is the best passed attempt (or None);
    `submission` the passed assignment submission (None when not passed or when there is no assignment)."""

    passed: bool
    grade_percent: int | None
    quiz_attempt: QuizAttempt | None
    submission: AssignmentSubmission | None
    has_assignment: bool


def combined_grade(quiz_percent: int | float, assignment_percent: int | float | None) -> int:
    """The certificate's grade: the quiz score, or the mean of quiz score and assignment grade rounded half up."""
    if assignment_percent is None:
        return int(Decimal(str(quiz_percent)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    mean = (Decimal(str(quiz_percent)) + Decimal(str(assignment_percent))) / 2
    return int(mean.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def course_result(user: User, course: Course) -> CourseResult:
    """Whether `user` passed `course`, and with which grade.

    Passed: the course's quiz is passed and, where the course has a peer-reviewed assignment, that assignment is
    passed too. The grade (the certificate's): the best passed quiz score; with an assignment, the mean of that
    score and the assignment's grade, rounded half up to a whole percent. None while the course is not passed."""
    has_assignment = peer_review.course_assignment(course.id) is not None
    attempt = quizzes.best_passed_attempt(user.id, course.id) if quizzes.course_quiz(course.id) else None
    submission = peer_review.passed_submission(user.id, course.id) if has_assignment else None
    grade = None
    if attempt is not None and (submission is not None or not has_assignment):
        grade = combined_grade(attempt.score_percent, submission.grade_percent if submission is not None else None)
    return CourseResult(passed=grade is not None, grade_percent=grade, quiz_attempt=attempt, submission=submission,
                        has_assignment=has_assignment)


def _certificate_of(user_id: int, course_id: int) -> Select[Certificate]:
    return select(Certificate).where(Certificate.user_id == user_id, Certificate.course_id == course_id)


def certificate_for(user_id: int, course_id: int) -> Certificate | None:
    """The certificate of this course issued to this learner, if any."""
    return db.session.scalar(_certificate_of(user_id, course_id))


def new_public_id() -> str:
    """A fresh public identifier (see PUBLIC_ID_ALPHABET), for a course certificate or a diploma."""
    characters = "".join(secrets.choice(PUBLIC_ID_ALPHABET) for _ in range(PUBLIC_ID_LENGTH))
    return "-".join(characters[i:i + PUBLIC_ID_GROUP] for i in range(0, PUBLIC_ID_LENGTH, PUBLIC_ID_GROUP))


def record_progress(user: User, course: Course) -> Certificate | None:
    """Issue the certificate of `course` to `user` if the course is passed; None while it is not.

    Exactly once: a certificate already issued is returned as it is (never re-issued, never re-graded)."""
    existing = certificate_for(user.id, course.id)
    if existing is not None:
        return existing
    result = course_result(user, course)
    if not result.passed or result.grade_percent is None:
        return None
    return issue(user, course, result.grade_percent)


def issue(user: User, course: Course, grade_percent: int) -> Certificate:
    """The certificate of `course` for `user` with this grade, unless one exists already (then that one).

    Two concurrent calls both insert "if absent" against the unique learner+course constraint: one row is
    written and both calls return it. The learner's name and the course title are copied as they are now."""
    rows.insert_if_absent(Certificate, {
        "public_id": new_public_id(), "kind": CertificateKind.COURSE, "user_id": user.id, "course_id": course.id,
        "learner_name": user.full_name, "title_fr": course.title_fr, "title_en": course.title_en or course.title_fr,
        "issuer": current_app.config["COMPANY"]["name"], "issued_at": clock.now(), "grade_percent": grade_percent,
    }, ["user_id", "course_id"])
    return db.session.scalars(_certificate_of(user.id, course.id)).one()  # this call's row or the other's


def submit_quiz(user: User, quiz: Quiz, raw: Mapping[str, Sequence[str]]) -> QuizAttempt:
    """Grade and record a quiz attempt (`quizzes.submit`, which raises as it says); after a passing attempt, record
    the course's progress, which issues the certificate once the whole course is passed."""
    attempt = quizzes.submit(user, quiz, raw)
    if attempt.passed:
        record_progress(user, quiz.course)
    return attempt


def record_review(reviewer: User, submission: AssignmentSubmission, points: Mapping[int, int | None],
                  comments: str) -> PeerReview:
    """Record a peer review (`peer_review.record_review`, which grades the submission, mails the submitter and
    raises as it says); when it passes the assignment, record the submitter's progress in the course, which
    issues the certificate once the whole course is passed."""
    review = peer_review.record_review(reviewer, submission, points, comments)
    if submission.passed:
        record_progress(submission.user, submission.assignment.course)
    return review
