"""The demo catalogue and the terms in force, loaded idempotently (running it twice changes nothing)."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import select

from app.extensions import db
from app.models import Category, Chapter, Course, Parcours, PriceSetting, Project, ProjectCriterion, PromoCode
from app.models.assignment import Assignment, RubricCriterion
from app.models.catalog import ChapterKind, CourseFormat, Level, Registry
from app.models.commerce import DiscountKind, OfferKind
from app.models.quiz import QuestionKind, Quiz, QuizChoice, QuizQuestion
from app.services.commerce import pricing
from app.services.common.text import fold
from app.services.community import discussions
from app.services.legal import documents

Sluggable = TypeVar("Sluggable", Category, Course, Parcours)

DEMO_FILE = Path(__file__).resolve().parent.parent / "demo" / "catalogue.json"
TERMS_VERSION = "2026-11"
TERMS_EFFECTIVE_ON = date(2026, 11, 1)
# A published version is immutable: the first one is published from its own copy (app/content/*/2026-11/), the
# files as they stand now from the next. 2026-12 only corrects how the portal is described (the labels of its
# menus and buttons, reading aloud on a Mac or Windows, the French phrases of the English text marked as such):
# not a material change, so nobody is asked to accept it again, and a learner who accepted 2026-11 still rereads
# exactly that text.
CORRECTED_VERSION = "2026-12"
CORRECTED_EFFECTIVE_ON = date(2026, 12, 1)

PARCOURS_TEXT_FIELDS = (
    "title", "summary", "opening_period", "opening_notice", "registry_level", "programme", "work_nature",
    "training_conditions", "support", "methods", "assessments", "instructions", "prerequisites",
    "education_level", "jobs", "hardware",
)


def _upsert(model: type[Sluggable], slug: str) -> Sluggable:
    row = db.session.scalar(select(model).where(model.slug == slug))
    if row is None:
        row = model(slug=slug)
        db.session.add(row)
    return row


def _set_if_changed(row: object, field: str, value: object) -> None:
    if getattr(row, field, None) != value:
        setattr(row, field, value)


def load_catalogue(path: Path = DEMO_FILE) -> dict[str, int]:
    data = json.loads(path.read_text(encoding="utf-8"))
    categories = {}
    for item in data["categories"]:
        category = _upsert(Category, item["slug"])
        _set_if_changed(category, "name_fr", item["name_fr"])
        _set_if_changed(category, "name_en", item["name_en"])
        categories[item["slug"]] = category
    db.session.flush()

    courses = {}
    for item in data["courses"]:
        course = _upsert(Course, item["slug"])
        values = {
            "category_id": categories[item["category"]].id,
            "level": Level(item["level"]),
            "format": CourseFormat(item["format"]),
            "duration_hours": item["duration_hours"],
            "title_fr": item["title_fr"], "title_en": item["title_en"],
            "summary_fr": item["summary_fr"], "summary_en": item["summary_en"],
            "search_fr": fold(f"{item['title_fr']} {item['summary_fr']}"),
            "search_en": fold(f"{item['title_en']} {item['summary_en']}"),
        }
        for field, value in values.items():
            _set_if_changed(course, field, value)
        wanted = [(index + 1, ChapterKind(ch["kind"]), ch["minutes"], ch["title_fr"], ch["title_en"])
                  for index, ch in enumerate(item["chapters"])]
        current = [(ch.position, ch.kind, ch.minutes, ch.title_fr, ch.title_en) for ch in course.chapters]
        if current != wanted:
            course.chapters = [Chapter(position=p, kind=k, minutes=m, title_fr=fr, title_en=en)
                               for p, k, m, fr, en in wanted]
        courses[item["slug"]] = course
    db.session.flush()

    for item in data["parcours"]:
        parcours = _upsert(Parcours, item["slug"])
        values = {
            "duration_months": item["duration_months"], "min_projects": item["min_projects"],
            "monthly_price_cents": item["monthly_price_cents"], "is_open": item["is_open"],
            "certification_registry": Registry(item["registry"]) if item["registry"] else None,
            "registry_code": item["registry_code"],
        }
        for field in PARCOURS_TEXT_FIELDS:
            values[f"{field}_fr"] = item[f"{field}_fr"]
            values[f"{field}_en"] = item[f"{field}_en"]
        for field, value in values.items():
            _set_if_changed(parcours, field, value)
        wanted_courses = [courses[slug] for slug in item["courses"]]
        if [c.id for c in parcours.courses] != [c.id for c in wanted_courses]:
            parcours.courses = []
            db.session.flush()
            for position, course in enumerate(wanted_courses):
                db.session.execute(Parcours.courses.property.secondary.insert().values(
                    parcours_id=parcours.id, course_id=course.id, position=position))
            db.session.expire(parcours, ["courses"])
    db.session.flush()
    documents.publish_terms_from_files(TERMS_VERSION, TERMS_EFFECTIVE_ON, folder=documents.CONTENT_DIR / TERMS_VERSION)
    documents.publish_terms_from_files(CORRECTED_VERSION, CORRECTED_EFFECTIVE_ON)
    _load_offers()
    _load_course_content(courses)
    _load_projects(data["parcours"])
    documents.publish_rules_from_files(TERMS_VERSION, TERMS_EFFECTIVE_ON, folder=documents.RULES_DIR / TERMS_VERSION)
    documents.publish_rules_from_files(CORRECTED_VERSION, CORRECTED_EFFECTIVE_ON)
    _load_forums()
    return {"categories": len(categories), "courses": len(courses), "parcours": len(data["parcours"])}


CONTENT_FILE = Path(__file__).resolve().parent.parent / "demo" / "course_content.json"
CHAPTER_CONTENT_FIELDS = ("body_fr", "body_en", "transcript_fr", "transcript_en", "captions_fr", "captions_en")


def _load_course_content(courses: dict[str, Course]) -> None:
    """Full chapters (text, or transcript and captions for video) for the courses the demo ships whole."""
    if not CONTENT_FILE.exists():
        return
    content = json.loads(CONTENT_FILE.read_text(encoding="utf-8"))
    for slug, item in content.items():
        course = courses[slug]
        _set_if_changed(course, "pass_mark_percent", item.get("pass_mark_percent", 70))
        for chapter, chapter_content in zip(course.chapters, item["chapters"], strict=True):
            for field in CHAPTER_CONTENT_FIELDS:
                _set_if_changed(chapter, field, chapter_content.get(field))
        _load_assignment(course, item.get("assignment"))
        _load_quiz(course, item.get("quiz"), item.get("pass_mark_percent", 70))
    db.session.flush()


def _load_assignment(course: Course, data: dict[str, Any] | None) -> None:
    """The course's peer-reviewed assignment and its rubric (CGS-DEF-1), updated in place when it changed."""
    if not data:
        return
    assignment = db.session.scalar(select(Assignment).where(Assignment.course_id == course.id))
    if assignment is None:
        assignment = Assignment(course_id=course.id)
        db.session.add(assignment)
    values = {"title_fr": data["title_fr"], "title_en": data["title_en"], "instructions_fr": data["brief_fr"],
              "instructions_en": data["brief_en"], "own_pass_mark_percent": data.get("pass_mark_percent")}
    for field, value in values.items():
        _set_if_changed(assignment, field, value)
    existing = {criterion.position: criterion for criterion in assignment.criteria}
    for position, item in enumerate(data["rubric"], start=1):
        criterion = existing.get(position)
        if criterion is None:
            criterion = RubricCriterion(position=position)
            assignment.criteria.append(criterion)
        for field, value in (("label_fr", item["criterion_fr"]), ("label_en", item["criterion_en"]),
                             ("max_points", item["max_points"])):
            _set_if_changed(criterion, field, value)
    for criterion in [c for c in assignment.criteria if c.position > len(data["rubric"])]:
        assignment.criteria.remove(criterion)


PROJECTS_FILE = Path(__file__).resolve().parent.parent / "demo" / "projects.json"
PROJECT_TEXT_FIELDS = ("title", "brief", "deliverables")


def _load_projects(parcours_items: list[dict[str, Any]]) -> None:
    """Each Parcours' projects (brief, deliverables, criteria), in the order of its programme, updated in place."""
    projects = json.loads(PROJECTS_FILE.read_text(encoding="utf-8"))
    for item in parcours_items:
        parcours = db.session.scalar(select(Parcours).where(Parcours.slug == item["slug"]))
        assert parcours is not None  # loaded just before
        existing = {project.position: project for project in db.session.scalars(
            select(Project).where(Project.parcours_id == parcours.id))}
        for position, data in enumerate(projects.get(item["slug"], []), start=1):
            project = existing.get(position)
            if project is None:
                project = Project(parcours_id=parcours.id, position=position)
                db.session.add(project)
            for field in PROJECT_TEXT_FIELDS:
                for language in ("fr", "en"):
                    _set_if_changed(project, f"{field}_{language}", data[f"{field}_{language}"])
            _set_if_changed(project, "required", data["required"])
            _set_if_changed(project, "opens_after_previous", data["opens_after_previous"])
            criteria = {criterion.position: criterion for criterion in project.criteria}
            for number, criterion_data in enumerate(data["criteria"], start=1):
                criterion = criteria.get(number)
                if criterion is None:
                    criterion = ProjectCriterion(position=number)
                    project.criteria.append(criterion)
                _set_if_changed(criterion, "label_fr", criterion_data["label_fr"])
                _set_if_changed(criterion, "label_en", criterion_data["label_en"])
    db.session.flush()


def _decimal_text(value: float | int | str | None) -> str | None:
    return None if value is None else str(Decimal(str(value)))


def _load_quiz(course: Course, data: dict[str, Any] | None, pass_mark_percent: int) -> None:
    """The course's auto-graded quiz (CGS-DEF-1). Questions and choices are matched by position and updated in
    place, so that an edited file changes the rows it must and loading twice changes nothing."""
    if not data:
        return
    quiz = db.session.scalar(select(Quiz).where(Quiz.course_id == course.id))
    if quiz is None:
        quiz = Quiz(course_id=course.id)
        db.session.add(quiz)
    _set_if_changed(quiz, "pass_mark_percent", pass_mark_percent)
    questions = {question.position: question for question in quiz.questions}
    for position, item in enumerate(data["questions"], start=1):
        question = questions.get(position)
        if question is None:
            question = QuizQuestion(position=position)
            quiz.questions.append(question)
        kind = QuestionKind(item["type"])
        numeric = kind == QuestionKind.NUMERIC
        values = {
            "kind": kind, "prompt_fr": item["prompt_fr"], "prompt_en": item["prompt_en"],
            "explanation_fr": item.get("explanation_fr", ""), "explanation_en": item.get("explanation_en", ""),
            "numeric_answer": _decimal_text(item["answer"]) if numeric else None,
            "numeric_tolerance": _decimal_text(item.get("tolerance", 0)) if numeric else None,
            "unit_fr": item.get("unit_fr", "") if numeric else "",
            "unit_en": item.get("unit_en", "") if numeric else "",
        }
        for field, value in values.items():
            _set_if_changed(question, field, value)
        wanted = [] if numeric else item["choices"]
        choices = {choice.position: choice for choice in question.choices}
        for choice_position, choice_item in enumerate(wanted, start=1):
            choice = choices.get(choice_position)
            if choice is None:
                choice = QuizChoice(position=choice_position)
                question.choices.append(choice)
            for field, value in (("text_fr", choice_item["fr"]), ("text_en", choice_item["en"]),
                                 ("correct", bool(choice_item["correct"]))):
                _set_if_changed(choice, field, value)
        for choice in [c for c in question.choices if c.position > len(wanted)]:
            question.choices.remove(choice)
    for question in [q for q in quiz.questions if q.position > len(data["questions"])]:
        quiz.questions.remove(question)


DEMO_SOLO_PRICE_CENTS = 2000
DEMO_PROMO_CODES = (
    # code, kind, value, first months, valid from, valid until, max uses, offer
    ("BIENVENUE", DiscountKind.PERCENT, 50, 1, date(2026, 1, 1), date(2027, 12, 31), None, None),
    ("RENTREE10", DiscountKind.AMOUNT, 1000, 3, date(2026, 9, 1), date(2027, 6, 30), 500, OfferKind.PLUS),
    ("ETE2026", DiscountKind.PERCENT, 20, 1, date(2026, 6, 1), date(2026, 8, 31), None, None),
)


def _load_offers() -> None:
    """The Premium Solo price (set once: changing it later is a price change, not demo data) and promo codes."""
    if db.session.scalar(select(PriceSetting).where(PriceSetting.key == pricing.SOLO_PRICE_KEY)) is None:
        pricing.set_solo_monthly_price(DEMO_SOLO_PRICE_CENTS)
    for code, kind, value, months, valid_from, valid_until, max_uses, offer in DEMO_PROMO_CODES:
        if db.session.scalar(select(PromoCode).where(PromoCode.code == code)) is None:
            db.session.add(PromoCode(code=code, kind=kind, value=value, months=months, valid_from=valid_from,
                                     valid_until=valid_until, max_uses=max_uses, offer=offer, active=True))
    db.session.flush()


def _load_forums() -> None:
    """The subscribers' forums (CGS-2.1-A3): a general one and one per course of the catalogue."""

    discussions.sync_course_forums()
