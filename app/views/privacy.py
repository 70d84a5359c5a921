"""Mes paramètres > Mon profil and Mes données: correcting one's details (GDPR art. 16); asking for an export of
one's data and downloading it (art. 15 and 20); closing one's account, and undoing that within 30 days (art. 17)."""

from flask import Blueprint, Response, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from app.extensions import db
from app.forms import EmptyForm, populate_errors
from app.forms.accounts import CloseAccountForm, ProfileForm
from app.forms.checkout import DetailsForm
from app.i18n import current_language
from app.services import DomainError
from app.services.accounts import guardians
from app.services.accounts.countries import country_choices
from app.services.privacy import closure, exports, rectification
from app.views._limits import mail_form_limit
from app.views._render import public_url

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
                           can_ask=exports.can_ask(current_user, export))


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


@bp.route("/compte/cloture", methods=["GET", "POST"])
@login_required
def close_account() -> ResponseReturnValue:
    """What closing the account does, and the form that does it (the password, once more)."""
    form = CloseAccountForm()
    if closure.can_close(current_user) and form.validate_on_submit():
        email = current_user.email
        try:
            closure.close(current_user, form.current_password.data,
                          lambda token: public_url(url_for("privacy.reopen", token=token)))
        except DomainError as error:
            populate_errors(form, error)
        else:
            db.session.commit()
            logout_user()
            session.clear()
            flash(_("Votre compte est en cours de clôture et vous êtes déconnecté. Un email envoyé à %(email)s "
                    "le confirme, avec le lien qui l'annule pendant 30 jours.", email=email), "success")
            return redirect(url_for("main.home"))
    plan = closure.plan(current_user)
    return render_template("account/close.html", form=form, plan=plan,
                           endings=closure.Ending, can_close=closure.can_close(current_user, plan),
                           team_account=closure.is_team_account(current_user), undo_days=closure.UNDO_DAYS)


@bp.route("/compte/cloture/annuler/<token>", methods=["GET", "POST"])
def reopen(token: str) -> ResponseReturnValue:
    """The mailed link: opening it only shows a button (mail filters open links to scan them)."""
    user = closure.closing_for(token)
    if user is None:
        return render_template("account/reopen_invalid.html"), 410
    form = EmptyForm()
    if form.validate_on_submit():
        closure.reopen(token)
        db.session.commit()
        flash(_("La clôture de votre compte est annulée : connectez-vous comme avant."), "success")
        return redirect(url_for("auth.sign_in"))
    return render_template("account/reopen.html", form=form, user=user, undo_until=closure.undo_until(user))


@bp.route("/compte/parametres/profil", methods=["GET", "POST"])
@login_required
def profile() -> ResponseReturnValue:
    """Mon profil: the learner corrects their name, date of birth, country and legal protection (art. 16)."""
    choices = country_choices(current_language())
    if request.method == "GET":
        known = rectification.current(current_user)
        form = ProfileForm(country_choices=choices, data={
            "first_name": known.first_name, "last_name": known.last_name, "date_of_birth": known.date_of_birth,
            "country": known.country, "legal_protection": "yes" if known.under_legal_protection else "no"})
    else:
        form = ProfileForm(country_choices=choices)
    if form.validate_on_submit():
        try:
            changed = rectification.rectify(current_user, rectification.Identity(
                form.first_name.data, form.last_name.data, form.date_of_birth.data, form.country.data,
                form.legal_protection.data == "yes"))
        except DomainError as error:
            populate_errors(form, error)
        else:
            db.session.commit()
            flash(_("Vos informations sont corrigées. Un email vous le confirme.") if changed
                  else _("Vous n'avez rien modifié."), "success")
            needed = rectification.guardian_needed_for(current_user)
            if needed is not None:
                # The request page says why, and what happens at the next renewal without an approval.
                return redirect(guardians.request_path(*needed))
            return redirect(url_for("privacy.profile"))
    return render_template("account/profile.html", form=form)


@bp.route("/compte/parametres/facturation", methods=["GET", "POST"])
@login_required
def billing() -> ResponseReturnValue:
    """The billing details of the current subscription, for the invoices issued from now on."""
    order = rectification.billing_order(current_user)
    form = DetailsForm(obj=order, country_choices=country_choices(current_language()))
    if order is not None and form.validate_on_submit():
        try:
            rectification.rectify_billing(order, form.billing_details())
        except DomainError as error:
            db.session.rollback()
            populate_errors(form, error)
        else:
            db.session.commit()
            flash(_("Vos coordonnées de facturation sont corrigées : vos prochaines factures les porteront."),
                  "success")
            return redirect(url_for("privacy.billing"))
    return render_template("account/billing.html", form=form, order=order)
