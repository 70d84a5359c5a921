"""Mes paramètres: the Premium tab (subscription, invoices, transactions, cancellation)."""

from collections.abc import Callable

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.extensions import db
from app.forms import EmptyForm, populate_errors
from app.forms.force_majeure import ForceMajeureForm
from app.forms.parcours_change import ParcoursChangeForm
from app.forms.payment_method import PaymentMethodForm
from app.forms.support import MentorChangeForm
from app.i18n import current_language
from app.models import Subscription
from app.models.commerce import SubscriptionStatus
from app.models.payment import MethodUpdateStatus
from app.models.support import ContactQuestion
from app.services import DomainError
from app.services.accounts import guardians
from app.services.billing import referrals, renewals, summary
from app.services.commerce import contracts, mentors, parcours_changes, payment_methods, subscriptions, terms_changes
from app.services.common.uploads import Upload
from app.services.exits import departures, force_majeure, termination, withdrawal
from app.services.exits.kinds import ExitKind
from app.services.legal import documents, ledger
from app.services.payments import gateway
from app.services.payments.gateway import HostedPayment, PaymentMethod
from app.services.support import requests
from app.views._limits import mail_form_limit
from app.views._render import page_or_fragment, public_url
from app.views.legal import changes_url, document_url
from app.web import euros, long_date

bp = Blueprint("account", __name__)


@bp.route("/compte/parametres")
@login_required
def settings():
    return redirect(url_for("account.premium"))


@bp.route("/compte/parametres/premium")
@login_required
def premium() -> ResponseReturnValue:
    overview = summary.premium_overview(current_user)
    subscription = overview.subscription
    mentor = mentors.current(subscription) if subscription and mentors.needs_mentor(subscription) else None
    replaceable = subscription is not None and payment_methods.can_replace(subscription)
    exits = (departures.today(subscription, current_app.config["EARLY_TERMINATION_RATE_PERCENT"],
                              overview.transactions) if subscription else None)
    # The rules are the services' predicates, called by the template for the subscription it shows.
    return render_template("account/premium.html", overview=overview, mentor=mentor,
                           needs_mentor=mentors.needs_mentor, exits=exits, exit_kinds=ExitKind,
                           withdrawal=exits.withdrawal if exits else None,
                           form=EmptyForm(),
                           guardian_request_url=(guardians.request_path(subscription.offer, subscription.parcours)
                                                 if subscription and subscriptions.renewal_waits_for_guardian(
                                                     subscription) else None),
                           method_form=PaymentMethodForm() if replaceable else None,
                           is_plus=subscriptions.is_plus, is_cancelled=subscriptions.is_cancelled,
                           renews=subscriptions.renews, can_cancel=subscriptions.can_cancel,
                           can_undo_cancel=subscriptions.can_undo_cancel,
                           guardian_act=subscriptions.guardian_cancellation(subscription) if subscription else None,
                           can_change_parcours=parcours_changes.can_ask,
                           can_give_up=contracts.can_give_up, can_sign=contracts.can_sign,
                           paid_by_referral_credit=referrals.paid_by_credit)


@bp.route("/compte/parametres/parrainage")
@login_required
def referral() -> ResponseReturnValue:
    """The learner's referral link, and the rewards it earned and their use."""
    code = current_user.referral_code
    link = public_url(url_for("checkout.referral", code=code)) if code else None
    return render_template("account/referral.html", link=link, figures=referrals.statement(current_user.id),
                           reward_cents=current_app.config["REFERRAL_REWARD_CENTS"])


@bp.route("/compte/parametres/consentements")
@login_required
def consents() -> ResponseReturnValue:
    """"Ce que j'ai accepté": each consent with the document as it was accepted."""
    return render_template("account/consents.html", entries=ledger.ledger(current_user), document_url=document_url,
                           changes_url=changes_url)


@bp.route("/compte/parametres/premium/retractation", methods=["GET", "POST"])
@login_required
def withdraw():
    subscription = _current_subscription_if(lambda s: withdrawal.state(s).possible)
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            refunded = withdrawal.withdraw(subscription, gateway())
        except DomainError as error:
            db.session.rollback()
            flash(error.errors[0][1], "alert")
        else:
            db.session.commit()
            flash(_("Vous vous êtes rétracté : votre abonnement est terminé et %(amount)s vous seront remboursés "
                    "sur votre moyen de paiement.", amount=euros(refunded)), "success")
        return redirect(url_for("account.premium"))
    return render_template("account/withdraw.html", subscription=subscription,
                           state=withdrawal.state(subscription), form=form)


def _current_subscription_if(allowed: Callable[[Subscription], bool]) -> Subscription:
    """The learner's current subscription when `allowed(subscription)`; otherwise the page is not found."""
    subscription = subscriptions.current_subscription(current_user.id)
    if subscription is None or not allowed(subscription):
        abort(404)
    return subscription


@bp.route("/compte/parametres/premium/resilier", methods=["GET", "POST"])
@login_required
def cancel() -> ResponseReturnValue:
    """A confirmation page without JavaScript; the same content in a dialog with it (HTMX fragment)."""
    subscription = _current_subscription_if(subscriptions.can_cancel)
    at_once = subscriptions.ends_at_once_if_cancelled(subscription)
    form = EmptyForm()
    if form.validate_on_submit():
        subscriptions.cancel(subscription)
        db.session.commit()
        assert subscription.current_period_end is not None, "a subscription that can be cancelled is in a period"
        if at_once:
            flash(_("Votre abonnement est résilié et a pris fin aujourd'hui : le mois impayé ne vous sera pas "
                    "prélevé, ni rien d'autre."), "success")
        else:
            flash(_("Votre abonnement est résilié. Il prendra fin le %(date)s ; aucun autre prélèvement ne sera "
                    "fait.", date=long_date(subscription.current_period_end)), "success")
        return redirect(url_for("account.premium"))
    return page_or_fragment("account/cancel.html", "account/_cancel_dialog.html", subscription=subscription,
                            form=form, at_once=at_once)


@bp.route("/compte/parametres/premium/annuler-resiliation", methods=["POST"])
@login_required
def undo_cancel() -> ResponseReturnValue:
    subscription = _current_subscription_if(subscriptions.can_undo_cancel)
    if not EmptyForm().validate():
        abort(404)
    try:
        subscriptions.undo_cancel(subscription)
    except subscriptions.IllegalTransition:
        abort(404)
    terms_changes.reopen_after_undo(subscription)
    db.session.commit()
    flash(_("La résiliation est annulée : votre abonnement continue."), "success")
    return redirect(url_for("account.premium"))


@bp.route("/compte/parametres/premium/resiliation-anticipee", methods=["GET", "POST"])
@login_required
def early_termination():
    """Premium Plus, first three months: the indemnity line by line, then ending at once (L444-8)."""
    subscription = _current_subscription_if(termination.is_open)
    rate = current_app.config["EARLY_TERMINATION_RATE_PERCENT"]
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            figures = termination.terminate(subscription, rate, gateway())
        except DomainError as error:
            db.session.rollback()
            flash(error.errors[0][1], "alert")
            return redirect(url_for("account.early_termination"))
        db.session.commit()
        flash(_("Votre contrat Premium Plus est résilié. Montant débité : %(amount)s.",
                amount=euros(figures.remaining_due_cents)), "success")
        return redirect(url_for("account.premium"))
    return render_template("account/early_termination.html", subscription=subscription,
                           figures=termination.quote(subscription, rate), form=form)


@bp.route("/compte/parametres/premium/regler", methods=["POST"])
@login_required
def settle():
    """"Régler": pay the overdue period now on the provider's page, with a new payment method if need be
    (refused with its reason once the subscription has ended)."""
    subscription = subscriptions.latest_for_user(current_user.id) or abort(404)
    if not EmptyForm().validate_on_submit():
        abort(404)
    return _to_provider(lambda: renewals.start_settlement(
        subscription, gateway(), public_url(url_for("account.settle_return")), current_language()))


def _to_provider(open_page: Callable[[], HostedPayment]):
    """Open the provider's page and send the learner there; a refusal is shown on the Premium tab."""
    try:
        hosted = open_page()
    except DomainError as error:
        db.session.rollback()
        flash(error.errors[0][1], "alert")
        return redirect(url_for("account.premium"))
    db.session.commit()
    return redirect(hosted.redirect_url)


@bp.route("/compte/parametres/premium/regler/retour")
@login_required
def settle_return():
    """Back from the provider's page: the outcome is asked of the provider, never read from this URL."""
    subscription = subscriptions.current_subscription(current_user.id)
    if subscription is not None:
        renewals.check_settlement(subscription, gateway())
        db.session.commit()
        if subscription.status == SubscriptionStatus.ACTIVE:
            flash(_("Merci, votre paiement est reçu : votre accès est rétabli."), "success")
    return redirect(url_for("account.premium"))


@bp.route("/compte/parametres/premium/moyen-de-paiement", methods=["POST"])
@login_required
def replace_payment_method():
    """Replace the method renewals charge, on the provider's page (nothing is charged there)."""
    subscription = _current_subscription_if(payment_methods.can_replace)
    form = PaymentMethodForm()
    if not form.validate_on_submit():
        abort(404)
    return _to_provider(lambda: payment_methods.start(
        subscription, PaymentMethod(form.method.data), gateway(),
        public_url(url_for("account.payment_method_return")), current_language()))


@bp.route("/compte/parametres/premium/moyen-de-paiement/retour")
@login_required
def payment_method_return():
    """Back from the provider's page: the outcome is asked of the provider, never read from this URL."""
    subscription = subscriptions.current_subscription(current_user.id)
    if subscription is None:
        return redirect(url_for("account.premium"))
    update = payment_methods.check_latest(subscription, gateway())
    db.session.commit()
    if update is not None and update.status == MethodUpdateStatus.STORED:
        flash(_("Votre nouveau moyen de paiement est enregistré : les prochains renouvellements seront prélevés "
                "sur %(method)s.", method=update.method_label or subscription.method_label), "success")
    elif update is not None and update.status == MethodUpdateStatus.FAILED:
        flash(_("Le nouveau moyen de paiement n'a pas été enregistré ; les renouvellements restent prélevés sur "
                "%(method)s.", method=subscription.method_label), "alert")
    elif update is not None:
        flash(_("Le prestataire n'a pas encore confirmé le nouveau moyen de paiement ; cette page l'affichera dès "
                "sa confirmation."), "info")
    return redirect(url_for("account.premium"))


@bp.route("/compte/parametres/premium/force-majeure", methods=["GET", "POST"])
@login_required
def force_majeure_request():
    """Premium Plus: ask Student Success to end the contract for force majeure, without indemnity."""
    subscription = _current_subscription_if(force_majeure.can_ask)
    form = ForceMajeureForm()
    if form.validate_on_submit():
        upload = form.document.data
        document = (Upload(upload.filename or "", upload.read())
                    if upload and upload.filename else None)
        try:
            force_majeure.submit(subscription, form.reason.data, document)
        except DomainError as error:
            populate_errors(form, error)
        else:
            db.session.commit()
            flash(_("Votre demande est transmise à Student Success, qui vous répondra par email. Rien n'est "
                    "débité en attendant."), "success")
            return redirect(url_for("account.premium"))
    return render_template("account/force_majeure.html", form=form)


@bp.route("/compte/parametres/premium/changer-de-parcours", methods=["GET", "POST"])
@login_required
def change_parcours():
    """Premium Plus: ask Student Success to change Parcours (art. 2.2 c)."""
    subscription = _current_subscription_if(parcours_changes.can_ask)
    targets = {str(parcours.id): parcours for parcours in parcours_changes.targets(subscription)}
    form = ParcoursChangeForm(target_choices=[(key, parcours.t("title")) for key, parcours in targets.items()])
    in_progress = parcours_changes.open_request(subscription)
    if in_progress is None and form.validate_on_submit():
        try:
            parcours_changes.ask(subscription, targets.get(form.target.data), form.reason.data)
        except DomainError as error:
            populate_errors(form, error)
        else:
            db.session.commit()
            flash(_("Votre demande de changement de Parcours est transmise à Student Success, qui vous répondra "
                    "par écrit."), "success")
            return redirect(url_for("account.premium"))
    return render_template("account/change_parcours.html", form=form, subscription=subscription,
                           in_progress=in_progress)


@bp.route("/compte/parametres/premium/changer-de-mentor", methods=["GET", "POST"])
@login_required
@mail_form_limit
def change_mentor() -> ResponseReturnValue:
    """Premium Plus: ask Student Success for another mentor, in writing; followed in Mes demandes."""
    subscription = _current_subscription_if(mentors.needs_mentor)
    mentor = mentors.current(subscription) or abort(404)
    in_progress = requests.open_mentor_change(current_user)
    form = MentorChangeForm()
    if in_progress is None and form.validate_on_submit():
        try:
            requests.submit_contact_request(requests.ContactData(
                name=current_user.full_name, email=current_user.email, question=ContactQuestion.MENTOR_CHANGE,
                message=form.message.data, parcours_id=subscription.parcours_id, user_id=current_user.id,
                language=current_language()))
        except DomainError as error:
            populate_errors(form, error)
        else:
            db.session.commit()
            flash(_("Votre demande de changement de mentor est transmise à Student Success, qui vous répondra par "
                    "email. Vous la suivez ici."), "success")
            return redirect(url_for("support.my_requests"))
    return render_template("account/change_mentor.html", form=form, mentor=mentor, in_progress=in_progress)


# --- A material change of the terms: accept it, or terminate to refuse it (art. 1) ----------------------

def _notice_or_404(notice_id: int):
    return terms_changes.notice_of(current_user, notice_id) or abort(404)


@bp.route("/compte/conditions-generales/<int:notice_id>")
@login_required
def terms_change(notice_id: int):
    notice = _notice_or_404(notice_id)
    previous = documents.previous_version(notice.version)
    subscription = db.session.get_one(Subscription, notice.subscription_id)
    return render_template("account/terms_change.html", notice=notice, can_refuse=terms_changes.can_refuse(notice),
                           subscription=subscription, form=EmptyForm(),
                           ends_at_once=subscriptions.ends_at_once_if_cancelled(subscription),
                           changes_link=changes_url(previous, notice.version) if previous else None)


@bp.route("/compte/conditions-generales/<int:notice_id>/accepter", methods=["POST"])
@login_required
def accept_terms_change(notice_id: int):
    notice = _notice_or_404(notice_id)
    if not EmptyForm().validate_on_submit():
        abort(404)
    terms_changes.accept(notice, request.remote_addr or "")
    db.session.commit()
    flash(_("Merci : vous avez accepté les nouvelles conditions générales."), "success")
    return redirect(url_for("account.premium"))


@bp.route("/compte/conditions-generales/<int:notice_id>/refuser", methods=["POST"])
@login_required
def refuse_terms_change(notice_id: int) -> ResponseReturnValue:
    notice = _notice_or_404(notice_id)
    if not EmptyForm().validate_on_submit():
        abort(404)
    try:
        subscription = terms_changes.refuse(notice, request.remote_addr or "")
    except DomainError as error:
        db.session.rollback()
        flash(error.errors[0][1], "alert")
        return redirect(url_for("account.terms_change", notice_id=notice_id))
    db.session.commit()
    if subscriptions.is_cancelled(subscription):
        assert subscription.current_period_end is not None, "a cancelled subscription ends with its period"
        flash(_("Vous avez refusé les nouvelles conditions : votre abonnement prend fin le %(date)s, sans frais, "
                "et rien ne sera plus prélevé.", date=long_date(subscription.current_period_end)),
              "success")
    else:
        flash(_("Vous avez refusé les nouvelles conditions : votre abonnement a pris fin, sans frais."), "success")
    return redirect(url_for("account.premium"))
