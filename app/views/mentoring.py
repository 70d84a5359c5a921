"""The mentor's space: the Premium Plus learners a mentor accompanies now."""

from flask import Blueprint, abort, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from app.services.accounts import roles
from app.services.commerce import mentors

bp = Blueprint("mentoring", __name__)


@bp.route("/mentor")
@login_required
def home() -> ResponseReturnValue:
    # Like the back office, the space does not tell anyone else that it exists.
    if not roles.has(current_user, roles.Role.MENTOR):
        abort(404)
    return render_template("mentoring/home.html", assignments=mentors.learners_of(current_user))
