""""Continuer": where a signed-in learner stands, to pick up again. The courses they opened, the last opened first,
each with its chapters done out of those that can be read, the chapter read last and whether the course was passed;
and, for a Premium Plus learner, their Parcours: its courses in order with the same standing, the courses passed out
of all, the mentor, its projects, and the Parcours' end (completed, defence decided, diploma).

Two queries for the courses whatever their number, the Parcours' and those opened: the progress rows with their
chapters' titles, then the courses with their place in the Parcours, their readable chapters and whether a valid
certificate passes them. The subscription is read with its Parcours and mentor (`subscriptions.current_subscription`
`with_parcours`) in the same statement as the diploma of its Parcours; one more for its projects with the learner's
submissions, and three more for the day it was completed once everything is passed and validated.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from types import EllipsisType
from typing import Any, cast

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import load_only

from app.extensions import db
from app.models import (
    Certificate,
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


Opened = tuple[int, datetime, datetime | None, Chapter]  # a course, its chapter, when it was opened and done


def _progress_of(user: User) -> list[Opened]:
    """Every chapter the learner opened, with its chapter's title and position, the last opened first."""
    return list(db.session.execute(
        select(ChapterProgress.course_id, ChapterProgress.last_opened_at, ChapterProgress.completed_at, Chapter)
        .join(Chapter, Chapter.id == ChapterProgress.chapter_id)
        .options(load_only(Chapter.id, Chapter.course_id, Chapter.position, Chapter.title_fr, Chapter.title_en))
        .where(ChapterProgress.user_id == user.id)
        .order_by(ChapterProgress.last_opened_at.desc(), Chapter.position.desc())))


def _standings(user: User, progress: list[Opened], parcours_id: int | None) -> tuple[dict[int, CourseStanding],
                                                                                  list[int]]:
    """The standing of every course opened and of every course of the Parcours, in one query for the courses with
    their readable chapters and certificates; and the Parcours' course ids in its order."""
    last: dict[int, tuple[Chapter, datetime]] = {}
    done: dict[int, int] = {}
    for course_id, opened_at, completed_at, chapter in progress:
        last.setdefault(course_id, (chapter, opened_at))
        done[course_id] = done.get(course_id, 0) + (completed_at is not None)
    readable = (select(func.count(Chapter.id)).where(Chapter.course_id == Course.id, Chapter.has_content)
                .correlate(Course).scalar_subquery())
    passed = (select(Certificate.id).where(Certificate.user_id == user.id, Certificate.course_id == Course.id,
                                           diplomas.is_valid_course_certificate())
              .correlate(Course).exists())
    pc = parcours_courses.c
    statement = select(Course, pc.position, readable, passed).outerjoin(
        parcours_courses, and_(pc.course_id == Course.id, pc.parcours_id == parcours_id))
    wanted = [Course.id.in_(last)] if last else []
    if parcours_id is not None:
        wanted.append(pc.parcours_id.is_not(None))
    standings: dict[int, CourseStanding] = {}
    positions: list[tuple[int, int]] = []
    # The EXISTS column leaves the row untyped for mypy: these are its columns.
    rows = cast(Iterable[tuple[Course, int | None, int | None, bool]],
                db.session.execute(statement.where(or_(*wanted))))
    for course, position, readable_count, is_passed in rows:
        read_last = last.get(course.id)
        standings[course.id] = CourseStanding(course, done.get(course.id, 0), readable_count or 0,
                                              read_last[0] if read_last else None,
                                              read_last[1] if read_last else None, bool(is_passed))
        if position is not None:
            positions.append((position, course.id))
    return standings, [course_id for _, course_id in sorted(positions)]


@dataclass(frozen=True)
class Continuing:
    parcours: ParcoursStanding | None  # a current Premium Plus subscriber's Parcours
    opened: list[CourseStanding]  # the courses opened, the last opened first


@cache
def current_plus_with_diploma_statement() -> Select[Any]:
    """The learner's current Premium Plus subscription, with its Parcours and mentor, and the diploma of its Parcours
    (None without one), in one statement built once; its parameters are `user_id` and `offer`. "Mon parcours" adds
    its own facts to it."""
    return (subscriptions.current_statement(of_one_offer=True, with_parcours=True).add_columns(Certificate)
            .outerjoin(Certificate, diplomas.is_diploma_of(Subscription.user_id, Subscription.parcours_id)))


def of_learner(user: User) -> Continuing:
    """Where the learner stands: their Parcours (for a current Premium Plus subscriber) and the courses they opened,
    read for all these courses at once."""
    row = db.session.execute(current_plus_with_diploma_statement(),
                             {"user_id": user.id, "offer": OfferKind.PLUS}).first()
    return with_subscription(user, row[0], row[1]) if row is not None else with_subscription(user, None)


def with_subscription(user: User, subscription: Subscription | None,
                      diploma: Certificate | None | EllipsisType = ...) -> Continuing:
    """`of_learner`, for a caller who read the learner's current Premium Plus subscription already (and the
    diploma of its Parcours, when it read that too)."""
    progress = _progress_of(user)
    opened_ids = list(dict.fromkeys(row[0] for row in progress))  # the last opened first
    parcours = subscription.parcours if subscription is not None else None
    standings, parcours_ids = (_standings(user, progress, parcours.id if parcours is not None else None)
                               if opened_ids or parcours is not None else ({}, []))
    opened = [standings[course_id] for course_id in opened_ids if course_id in standings]
    if subscription is None or parcours is None:
        return Continuing(None, opened)
    courses = [standings[course_id] for course_id in parcours_ids]
    progress_of_projects = projects.progress(subscription, with_details=False)
    # Completion is read only when what is loaded already says it may be there.
    may_be_complete = all(standing.passed for standing in courses) and progress_of_projects.every_required_validated
    return Continuing(ParcoursStanding(
        parcours, courses, mentors.current(subscription) if mentors.needs_mentor(subscription) else None,
        progress_of_projects, diplomas.completed_on(user.id, parcours.id) if may_be_complete else None,
        diplomas.diploma_for(user.id, parcours.id) if diploma is ... else diploma), opened)
