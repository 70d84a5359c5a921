"""Reading the catalogue: search, filters, course and Parcours pages."""

from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.orm import selectinload

from app.extensions import cache, db
from app.models import Category, Course, Parcours
from app.models.catalog import CourseFormat, Level
from app.services.common.pages import Page, page_of
from app.services.common.text import fold

_LEVELS = frozenset(level.value for level in Level)
_FORMATS = frozenset(course_format.value for course_format in CourseFormat)


@dataclass(frozen=True)
class CatalogueQuery:
    text: str = ""
    category: str = ""
    level: str = ""
    format: str = ""
    page: int = 1

    @property
    def is_filtered(self) -> bool:
        return bool(self.text or self.category or self.level or self.format)

    # An unknown level or format (an old or typed address) filters nothing and selects nothing.
    @property
    def known_level(self) -> str:
        return self.level if self.level in _LEVELS else ""

    @property
    def known_format(self) -> str:
        return self.format if self.format in _FORMATS else ""


@dataclass(frozen=True)
class CatalogueIndex:
    """What a search of the catalogue reads, in one language: every course in the catalogue's order (its title,
    then its id) with its folded searchable text and its filters' values, and the categories for the filter.

    A search never seen before (the live search asks on each pause in typing) filters this instead of counting and
    reading rows: a few dozen comparisons a course. It is kept in the page cache with the catalogue's pages, as
    long as them (CATALOGUE_CACHE_SECONDS), and forgotten with them when the catalogue is loaded again."""

    courses: tuple[tuple[int, str, str, str, str], ...]  # id, folded text, category's slug, level, format
    categories: tuple[tuple[str, str], ...]  # slug, name, by slug


def _build_index(language: str) -> CatalogueIndex:
    search_column = Course.search_en if language == "en" else Course.search_fr
    title_column = Course.title_en if language == "en" else Course.title_fr
    name_column = Category.name_en if language == "en" else Category.name_fr
    courses = db.session.execute(
        select(Course.id, search_column, Category.slug, Course.level, Course.format)
        .join_from(Course, Category).order_by(title_column, Course.id))
    categories = db.session.execute(select(Category.slug, name_column).order_by(Category.slug))
    return CatalogueIndex(
        courses=tuple((course_id, text, category, str(level), str(course_format))
                      for course_id, text, category, level, course_format in courses),
        categories=tuple((slug, name) for slug, name in categories))


def catalogue_index(language: str) -> CatalogueIndex:
    key = f"catalogue-index:{language}"
    index: CatalogueIndex | None = cache.get(key)
    if index is None:
        index = _build_index(language)
        cache.set(key, index)
    return index


def search_course_ids(query: CatalogueQuery, index: CatalogueIndex, per_page: int) -> Page[int]:
    """One page of the ids of the courses matching every word of the text (accents and case ignored: both sides
    are folded, and a word is found as written, `%` and `_` included) and the filters, in the catalogue's order.
    An unknown level or format filters nothing."""
    words = fold(query.text).split()[:8]
    level, course_format = query.known_level, query.known_format
    found = [course_id for course_id, text, category, course_level, its_format
             in index.courses
             if all(word in text for word in words)
             and (not query.category or category == query.category)
             and (not level or course_level == level)
             and (not course_format or its_format == course_format)]
    return page_of(found, query.page, per_page)


_COURSES_BY_ID = select(Course).where(Course.id.in_(bindparam("ids", expanding=True)))


def courses_by_id(ids: list[int]) -> dict[int, Course]:
    """The courses of these ids, with their category (read with a course)."""
    return {course.id: course for course in db.session.scalars(_COURSES_BY_ID, {"ids": ids})}


# Built once: building a statement with its loader options costs more than running it (a course is read on
# every page of a course, signed in or not).
_COURSE_WITH_CHAPTERS = select(Course).where(Course.slug == bindparam("slug")).options(selectinload(Course.chapters))


def course_by_slug(slug: str) -> Course | None:
    return db.session.scalar(_COURSE_WITH_CHAPTERS, {"slug": slug})


def all_parcours() -> list[Parcours]:
    """Every Parcours, open ones first (the "Choisir un Parcours" list)."""
    return list(db.session.scalars(select(Parcours).order_by(Parcours.is_open.desc(), Parcours.title_fr)))


def parcours_by_slug(slug: str) -> Parcours | None:
    return db.session.scalar(
        select(Parcours).where(Parcours.slug == slug).options(selectinload(Parcours.courses))
    )


def featured_courses(limit: int = 6) -> list[Course]:
    return list(db.session.scalars(select(Course).order_by(Course.id).limit(limit)))
