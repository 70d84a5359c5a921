"""Peer-reviewed assignments (CGS-DEF-1): a subscriber hands in a text (and optionally one file); another
subscriber who finished the same course reviews it against the rubric, which grades it.

The rules:
- Assignments are exercises: only subscribers whose subscription gives access (as for premium chapters).
- One active submission per learner and assignment: one awaiting its review, or one passed. A failed one may be
  handed in again.
- A reviewer has finished the course: every chapter completed and the course quiz passed. Nobody ever reviews
  their own work, whatever the request says.
- The next submission to review is the oldest one awaiting review in that course, not the reviewer's own. It is
  given to the reviewer, and kept for them for PEER_REVIEW_HOLD_HOURS; after that, another reviewer may get it.
  Only the submitter and the reviewer it is given to may download its file.
- Reviews are anonymous both ways: nothing here gives the submitter the reviewer's identity, nor the reviewer
  the submitter's (pages and mails show neither name nor email; the reviewer downloads the file under a neutral
  name).
- A review scores every criterion of the rubric within its range and says why (comments). The grade is the
  points over the maximum, as a whole percent rounded down; the submission is passed when the grade reaches the
  pass mark (the assignment's own, else the course's). The submitter gets a mail.

Functions flush and never commit: the caller commits once.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, bindparam, exists, func, or_, select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Assignment, AssignmentSubmission, Course, CriterionScore, PeerReview, User
from app.models.assignment import SubmissionStatus
from app.services import DomainError
from app.services.commerce import access
from app.services.common import clock, mail, uploads
from app.services.common.uploads import Upload
from app.services.learning import quizzes, reader
from app.services.learning.graded import Graded

MAX_TEXT_LENGTH = 20_000
MAX_COMMENTS_LENGTH = 5_000
MIN_COMMENTS_LENGTH = 20


def course_assignment(course_id: int) -> Assignment | None:
    return db.session.scalar(select(Assignment).where(Assignment.course_id == course_id))


def has_access(user: User | None) -> bool:
    """Assignments are exercises: the same access as premium chapters (a subscription giving access)."""
    return access.has_premium(user)


def open_assignment(user: User) -> bool:
    """May `user` open an assignment? If so, their first premium access is recorded, as for a chapter."""
    if not has_access(user):
        return False
    access.record_premium_access(user)
    return True


# --- The submitter's side ------------------------------------------------------------------------------------


def latest_submission(user_id: int, assignment: Assignment) -> AssignmentSubmission | None:
    """The learner's last submission to the assignment (a failed one may have been handed in again)."""
    return db.session.scalar(select(AssignmentSubmission).where(
        AssignmentSubmission.assignment_id == assignment.id, AssignmentSubmission.user_id == user_id)
        .order_by(AssignmentSubmission.attempt.desc()).limit(1))


def is_active(submission: AssignmentSubmission) -> bool:
    """Awaiting its review, or passed: the learner cannot hand in another one."""
    return submission.awaits_review or bool(submission.passed)


def may_submit(user_id: int, assignment: Assignment) -> bool:
    latest = latest_submission(user_id, assignment)
    return latest is None or not is_active(latest)


@dataclass(frozen=True)
class LearnerStatus(Graded):
    """Where a learner stands with a course's assignment, for the course page."""

    assignment: Assignment
    latest: AssignmentSubmission | None

    @property
    def state(self) -> str:
        """"not_submitted", "awaiting_review", "passed" or "failed" (the latest submission was reviewed and did
        not reach the pass mark)."""
        if self.latest is None:
            return "not_submitted"
        if self.latest.awaits_review:
            return "awaiting_review"
        return "passed" if self.latest.passed else "failed"

    @property
    def submitted(self) -> bool:
        return self.state != "not_submitted"

    @property
    def awaits_review(self) -> bool:
        return self.state == "awaiting_review"



_ASSIGNMENT_WITH_LATEST_SUBMISSION = (  # built once: on every signed-in course page
    select(Assignment, AssignmentSubmission)
    .outerjoin(AssignmentSubmission, and_(AssignmentSubmission.assignment_id == Assignment.id,
                                          AssignmentSubmission.user_id == bindparam("user_id")))
    .where(Assignment.course_id == bindparam("course_id"))
    .order_by(AssignmentSubmission.attempt.desc()).limit(1))


def learner_status(user_id: int, course_id: int) -> LearnerStatus | None:
    """The course's assignment and the learner's latest submission to it (one query); None when the course has
    none."""
    row = db.session.execute(_ASSIGNMENT_WITH_LATEST_SUBMISSION, {"user_id": user_id, "course_id": course_id}).first()
    return LearnerStatus(row[0], row[1]) if row is not None else None


def passed_submission(user_id: int, course_id: int) -> AssignmentSubmission | None:
    """The learner's passed submission to the course's assignment (with its `grade_percent`), or None."""
    return db.session.scalar(select(AssignmentSubmission).join(Assignment).where(
        Assignment.course_id == course_id, AssignmentSubmission.user_id == user_id,
        AssignmentSubmission.passed.is_(True)).order_by(AssignmentSubmission.grade_percent.desc()).limit(1))


def submit(user: User, assignment: Assignment, text: str, upload: Upload | None) -> AssignmentSubmission:
    """Hand in the assignment. Refused with the reasons next to their fields: no text, a file of the wrong
    type or too big, no subscription giving access, or a submission already awaiting review or passed."""
    errors: list[tuple[str | None, str]] = []
    text = (text or "").strip()
    if not text:
        errors.append(("text", str(_l("Écrivez votre travail, ou présentez le fichier joint, dans le champ "
                                      "de texte."))))
    elif len(text) > MAX_TEXT_LENGTH:
        errors.append(("text", str(_l("Le texte ne doit pas dépasser %(n)s caractères.",
                                      n=format_decimal(MAX_TEXT_LENGTH)))))
    checked = None
    if upload is not None:
        checked, refusal = uploads.check_work(upload)
        if refusal is not None:
            errors.append(("file", refusal))
    if not has_access(user):
        errors.append((None, str(_l("Les devoirs sont réservés aux abonnés Premium."))))
    elif not may_submit(user.id, assignment):
        errors.append((None, str(_l("Vous avez déjà rendu ce devoir : il est en attente d'évaluation ou réussi."))))
    if errors:
        raise DomainError(errors)
    previous = db.session.scalar(select(func.max(AssignmentSubmission.attempt)).where(
        AssignmentSubmission.assignment_id == assignment.id, AssignmentSubmission.user_id == user.id)) or 0
    submission = AssignmentSubmission(
        assignment_id=assignment.id, user_id=user.id, attempt=previous + 1, text=text, submitted_at=clock.now(),
        status=SubmissionStatus.AWAITING_REVIEW)
    if upload is not None and checked is not None:
        uploads.attach(submission, upload, checked, "document")
    try:
        with db.session.begin_nested():  # the same form sent twice at once: one submission
            db.session.add(submission)
    except IntegrityError:
        raise DomainError([(None, str(_l("Vous avez déjà rendu ce devoir : il est en attente d'évaluation ou "
                                         "réussi.")))]) from None
    return submission


# --- The reviewer's side -------------------------------------------------------------------------------------


def has_finished(user: User, course: Course) -> bool:
    """Every chapter of the course completed (those that can be read) and the course quiz passed."""
    chapters = {chapter.id for chapter in course.chapters if chapter.has_content}
    if not chapters <= reader.completed_chapter_ids(user, course):
        return False
    return quizzes.best_passed_attempt(user.id, course.id) is not None


def can_review(user: User | None, course: Course) -> bool:
    """A subscriber with access who finished the same course (and the course has an assignment)."""
    return (user is not None and course_assignment(course.id) is not None and has_access(user)
            and has_finished(user, course))


def _awaiting_in(course: Course) -> Select[AssignmentSubmission]:
    return select(AssignmentSubmission).join(Assignment).where(
        Assignment.course_id == course.id, AssignmentSubmission.status == SubmissionStatus.AWAITING_REVIEW)


def _open_to(reviewer: User, course: Course) -> Select[AssignmentSubmission]:
    """The submissions `reviewer` may be given in this course: awaiting review, not their own, not reviewed by
    them, and held by nobody else (or held longer than PEER_REVIEW_HOLD_HOURS)."""
    lapsed = clock.now() - timedelta(hours=current_app.config["PEER_REVIEW_HOLD_HOURS"])
    already_reviewed = exists().where(PeerReview.submission_id == AssignmentSubmission.id,
                                      PeerReview.reviewer_id == reviewer.id)
    return _awaiting_in(course).where(
        AssignmentSubmission.user_id != reviewer.id, ~already_reviewed,
        or_(AssignmentSubmission.reviewer_id.is_(None), AssignmentSubmission.reviewer_id == reviewer.id,
            AssignmentSubmission.assigned_at < lapsed))


def waiting_count(reviewer: User, course: Course) -> int:
    """How many submissions of others in this course `reviewer` could review now."""
    statement = _open_to(reviewer, course)
    return db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0


def next_to_review(reviewer: User, course: Course) -> AssignmentSubmission | None:
    """The submission `reviewer` is to review now, given to them: the one already given to them and not yet
    reviewed, else the oldest one open to them (see `_open_to`). None when there is none or the reviewer may
    not review."""
    if not can_review(reviewer, course):
        return None
    oldest_first = (AssignmentSubmission.submitted_at, AssignmentSubmission.id)
    held = db.session.scalar(_open_to(reviewer, course).where(AssignmentSubmission.reviewer_id == reviewer.id)
                             .order_by(*oldest_first).limit(1))
    if held is not None:
        return held
    submission = db.session.scalar(_open_to(reviewer, course).order_by(*oldest_first).limit(1)
                                   .with_for_update(skip_locked=True, of=AssignmentSubmission))
    if submission is not None:
        submission.reviewer_id, submission.assigned_at = reviewer.id, clock.now()
        db.session.flush()
    return submission


def can_download(user: User | None, submission: AssignmentSubmission) -> bool:
    """Only the submitter and the reviewer the submission is given to."""
    return user is not None and submission.has_file and user.id in (submission.user_id, submission.reviewer_id)


def download_name(user: User, submission: AssignmentSubmission) -> str:
    """The submitter gets their file's name back; the reviewer a neutral one (a name may say who wrote it)."""
    assert submission.file_type is not None  # only a submission with a file is downloaded
    extension = uploads.EXTENSIONS[submission.file_type]
    if user.id == submission.user_id:
        return submission.file_name or f"devoir{extension}"
    return f"travail-{submission.id}{extension}"


def criterion_field(criterion_id: int) -> str:
    """The form field that carries the points of a criterion (the name errors are reported on)."""
    return f"criterion_{criterion_id}"


def grade(points: int, maximum: int) -> int:
    """The grade as a whole percent, rounded down (so that a grade shown as reaching the pass mark does)."""
    return points * 100 // maximum if maximum else 0


def record_review(reviewer: User, submission: AssignmentSubmission, points: Mapping[int, int | None],
                  comments: str) -> PeerReview:
    """Record `reviewer`'s review of `submission` (`points` by criterion id), which grades it; mail the
    submitter. Refused: one's own work, a reviewer who has not finished the course, a submission already
    reviewed or given to another reviewer, a criterion not scored within its range, no comments. The review
    only: what a passed assignment means for the course (its certificate) is `completion.record_review`'s, which
    calls this and is what a reviewer's form goes through."""
    assignment = submission.assignment
    course = assignment.course
    if submission.user_id == reviewer.id:
        raise DomainError([(None, str(_l("Vous ne pouvez pas évaluer votre propre travail.")))])
    if not can_review(reviewer, course):
        raise DomainError([(None, str(_l("Vous pourrez évaluer le travail d'autres apprenants quand vous aurez "
                                         "terminé ce cours : tous les chapitres lus et le quiz réussi.")))])
    if submission.status != SubmissionStatus.AWAITING_REVIEW:
        raise DomainError([(None, str(_l("Ce travail a déjà été évalué.")))])
    if submission.reviewer_id != reviewer.id:
        raise DomainError([(None, str(_l("Ce travail est confié à un autre évaluateur.")))])
    errors: list[tuple[str | None, str]] = []
    for number, criterion in enumerate(assignment.criteria, start=1):
        value = points.get(criterion.id)
        if value is None or not 0 <= value <= criterion.max_points:
            errors.append((criterion_field(criterion.id),
                           str(_l("Critère %(number)s : choisissez une note de 0 à %(max)s points.",
                                  number=number, max=criterion.max_points))))
    comments = (comments or "").strip()
    if len(comments) < MIN_COMMENTS_LENGTH:
        errors.append(("comments", str(_l("Expliquez votre note en quelques phrases (%(n)s caractères au moins).",
                                          n=MIN_COMMENTS_LENGTH))))
    elif len(comments) > MAX_COMMENTS_LENGTH:
        errors.append(("comments", str(_l("Les commentaires ne doivent pas dépasser %(n)s caractères.",
                                          n=format_decimal(MAX_COMMENTS_LENGTH)))))
    if errors:
        raise DomainError(errors)

    now = clock.now()
    review = PeerReview(submission_id=submission.id, reviewer_id=reviewer.id, comments=comments, submitted_at=now,
                        scores=[CriterionScore(criterion_id=c.id, points=points[c.id]) for c in assignment.criteria])
    try:
        with db.session.begin_nested():  # the same review sent twice at once: one review
            db.session.add(review)
    except IntegrityError:
        raise DomainError([(None, str(_l("Ce travail a déjà été évalué.")))]) from None
    db.session.expire(submission, ["review"])
    submission.status = SubmissionStatus.REVIEWED
    submission.reviewed_at = now
    submission.grade_percent = grade(review.points, assignment.max_points)
    submission.passed = submission.grade_percent >= assignment.pass_mark_percent
    db.session.flush()
    submitter = submission.user
    mail.queue(submitter.email, "assignment_reviewed", submitter.locale, user=submitter, course=course,
               assignment=assignment, submission=submission)
    return review
