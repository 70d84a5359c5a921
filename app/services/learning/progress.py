"""A signed-in learner's progress in a course, for the course page: chapters done, where to pick up again, and
where they stand with the course's quiz.

Three queries: the course (with its quiz, the learner's attempts at it and their certificate), its chapters with
the learner's progress in each, and the course's assignment with the learner's latest submission. The personal
course page stays about as quick as the cached public one.
"""

from dataclasses import dataclass

from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm.attributes import set_committed_value

from app.extensions import db
from app.models import Certificate, Chapter, ChapterProgress, Course, Quiz, QuizAttempt, User
from app.services.learning import peer_review, quizzes, reader


@dataclass(frozen=True)
class CourseProgress:
    course: Course
    done_ids: frozenset[int]  # chapters marked done
    readable_count: int  # chapters with content: the ones a learner can open and finish
    resume: reader.Resume  # where to pick up again (and whether the learner started)
    quiz: Quiz | None
    quiz_status: quizzes.QuizStatus | None
    assignment: peer_review.LearnerStatus | None  # None when the course has no assignment
    certificate: Certificate | None  # issued when the course was passed

    @property
    def done_count(self) -> int:
        return len(self.done_ids & {chapter.id for chapter in self.course.chapters if chapter.has_content})


# Both statements are built once (building them cost about as much as running them), the learner and the course
# given as parameters.
_COURSE_WITH_QUIZ_ATTEMPTS_AND_CERTIFICATE = (
    select(Course, Quiz, QuizAttempt, Certificate)
    .outerjoin(Quiz, Quiz.course_id == Course.id)
    .outerjoin(QuizAttempt, and_(QuizAttempt.quiz_id == Quiz.id, QuizAttempt.user_id == bindparam("user_id")))
    .outerjoin(Certificate, and_(Certificate.course_id == Course.id, Certificate.user_id == bindparam("user_id")))
    .where(Course.slug == bindparam("slug"))
    .order_by(QuizAttempt.submitted_at.desc(), QuizAttempt.id.desc()))
_CHAPTERS_WITH_PROGRESS = (
    select(Chapter, ChapterProgress.completed_at, ChapterProgress.last_opened_at)
    .outerjoin(ChapterProgress, and_(ChapterProgress.chapter_id == Chapter.id,
                                     ChapterProgress.user_id == bindparam("user_id")))
    .where(Chapter.course_id == bindparam("course_id")).order_by(Chapter.position))


def for_learner(user: User, slug: str) -> CourseProgress | None:
    """The course of `slug` with `user`'s progress in it; None when there is no such course.
    `course.chapters` is filled from the same query as the progress."""
    rows = db.session.execute(_COURSE_WITH_QUIZ_ATTEMPTS_AND_CERTIFICATE, {"user_id": user.id, "slug": slug}).all()
    if not rows:
        return None
    course, quiz, _, certificate = rows[0]
    attempts = [attempt for _, _, attempt, _ in rows if attempt is not None]
    chapters = db.session.execute(_CHAPTERS_WITH_PROGRESS, {"user_id": user.id, "course_id": course.id}).all()
    set_committed_value(course, "chapters", [chapter for chapter, _, _ in chapters])
    return CourseProgress(
        course=course,
        done_ids=frozenset(chapter.id for chapter, completed_at, _ in chapters if completed_at is not None),
        readable_count=sum(1 for chapter, _, _ in chapters if chapter.has_content),
        resume=reader.resume_from(course, {chapter.id: opened_at for chapter, _, opened_at in chapters
                                           if opened_at is not None}),
        quiz=quiz,
        quiz_status=quizzes.status_from(attempts) if quiz is not None else None,
        assignment=peer_review.learner_status(user.id, course.id),
        certificate=certificate,
    )
