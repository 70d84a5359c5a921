"""Sign-up, sign-in and out, password reset and change, change of address, sign-in help."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user

from app.extensions import db, limiter, login_manager
from app.forms import EmptyForm, populate_errors
from app.forms.accounts import (
    ChangeEmailForm,
    ChangePasswordForm,
    ForgotPasswordForm,
    ResetPasswordForm,
    SignInForm,
    SignUpForm,
)
from app.i18n import current_language
from app.services import DomainError
from app.services.accounts import email_change, email_verification, users
from app.services.accounts.countries import country_choices
from app.services.learning import my_parcours
from app.services.privacy import closure
from app.views._limits import mail_form_limit
from app.views._render import prose_page, safe_next, sign_in_first
from app.web import paris_datetime

bp = Blueprint("auth", __name__)

# Where each learner lands once signed in (`my_parcours.home_of` decides).
HOME_PAGES = {my_parcours.Home.MY_PARCOURS: "my_parcours.home", my_parcours.Home.CONTINUING: "continuing.home",
              my_parcours.Home.PUBLIC: "main.home"}


@login_manager.unauthorized_handler
def unauthorized() -> ResponseReturnValue:
    flash(_("Connectez-vous pour accéder à cette page."), "info")
    return sign_in_first("auth.sign_in")


def start_session(user, remember: bool = False) -> None:
    """Renew the session at sign-in: a fresh cookie content and a new server-side session token.

    The server-side session is the sign-in (flask-login's own remember cookie is never set: nothing would read
    it). With "Rester connecté" the cookie is permanent and the session lasts SESSION_LIFETIME_SECONDS;
    without, the cookie ends with the browser and the session after SESSION_IDLE_TIMEOUT_SECONDS idle."""
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    session.permanent = remember
    session["sid"] = users.open_session(user, request.headers.get("User-Agent", ""), remember=remember)
    login_user(user)


# The address a sign-up was answered for, shown on the page after the redirect.
SIGNUP_SENT_KEY = "signup_sent_to"


@bp.route("/inscription", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SIGNUP_RATE_LIMIT"], methods=["POST"])
@mail_form_limit
def sign_up() -> ResponseReturnValue:
    form = SignUpForm(country_choices=country_choices(current_language()))
    if form.validate_on_submit():
        data = users.SignupData(
            first_name=form.first_name.data, last_name=form.last_name.data, email=form.email.data,
            password=form.password.data, date_of_birth=form.date_of_birth.data, country=form.country.data,
            under_legal_protection=form.legal_protection.data == "yes", locale=current_language(),
        )
        try:
            user = users.create_account(data)
        except DomainError as error:
            populate_errors(form, error)
        else:
            # The same answer whether or not the address had an account: only its owner learns it, by mail.
            db.session.commit()
            session[SIGNUP_SENT_KEY] = user.email
            return redirect(url_for("auth.sign_up_sent", next=safe_next(request.args.get("next"), None)))
    return render_template("auth/sign_up.html", form=form)


@bp.route("/inscription/message-envoye")
def sign_up_sent():
    email = session.get(SIGNUP_SENT_KEY)
    if email is None:
        return redirect(url_for("auth.sign_up"))
    return render_template("auth/sign_up_sent.html", email=email,
                           sign_in_url=url_for("auth.sign_in", next=safe_next(request.args.get("next"), None)))


@bp.route("/connexion", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SIGNIN_RATE_LIMIT"], methods=["POST"])
def sign_in():
    form = SignInForm()
    days = current_app.permanent_session_lifetime.days
    form.remember.description = ngettext(
        "Pendant %(num)s jour, même après avoir fermé le navigateur. Sans cette case, vous êtes déconnecté à la "
        "fermeture du navigateur ou après une période d'inactivité.",
        "Pendant %(num)s jours, même après avoir fermé le navigateur. Sans cette case, vous êtes déconnecté à la "
        "fermeture du navigateur ou après une période d'inactivité.", days)
    if form.validate_on_submit():
        user = users.authenticate(form.email.data, form.password.data)
        if user is None:
            form.form_errors.append(_("L'adresse email ou le mot de passe est incorrect."))
            form.password.errors = [_("Vérifiez votre mot de passe, ou réinitialisez-le.")]
        elif closure.is_closing(user):
            form.form_errors.append(_("Ce compte est en cours de clôture : on ne peut plus s'y connecter. Pour le "
                                      "rouvrir, suivez le lien « Annuler la clôture » de l'email de confirmation, "
                                      "jusqu'au %(date)s.", date=paris_datetime(closure.undo_until(user))))
        else:
            start_session(user, remember=form.remember.data)
            db.session.commit()
            flash(_("Vous êtes connecté."), "success")
            return redirect(safe_next(request.args.get("next"), url_for(HOME_PAGES[my_parcours.home_of(user)])))
    return render_template("auth/sign_in.html", form=form)


@bp.route("/deconnexion", methods=["POST"])
def sign_out():
    if EmptyForm().validate_on_submit():
        users.close_session(session.get("sid"))
        db.session.commit()
        logout_user()
        session.pop("sid", None)
        session.permanent = False
        flash(_("Vous êtes déconnecté."), "success")
    return redirect(url_for("main.home"))


@bp.route("/mot-de-passe-oublie", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SIGNIN_RATE_LIMIT"], methods=["POST"])
@mail_form_limit
def forgot_password() -> ResponseReturnValue:
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        users.send_password_reset(form.email.data)
        db.session.commit()
        # The same answer whether or not an account exists: nobody learns who is registered.
        return render_template("auth/forgot_password_sent.html", email=form.email.data)
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/reinitialiser-mot-de-passe/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    secret, max_age = current_app.config["SECRET_KEY"], current_app.config["PASSWORD_RESET_MAX_AGE"]
    if users.user_for_reset_token(token, secret, max_age) is None:
        return render_template("auth/reset_link_invalid.html"), 410
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            users.reset_password(token, form.password.data, secret, max_age)
        except DomainError as error:
            populate_errors(form, error)
        else:
            db.session.commit()
            flash(_("Votre mot de passe est modifié. Connectez-vous avec le nouveau."), "success")
            return redirect(url_for("auth.sign_in"))
    return render_template("auth/reset_password.html", form=form)


@bp.route("/compte/mot-de-passe", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            users.change_password(current_user, form.current_password.data, form.password.data,
                                     keep_token=session.get("sid"))
        except DomainError as error:
            populate_errors(form, error)
        else:
            db.session.commit()
            flash(_("Votre mot de passe est modifié. Vos autres appareils ont été déconnectés."), "success")
            return redirect(url_for("auth.change_password"))
    return render_template("auth/change_password.html", form=form, sessions=users.open_sessions(current_user),
                           current_token=session.get("sid"), device_name=users.device_name,
                           sign_out_form=EmptyForm(prefix="others"),
                           address_verified=email_verification.is_verified(current_user),
                           resend_form=EmptyForm(prefix="verify"))


@bp.route("/compte/confirmer-adresse/<token>", methods=["GET", "POST"])
def verify_email(token: str) -> ResponseReturnValue:
    """The welcome mail's link. Opening it only shows a button (mail filters open links to scan them)."""
    user = email_verification.pending(token)
    form = EmptyForm()
    if user is not None and form.validate_on_submit():
        email_verification.verify(token)
        db.session.commit()
        flash(_("Votre adresse email %(email)s est confirmée.", email=user.email), "success")
        return redirect(url_for("auth.change_password" if current_user.is_authenticated else "auth.sign_in"))
    return render_template("auth/verify_email.html", form=form, user=user), 200 if user is not None else 410


@bp.route("/compte/confirmer-adresse/renvoyer", methods=["POST"])
@login_required
@mail_form_limit
def resend_verification() -> ResponseReturnValue:
    if EmptyForm(prefix="verify").validate_on_submit():
        email_verification.send(current_user)
        db.session.commit()
        flash(_("Un nouveau lien de confirmation est envoyé à %(email)s.", email=current_user.email), "success")
    return redirect(safe_next(request.args.get("next"), url_for("auth.change_password")))


@bp.route("/compte/sessions/deconnecter-les-autres", methods=["POST"])
@login_required
def sign_out_other_sessions():
    if EmptyForm(prefix="others").validate_on_submit():
        count = users.close_other_sessions(current_user, session.get("sid"))
        db.session.commit()
        flash(ngettext("%(num)s autre appareil a été déconnecté.", "%(num)s autres appareils ont été déconnectés.",
                       count), "success")
    return redirect(url_for("auth.change_password"))


@bp.route("/compte/adresse-email", methods=["GET", "POST"])
@login_required
@mail_form_limit
def change_email():
    """Mes paramètres > Sécurité: a new address, confirmed from that address (see `email_change`)."""
    form = ChangeEmailForm()
    if form.validate_on_submit():
        try:
            email_change.ask(current_user, form.new_email.data, form.current_password.data)
        except DomainError as error:
            populate_errors(form, error)
        else:
            db.session.commit()
            flash(_("Nous avons envoyé un lien à %(email)s : ouvrez-le pour confirmer la nouvelle adresse. D'ici là, "
                    "votre adresse reste %(current)s.", email=users.normalise_email(form.new_email.data),
                    current=current_user.email), "success")
            return redirect(url_for("auth.change_password"))
    return render_template("auth/change_email.html", form=form)


@bp.route("/compte/adresse-email/confirmer/<token>", methods=["GET", "POST"])
def confirm_email_change(token: str):
    """Opened from the new address's mailbox, in any browser: a button, so that nothing changes on a GET (a mail
    scanner following links must not confirm)."""
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            email_change.confirm(token)
        except DomainError as error:
            populate_errors(form, error)
        else:
            db.session.commit()
            flash(_("Votre adresse email est modifiée. Votre ancienne adresse en est informée."), "success")
            return redirect(url_for("auth.change_password") if current_user.is_authenticated
                            else url_for("auth.sign_in"))
    return render_template("auth/email_change_confirm.html", form=form, found=email_change.pending(token))


@bp.route("/compte/adresse-email/annuler/<token>", methods=["GET", "POST"])
def undo_email_change(token: str):
    """Opened from the former address's mailbox: "Ce n'était pas moi"."""
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            email_change.undo(token)
        except DomainError as error:
            populate_errors(form, error)
        else:
            db.session.commit()  # its sessions are closed: this browser too is signed out
            flash(_("Votre ancienne adresse est rétablie et tous les appareils sont déconnectés. Nous vous avons "
                    "envoyé un lien pour choisir un nouveau mot de passe."), "success")
            return redirect(url_for("auth.sign_in"))
    return render_template("auth/email_change_undo.html", form=form, found=email_change.undoable(token))


@bp.route("/aide-connexion")
def signin_help():
    return prose_page(_("Aide à la connexion"), "auth/content/signin_help")
