"""Home and language choice (the contact page is in views/support.py)."""

from flask import Blueprint, current_app, redirect, request, session
from flask_babel import gettext as _

from app.assets import asset_url
from app.services.catalog import browse
from app.views._render import cached_page, safe_next

bp = Blueprint("main", __name__)


@bp.route("/")
def home():
    return cached_page("main/_home_main.html", lambda: {
        "title": _("Accueil"), "courses": browse.featured_courses(), "parcours": browse.all_parcours()[:3]})


@bp.route("/langue/<code>")
def set_language(code: str):
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    return redirect(safe_next(request.args.get("next"), "/"))


@bp.route("/favicon.ico")
def favicon():
    # Browsers ask for it whatever the page links to.
    return redirect(asset_url("img/favicon.svg"), code=301)
