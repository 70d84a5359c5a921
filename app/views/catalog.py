"""The catalogue, course pages and Parcours pages."""

from flask import Blueprint, abort, current_app, render_template, request

from app.i18n import current_language
from app.services import catalog
from app.views._render import page_or_partial

bp = Blueprint("catalog", __name__)


@bp.route("/cours")
def catalogue():
    query = catalog.CatalogueQuery(
        text=request.args.get("q", "").strip()[:200],
        category=request.args.get("categorie", ""),
        level=request.args.get("niveau", ""),
        format=request.args.get("format", ""),
        page=request.args.get("page", 1, type=int) or 1,
    )
    results = catalog.search_courses(query, current_language(), current_app.config["CATALOGUE_PAGE_SIZE"])
    return page_or_partial("catalog/catalogue.html", "catalog/_results.html", query=query, results=results,
                           categories=catalog.categories())


@bp.route("/cours/<slug>")
def course(slug: str):
    found = catalog.course_by_slug(slug) or abort(404)
    return render_template("catalog/course.html", course=found)


@bp.route("/parcours")
def parcours_list():
    return render_template("catalog/parcours_list.html", parcours=catalog.all_parcours())


@bp.route("/parcours/<slug>")
def parcours(slug: str):
    found = catalog.parcours_by_slug(slug) or abort(404)
    return render_template("catalog/parcours.html", parcours=found)
