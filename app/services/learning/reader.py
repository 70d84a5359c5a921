"""Reading a course: opening chapters (with the access rule), progress, and where to pick up again."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select

from app.extensions import db
from app.models import Chapter, ChapterProgress, Course, User
from app.services.commerce import access
from app.services.common import clock


@dataclass(frozen=True)
class Opening:
    allowed: bool
    premium: bool
    done: frozenset[int] = frozenset()  # the course's chapters the reader completed (by id)


def chapter_at(course: Course, position: int) -> Chapter | None:
    return next((chapter for chapter in course.chapters if chapter.position == position), None)


_PROGRESS_IN_COURSE = select(ChapterProgress).where(ChapterProgress.user_id == bindparam("user_id"),
                                                    ChapterProgress.course_id == bindparam("course_id"))


def open_chapter(user: User | None, chapter: Chapter, known: access.PremiumAccess | None = None) -> Opening:
    """May this reader open the chapter? If so, remember it (progress; first premium access), writing only what
    changes: reopening the chapter already picked up last changes nothing, so reading costs no write."""
    premium = access.is_premium(chapter)
    if premium:
        known = known if known is not None else access.premium_access(user)
        if not known.granted:
            return Opening(False, premium)
    if user is None:
        return Opening(True, premium)
    if known is not None and known.first_access_pending:
        access.record_premium_access(user, known)
    rows = list(db.session.scalars(_PROGRESS_IN_COURSE, {"user_id": user.id, "course_id": chapter.course_id}))
    _note_opened(user, chapter, rows)
    return Opening(True, premium, frozenset(row.chapter_id for row in rows if row.completed_at is not None))


def _note_opened(user: User, chapter: Chapter, rows: list[ChapterProgress]) -> None:
    """Where to pick up again moves to this chapter, unless it is there already."""
    row = next((row for row in rows if row.chapter_id == chapter.id), None)
    if row is None:
        db.session.add(ChapterProgress(user_id=user.id, chapter_id=chapter.id, course_id=chapter.course_id,
                                       last_opened_at=clock.now()))
    elif resume_from(chapter.course, {other.chapter_id: other.last_opened_at for other in rows}).chapter \
            is not chapter:
        row.last_opened_at = clock.now()
    else:
        return
    db.session.flush()


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


@dataclass(frozen=True)
class Resume:
    """Where a learner picks a course up again."""

    chapter: Chapter | None  # the chapter opened last, else the first one that can be read; None: nothing to read
    started: bool  # a chapter was opened already: "Reprendre là où j'en étais" rather than "Commencer le cours"


def resume_from(course: Course, last_opened: Mapping[int, datetime]) -> Resume:
    """The rule of "where to pick up again", from when the learner last opened each chapter they opened (by
    chapter id): the chapter opened last; before any, the course's first chapter that can be read. The reader's
    "Reprendre" link and the course page's progress both answer with it."""
    opened = [chapter for chapter in course.chapters if chapter.id in last_opened]
    if opened:
        return Resume(max(opened, key=lambda chapter: (last_opened[chapter.id], chapter.position)), True)
    return Resume(next((chapter for chapter in course.chapters if chapter.has_content), None), False)


def resume(user: User, course: Course) -> Resume:
    """Where `user` picks `course` up again ("Reprendre là où j'en étais")."""
    rows = db.session.execute(select(ChapterProgress.chapter_id, ChapterProgress.last_opened_at).where(
        ChapterProgress.user_id == user.id, ChapterProgress.course_id == course.id))
    return resume_from(course, {chapter_id: opened_at for chapter_id, opened_at in rows})
