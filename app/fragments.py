"""Pieces of the catalogue's pages rendered once per language and kept in the page cache, with the pages: a
course's card is the same wherever it shows (home, catalogue, every search that finds the course), and a search
never seen before is a new page made mostly of cards already rendered. Kept as long as the catalogue's pages
(CATALOGUE_CACHE_SECONDS), and forgotten with them when the catalogue is loaded again."""

from flask import Flask, render_template
from markupsafe import Markup

from app.extensions import cache
from app.i18n import current_language
from app.models import Course
from app.services.catalog import browse


def _card_key(course_id: int, language: str) -> str:
    return f"card:{course_id}:{language}"


def _render_card(course: Course, key: str) -> Markup:
    html = render_template("catalog/_course_card.html", course=course)
    cache.set(key, html)
    return Markup(html)


def course_card(course: Course) -> Markup:
    key = _card_key(course.id, current_language())
    html = cache.get(key)
    return _render_card(course, key) if html is None else Markup(html)


def course_cards(course_ids: list[int]) -> list[Markup]:
    """The cards of these courses, in this order: the courses whose card is not kept are read in one query (a
    search's results are ids, from the catalogue's index). A course gone since the index was made is left out."""
    language = current_language()
    keys = [_card_key(course_id, language) for course_id in course_ids]
    kept = cache.get_many(*keys) if keys else []
    missing = [course_id for course_id, html in zip(course_ids, kept, strict=True) if html is None]
    courses = browse.courses_by_id(missing) if missing else {}
    return [Markup(html) if html is not None else _render_card(courses[course_id], key)
            for course_id, key, html in zip(course_ids, keys, kept, strict=True)
            if html is not None or course_id in courses]


def catalogue_filters(query: browse.CatalogueQuery, categories: tuple[tuple[str, str], ...]) -> Markup:
    """The catalogue's three filters with the reader's choices selected. A choice that is not one of the
    options selects nothing, and is not part of the key: whatever the address holds, a few hundred variants."""
    category = query.category if query.category in dict(categories) else ""
    level, course_format = query.known_level, query.known_format
    key = f"filters:{current_language()}:{category}:{level}:{course_format}"
    html = cache.get(key)
    if html is None:
        html = render_template("catalog/_filters.html", categories=categories, category=category, level=level,
                               format=course_format)
        cache.set(key, html)
    return Markup(html)


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(course_card=course_card, course_cards=course_cards,
                                  catalogue_filters=catalogue_filters)
