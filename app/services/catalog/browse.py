"""Reading the catalogue: search, filters, course and Parcours pages."""

from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Category, Course, Parcours
from app.models.catalog import CourseFormat, Level
from app.services.common.pages import Page, paginate
from app.services.common.text import fold


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



def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_courses(query: CatalogueQuery, language: str, per_page: int) -> Page[Course]:
    """One page of courses matching every word of the text (accents and case ignored) and the filters."""
    search_column = Course.search_en if language == "en" else Course.search_fr
    title_column = Course.title_en if language == "en" else Course.title_fr
    statement = select(Course).order_by(title_column, Course.id)
    for word in fold(query.text).split()[:8]:
        statement = statement.where(search_column.like(f"%{_escape_like(word)}%", escape="\\"))
    if query.category:
        statement = statement.join(Category).where(Category.slug == query.category)
    if query.level in Level.__members__.values():
        statement = statement.where(Course.level == Level(query.level))
    if query.format in CourseFormat.__members__.values():
        statement = statement.where(Course.format == CourseFormat(query.format))
    return paginate(statement, query.page, per_page)


def categories() -> list[Category]:
    return list(db.session.scalars(select(Category).order_by(Category.slug)))


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
