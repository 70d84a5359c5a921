""""Continuer": where a signed-in learner stands, to pick up again. The courses they opened, the last opened first,
each with its chapters done out of those that can be read, the chapter read last and whether the course was passed;
and, for a Premium Plus learner, their Parcours: its courses in order with the same standing, the courses passed out
of all, the mentor, its projects, and the Parcours' end (completed, defence decided, diploma).

Four queries for the courses whatever their number (the progress rows with their chapters' titles, the courses,
their readable chapters, the certificates), whether they are the Parcours' or those opened; one for the courses
opened, four for a Parcours (the subscription, the Parcours, its courses' ids, the mentor), two for its projects,
one for its diploma, and three more for the day it was completed once everything is passed and validated.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import load_only

from app.extensions import db
from app.models import (
    Certificate,
    CertificateKind,
    Chapter,
    ChapterProgress,
    Course,
    MentorAssignment,
    Parcours,
    Subscription,
    User,
    parcours_courses,
)
from app.models.commerce import OfferKind
from app.services.commerce import mentors, subscriptions
from app.services.learning import diplomas
from app.services.mentoring import projects
from app.services.mentoring.projects import Progress
from app.services.mentoring.projects import Standing as ProjectStanding


@dataclass(frozen=True)
class CourseStanding:
    course: Course
    done: int  # chapters completed
    readable: int  # chapters that can be read (the others are not online yet)
    last_chapter: Chapter | None  # the chapter opened last: where "Reprendre" leads
    last_opened_at: datetime | None
    passed: bool  # a valid certificate of the course

    @property
    def started(self) -> bool:
        return self.last_chapter is not None


@dataclass(frozen=True)
class ParcoursStanding:
    parcours: Parcours
    courses: list[CourseStanding]  # in the Parcours' order
    mentor: MentorAssignment | None
    projects: Progress
    completed_on: date | None  # every course passed and every required project validated: the defence is next
    diploma: Certificate | None

    @property
    def passed_count(self) -> int:
        return sum(1 for standing in self.courses if standing.passed)

    @property
    def next_course(self) -> CourseStanding | None:
        """The first course of the Parcours not passed yet: what to work on."""
        return next((standing for standing in self.courses if not standing.passed), None)

    @property
    def next_project(self) -> ProjectStanding | None:
        return self.projects.next_to_hand_in


def _standings(user: User, course_ids: list[int]) -> dict[int, CourseStanding]:
    progress = db.session.execute(
        select(ChapterProgress.course_id, ChapterProgress.last_opened_at, ChapterProgress.completed_at, Chapter)
        .join(Chapter, Chapter.id == ChapterProgress.chapter_id)
        .options(load_only(Chapter.id, Chapter.course_id, Chapter.position, Chapter.title_fr, Chapter.title_en))
        .where(ChapterProgress.user_id == user.id, ChapterProgress.course_id.in_(course_ids))
        .order_by(ChapterProgress.last_opened_at.desc(), Chapter.position.desc())).all()
    last: dict[int, tuple[Chapter, datetime]] = {}
    done: dict[int, int] = {}
    for course_id, opened_at, completed_at, chapter in progress:
        last.setdefault(course_id, (chapter, opened_at))
        done[course_id] = done.get(course_id, 0) + (completed_at is not None)
    courses = {course.id: course for course in db.session.scalars(select(Course).where(Course.id.in_(course_ids)))}
    readable = {course_id: count for course_id, count in db.session.execute(
        select(Chapter.course_id, func.count(Chapter.id))
        .where(Chapter.course_id.in_(course_ids),
               or_(func.length(Chapter.body_fr) > 0, func.length(Chapter.transcript_fr) > 0))
        .group_by(Chapter.course_id))}
    passed = set(db.session.scalars(select(Certificate.course_id).where(
        Certificate.user_id == user.id, Certificate.kind == CertificateKind.COURSE, Certificate.revoked_at.is_(None),
        Certificate.course_id.in_(course_ids))))
    standings = {}
    for course_id, course in courses.items():
        read_last = last.get(course_id)
        standings[course_id] = CourseStanding(course, done.get(course_id, 0), readable.get(course_id, 0),
                                              read_last[0] if read_last else None,
                                              read_last[1] if read_last else None, course_id in passed)
    return standings


@dataclass(frozen=True)
class Continuing:
    parcours: ParcoursStanding | None  # a current Premium Plus subscriber's Parcours
    opened: list[CourseStanding]  # the courses opened, the last opened first


def _opened_ids(user: User) -> list[int]:
    return list(db.session.scalars(select(ChapterProgress.course_id).where(
        ChapterProgress.user_id == user.id).group_by(ChapterProgress.course_id)
        .order_by(func.max(ChapterProgress.last_opened_at).desc())))


def _parcours_ids(parcours: Parcours) -> list[int]:
    return list(db.session.scalars(select(parcours_courses.c.course_id).where(
        parcours_courses.c.parcours_id == parcours.id).order_by(parcours_courses.c.position)))


def of_learner(user: User) -> Continuing:
    """Where the learner stands: their Parcours (for a current Premium Plus subscriber) and the courses they opened,
    read for all these courses at once."""
    return with_subscription(user, subscriptions.current_subscription(user.id, OfferKind.PLUS))


def with_subscription(user: User, subscription: Subscription | None) -> Continuing:
    """`of_learner`, for a caller who read the learner's current Premium Plus subscription already."""
    opened_ids = _opened_ids(user)
    parcours = subscription.parcours if subscription is not None else None
    parcours_ids = _parcours_ids(parcours) if parcours is not None else []
    every_id = list(dict.fromkeys(parcours_ids + opened_ids))
    standings = _standings(user, every_id) if every_id else {}
    opened = [standings[course_id] for course_id in opened_ids if course_id in standings]
    if subscription is None or parcours is None:
        return Continuing(None, opened)
    courses = [standings[course_id] for course_id in parcours_ids if course_id in standings]
    progress = projects.progress(subscription, with_details=False)
    # Completion is read only when what is loaded already says it may be there.
    may_be_complete = all(standing.passed for standing in courses) and progress.every_required_validated
    return Continuing(ParcoursStanding(
        parcours, courses, mentors.current(subscription) if mentors.needs_mentor(subscription) else None, progress,
        diplomas.completed_on(user.id, parcours.id) if may_be_complete else None,
        diplomas.diploma_for(user.id, parcours.id)), opened)
