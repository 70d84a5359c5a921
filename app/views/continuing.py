"""Continuer: where the signed-in learner stands, to pick up again (their courses, and their Premium Plus
Parcours)."""

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from app.services.learning import continuing

bp = Blueprint("continuing", __name__)


@bp.route("/continuer")
@login_required
def home() -> ResponseReturnValue:
    standing = continuing.of_learner(current_user)
    return render_template("continuing/home.html", parcours=standing.parcours, courses=standing.opened)
