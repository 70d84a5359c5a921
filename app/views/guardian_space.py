"""The guardian's space: opened from a link in any mail the platform sent the guardian (or asked again with their
address), read only, with the exits the guardian may ask for on the learner's behalf and a new version of the
terms to approve. The link is kept in the guardian's browser session, not in the address bar, so that the pages
after it (and their Referer headers) do not carry it."""

from collections.abc import Callable

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from app.extensions import db
from app.forms import EmptyForm, populate_errors
from app.forms.guardian_space import GuardianForceMajeureForm, SpaceLinkForm, TermsApprovalForm
from app.i18n import current_language
from app.models import GuardianApproval, Subscription, TermsChangeNotice
from app.services import DomainError
from app.services.accounts import guardians
from app.services.commerce import subscriptions
from app.services.common.uploads import Upload
from app.services.exits import force_majeure, termination
from app.services.guardianship import acts, space
from app.services.legal import documents
from app.services.payments import gateway
from app.views._limits import mail_form_limit
from app.views.legal import changes_url, document_url
from app.web import euros, long_date

bp = Blueprint("guardian_space", __name__)
SESSION_KEY = "guardian_space"


def _guardian_email() -> str | None:
    token = session.get(SESSION_KEY)
    return guardians.space_email(token) if isinstance(token, str) else None


def _guardian_or_link_page() -> str:
    return _guardian_email() or abort(redirect(url_for("guardian_space.ask_link")))


@bp.route("/representant/espace/acces/<token>")
def open_link(token: str) -> ResponseReturnValue:
    if guardians.space_email(token) is None:
        return render_template("guardian_space/link_invalid.html", form=SpaceLinkForm(),
                               link_days=guardians.SPACE_LINK_DAYS), 410
    session[SESSION_KEY] = token
    return redirect(url_for("guardian_space.home"))


@bp.route("/representant/espace")
def home() -> ResponseReturnValue:
    email = _guardian_or_link_page()
    return render_template("guardian_space/home.html", email=email, wards=space.wards(email), form=EmptyForm(),
                           is_plus=subscriptions.is_plus, can_cancel=subscriptions.can_cancel,
                           can_undo_cancel=_guardian_may_undo_cancel,
                           can_terminate=termination.is_open, can_ask_force_majeure=force_majeure.can_ask,
                           document_url=document_url)


@bp.route("/representant/espace/lien", methods=["GET", "POST"])
@mail_form_limit
def ask_link() -> ResponseReturnValue:
    """A new link, mailed only to an address that answers for someone; the page says the same either way."""
    form = SpaceLinkForm()
    if form.validate_on_submit():
        if space.has_wards(form.email.data):
            guardians.send_space_link(form.email.data, current_language())
            db.session.commit()
        return render_template("guardian_space/link_sent.html", email=form.email.data,
                               link_days=guardians.SPACE_LINK_DAYS)
    return render_template("guardian_space/ask_link.html", form=form, link_days=guardians.SPACE_LINK_DAYS)


@bp.route("/representant/espace/quitter", methods=["POST"])
def leave() -> ResponseReturnValue:
    if EmptyForm().validate_on_submit():
        session.pop(SESSION_KEY, None)
    return redirect(url_for("guardian_space.ask_link"))


@bp.route("/representant/espace/factures/<number>.pdf")
def invoice_pdf(number: str) -> ResponseReturnValue:
    invoice = space.invoice_for(_guardian_or_link_page(), number)
    if invoice is None or not invoice.pdf_ready:
        abort(404)
    return Response(invoice.pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{invoice.number}.pdf"',
                             "Cache-Control": "private, no-cache"})


def _ward_or_404(subscription_id: int, allowed: Callable[[Subscription], bool]) -> tuple[GuardianApproval,
                                                                                         Subscription]:
    found = space.ward_subscription(_guardian_or_link_page(), subscription_id)
    if found is None or not allowed(found[1]):
        abort(404)
    return found


def _done(message: str) -> ResponseReturnValue:
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("guardian_space.home"))


def _refused(error: DomainError) -> ResponseReturnValue:
    db.session.rollback()
    flash(error.errors[0][1], "alert")
    return redirect(url_for("guardian_space.home"))


@bp.route("/representant/espace/abonnements/<int:subscription_id>/resilier", methods=["GET", "POST"])
def cancel(subscription_id: int) -> ResponseReturnValue:
    approval, subscription = _ward_or_404(subscription_id, subscriptions.can_cancel)
    at_once = subscriptions.ends_at_once_if_cancelled(subscription)
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            acts.cancel(approval, subscription)
        except DomainError as error:
            return _refused(error)
        learner = approval.learner.full_name
        if at_once:
            return _done(_("L'abonnement de %(learner)s est résilié et a pris fin aujourd'hui ; rien d'autre ne sera "
                           "prélevé. Nous l'en avons informé par email.", learner=learner))
        assert subscription.current_period_end is not None, "a subscription that can be cancelled is in a period"
        return _done(_("L'abonnement de %(learner)s est résilié : il prendra fin le %(date)s et aucun autre "
                       "prélèvement ne sera fait. Nous l'en avons informé par email.", learner=learner,
                       date=long_date(subscription.current_period_end)))
    return render_template("guardian_space/cancel.html", approval=approval, subscription=subscription, form=form,
                           at_once=at_once)


def _guardian_may_undo_cancel(subscription: Subscription) -> bool:
    return subscriptions.can_undo_cancel(subscription, by_guardian=True)


@bp.route("/representant/espace/abonnements/<int:subscription_id>/annuler-resiliation", methods=["GET", "POST"])
def undo_cancel(subscription_id: int) -> ResponseReturnValue:
    """The guardian undoes the cancellation they asked for, until the period ends; the page says when the
    subscription renews and for how much before they confirm."""
    approval, subscription = _ward_or_404(subscription_id, _guardian_may_undo_cancel)
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            acts.undo_cancel(approval, subscription)
        except DomainError as error:
            return _refused(error)
        return _done(_("La résiliation est annulée : l'abonnement de %(learner)s continue. Nous l'en avons informé "
                       "par email.", learner=approval.learner.full_name))
    return render_template("guardian_space/undo_cancel.html", approval=approval, subscription=subscription,
                           form=form)


@bp.route("/representant/espace/abonnements/<int:subscription_id>/resiliation-anticipee", methods=["GET", "POST"])
def early_termination(subscription_id: int) -> ResponseReturnValue:
    approval, subscription = _ward_or_404(subscription_id, termination.is_open)
    rate = current_app.config["EARLY_TERMINATION_RATE_PERCENT"]
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            figures = acts.terminate(approval, subscription, rate, gateway())
        except DomainError as error:
            return _refused(error)
        return _done(_("Le contrat Premium Plus de %(learner)s est résilié. Montant débité : %(amount)s ; "
                       "remboursé : %(refund)s. Nous l'en avons informé par email.",
                       learner=approval.learner.full_name, amount=euros(figures.remaining_due_cents),
                       refund=euros(figures.refund_cents)))
    return render_template("guardian_space/early_termination.html", approval=approval, subscription=subscription,
                           figures=termination.quote(subscription, rate), form=form)


@bp.route("/representant/espace/abonnements/<int:subscription_id>/force-majeure", methods=["GET", "POST"])
def force_majeure_request(subscription_id: int) -> ResponseReturnValue:
    approval, subscription = _ward_or_404(subscription_id, force_majeure.can_ask)
    form = GuardianForceMajeureForm()
    if form.validate_on_submit():
        upload = form.document.data
        document = Upload(upload.filename or "", upload.read()) if upload and upload.filename else None
        try:
            acts.ask_force_majeure(approval, subscription, form.reason.data, document)
        except DomainError as error:
            populate_errors(form, error)
        else:
            return _done(_("Votre demande est transmise à Student Success, qui vous répondra par email, à vous et à "
                           "%(learner)s. Rien n'est débité en attendant.", learner=approval.learner.full_name))
    return render_template("guardian_space/force_majeure.html", approval=approval, subscription=subscription,
                           form=form)


@bp.route("/representant/espace/abonnements/<int:subscription_id>/conditions/<int:notice_id>",
          methods=["GET", "POST"])
def approve_terms(subscription_id: int, notice_id: int) -> ResponseReturnValue:
    approval, subscription = _ward_or_404(subscription_id, lambda _subscription: True)
    notice = space.terms_to_approve(approval, subscription)
    if notice is None or notice.id != notice_id:
        abort(404)
    form = TermsApprovalForm()
    if form.validate_on_submit():
        try:
            acts.approve_terms(approval, notice, form.accepted.data, str(form.accepted.label.text),
                               request.remote_addr or "")
        except DomainError as error:
            populate_errors(form, error)
        else:
            return _done(_("Merci : vous avez approuvé la nouvelle version des conditions générales pour "
                           "%(learner)s.", learner=approval.learner.full_name))
    return render_template("guardian_space/terms.html", approval=approval, notice=notice, form=form,
                           changes_link=_changes_link(notice), document_url=document_url)


def _changes_link(notice: TermsChangeNotice) -> str | None:
    previous = documents.previous_version(notice.version)
    return changes_url(previous, notice.version) if previous else None
