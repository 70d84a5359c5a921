"""The catalogue, course pages and Parcours pages: public, cached per URL and language.

A signed-in learner's course page also shows their progress: it is rendered for them, never cached.
"""

from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from app.i18n import current_language
from app.services.catalog import browse
from app.services.learning import progress
from app.views._render import cached_page

bp = Blueprint("catalog", __name__)


@bp.route("/cours")
def catalogue():
    query = browse.CatalogueQuery(
        text=request.args.get("q", "").strip()[:200],
        category=request.args.get("categorie", ""),
        level=request.args.get("niveau", ""),
        format=request.args.get("format", ""),
        page=request.args.get("page", 1, type=int) or 1,
    )

    def load() -> dict:
        title = _("Catalogue des cours")
        index = browse.catalogue_index(current_language())
        return {
            "title": _("« %(q)s » — %(title)s", q=query.text, title=title) if query.text else title,
            "query": query,
            "results": browse.search_course_ids(query, index, current_app.config["CATALOGUE_PAGE_SIZE"]),
            "categories": index.categories,
        }

    return cached_page("catalog/_catalogue_main.html", load, partial="catalog/_results_update.html",
                       params={"q": query.text, "categorie": query.category, "niveau": query.level,
                               "format": query.format, "page": query.page if query.page > 1 else ""},
                       typed=bool(query.text))


@bp.route("/cours/<slug>")
def course(slug: str):
    if current_user.is_authenticated:
        mine = progress.for_learner(current_user, slug) or abort(404)
        return render_template("catalog/course.html", course=mine.course, progress=mine)

    def load() -> dict:
        found = browse.course_by_slug(slug) or abort(404)
        return {"title": found.t("title"), "course": found}

    return cached_page("catalog/_course_main.html", load)


@bp.route("/parcours")
def parcours_list():
    return cached_page("catalog/_parcours_list_main.html",
                       lambda: {"title": _("Choisir un Parcours"), "parcours": browse.all_parcours()})


@bp.route("/parcours/<slug>")
def parcours(slug: str):
    def load() -> dict:
        found = browse.parcours_by_slug(slug) or abort(404)
        return {"title": found.t("title"), "parcours": found}

    return cached_page("catalog/_parcours_main.html", load)
