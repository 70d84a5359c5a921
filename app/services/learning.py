"""Reading a course: opening chapters (with the access rule), progress, and where to pick up again."""

from dataclasses import dataclass

from sqlalchemy import select

from app.extensions import db
from app.models import Chapter, ChapterProgress, Course, User
from app.services import access, clock


@dataclass(frozen=True)
class Opening:
    allowed: bool
    premium: bool


def chapter_at(course: Course, position: int) -> Chapter | None:
    return next((chapter for chapter in course.chapters if chapter.position == position), None)


def open_chapter(user: User | None, chapter: Chapter) -> Opening:
    """May this reader open the chapter? If so, remember it (progress; first premium access)."""
    premium = access.is_premium(chapter)
    if not access.can_open(user, chapter):
        return Opening(False, premium)
    if user is not None:
        if premium:
            access.record_premium_access(user)
        _progress(user, chapter).last_opened_at = clock.now()
        db.session.flush()
    return Opening(True, premium)


def _progress(user: User, chapter: Chapter) -> ChapterProgress:
    row = db.session.scalar(select(ChapterProgress).where(
        ChapterProgress.user_id == user.id, ChapterProgress.chapter_id == chapter.id))
    if row is None:
        row = ChapterProgress(user_id=user.id, chapter_id=chapter.id, course_id=chapter.course_id,
                              last_opened_at=clock.now())
        db.session.add(row)
    return row


def complete_chapter(user: User, chapter: Chapter) -> None:
    row = _progress(user, chapter)
    row.completed_at = row.completed_at or clock.now()
    db.session.flush()


def completed_chapter_ids(user: User, course: Course) -> set[int]:
    return set(db.session.scalars(select(ChapterProgress.chapter_id).where(
        ChapterProgress.user_id == user.id, ChapterProgress.course_id == course.id,
        ChapterProgress.completed_at.is_not(None))))


def resume_position(user: User, course: Course) -> int | None:
    """The chapter opened last in this course ("Reprendre là où j'en étais")."""
    chapter_id = db.session.scalar(select(ChapterProgress.chapter_id).where(
        ChapterProgress.user_id == user.id, ChapterProgress.course_id == course.id)
        .order_by(ChapterProgress.last_opened_at.desc()).limit(1))
    chapter = db.session.get(Chapter, chapter_id) if chapter_id else None
    return chapter.position if chapter else None
