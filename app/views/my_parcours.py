""""Mon parcours": a Premium Plus learner's home (their Parcours, projects, sessions, mentor, defence)."""

from flask import Blueprint, abort, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from app.services.learning import my_parcours

bp = Blueprint("my_parcours", __name__)


@bp.route("/mon-parcours")
@login_required
def home() -> ResponseReturnValue:
    mine = my_parcours.of_learner(current_user) or abort(404)
    return render_template("my_parcours/home.html", mine=mine, standing=mine.standing)
