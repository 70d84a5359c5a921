"""The demo catalogue and the terms in force, loaded idempotently (running it twice changes nothing)."""

import json
from datetime import date
from pathlib import Path

from sqlalchemy import select

from app.extensions import db
from app.models import Category, Chapter, Course, Parcours, PriceSetting, PromoCode
from app.models.catalog import ChapterKind, CourseFormat, Level, Registry
from app.models.commerce import DiscountKind, OfferKind
from app.services import legal, pricing
from app.services.text import fold

DEMO_FILE = Path(__file__).resolve().parent.parent / "demo" / "catalogue.json"
TERMS_VERSION = "2026-11"
TERMS_EFFECTIVE_ON = date(2026, 11, 1)

PARCOURS_TEXT_FIELDS = (
    "title", "summary", "opening_period", "opening_notice", "registry_level", "programme", "work_nature",
    "training_conditions", "support", "methods", "assessments", "instructions", "prerequisites",
    "education_level", "jobs", "hardware",
)


def _upsert(model, slug: str):
    row = db.session.scalar(select(model).where(model.slug == slug))
    if row is None:
        row = model(slug=slug)
        db.session.add(row)
    return row


def _set_if_changed(row, field: str, value) -> None:
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
    legal.publish_terms_from_files(TERMS_VERSION, TERMS_EFFECTIVE_ON)
    _load_offers()
    _load_course_content(courses)
    legal.publish_rules_from_files("2026-11", date(2026, 11, 1))
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
    db.session.flush()


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
