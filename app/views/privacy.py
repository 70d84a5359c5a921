"""Mes paramètres > Mes données: asking for an export of one's data, and downloading it (GDPR art. 15 and 20)."""

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.extensions import db
from app.forms import EmptyForm, populate_errors
from app.services import DomainError
from app.services.privacy import exports
from app.views._limits import mail_form_limit

bp = Blueprint("privacy", __name__)


@bp.route("/compte/parametres/donnees", methods=["GET", "POST"])
@login_required
@mail_form_limit
def my_data() -> ResponseReturnValue:
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            exports.ask(current_user)
        except DomainError as error:
            populate_errors(form, error)
        else:
            db.session.commit()
            flash(_("Nous préparons vos données. Un email vous sera envoyé à %(email)s dès qu'elles seront prêtes, "
                    "en général en moins d'une minute.", email=current_user.email), "success")
            return redirect(url_for("privacy.my_data"))
    export = exports.latest(current_user)
    return render_template("account/data.html", form=form, export=export,
                           state=exports.state(export) if export else None, states=exports.ExportState,
                           expires_at=exports.expires_at(export) if export else None,
                           can_ask=exports.can_ask(current_user))


@bp.route("/compte/parametres/donnees/export/<public_id>")
@login_required
def download(public_id: str) -> ResponseReturnValue:
    """The archive, once, for the account it was made for; afterwards the page says why it is gone."""
    export = exports.downloadable(current_user, public_id)
    content = exports.take(export) if export is not None else None
    if export is None or content is None:
        return render_template("account/data_gone.html"), 410
    db.session.commit()
    name = f"donnees-{export.requested_at.date().isoformat()}.zip"
    return Response(content, mimetype="application/zip", headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})
