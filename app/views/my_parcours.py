""""Mon parcours": a Premium Plus learner's home (their Parcours, projects, sessions, mentor, defence), and asking
for the final defence with the accommodations they need."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.extensions import db
from app.forms import populate_errors
from app.forms.diplomas import DefenceRequestForm
from app.services import DomainError
from app.services.learning import defences, my_parcours

bp = Blueprint("my_parcours", __name__)


@bp.route("/mon-parcours")
@login_required
def home() -> ResponseReturnValue:
    mine = my_parcours.of_learner(current_user) or abort(404)
    return render_template("my_parcours/home.html", mine=mine, standing=mine.standing)


@bp.route("/mon-parcours/soutenance", methods=["GET", "POST"])
@login_required
def defence() -> ResponseReturnValue:
    """The request for the defence while it may be asked for; the request, then the defence scheduled, after."""
    mine = my_parcours.of_learner(current_user) or abort(404)
    form = DefenceRequestForm()
    if mine.may_ask_for_defence and form.validate_on_submit():
        try:
            defences.ask(current_user, mine.subscription, defences.Accommodations(
                form.extra_time.data, form.sign_language.data, form.other_format.data, form.details.data or ""))
        except DomainError as error:
            populate_errors(form, error)
        else:
            db.session.commit()
            flash(_("Votre demande de soutenance est enregistrée. Student Success vous propose une date par email, "
                    "avec sa réponse sur les aménagements demandés."), "success")
            return redirect(url_for("my_parcours.defence"))
    return render_template("my_parcours/defence.html", mine=mine, form=form)
