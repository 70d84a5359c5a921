"""Pieces of the catalogue's pages rendered once per language and kept in the page cache, with the pages: a
course's card is the same wherever it shows (home, catalogue, every search that finds the course), and a search
never seen before is a new page made mostly of cards already rendered. Kept as long as the catalogue's pages
(CATALOGUE_CACHE_SECONDS), and forgotten with them when the catalogue is loaded again."""

from flask import Flask, render_template
from markupsafe import Markup

from app.extensions import cache
from app.i18n import current_language
from app.models import Course


def course_card(course: Course) -> Markup:
    key = f"card:{course.id}:{current_language()}"
    html = cache.get(key)
    if html is None:
        html = render_template("catalog/_course_card.html", course=course)
        cache.set(key, html)
    return Markup(html)


def init_app(app: Flask) -> None:
    app.jinja_env.globals["course_card"] = course_card
