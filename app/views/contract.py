"""Premium Plus: the contract page, its signature after the reflection period, or giving up."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.extensions import db
from app.forms import EmptyForm
from app.i18n import current_language
from app.services import DomainError
from app.services.commerce import contract_pdf, contracts, subscriptions
from app.services.common import markdown
from app.services.legal import documents
from app.services.payments import gateway
from app.views._render import public_url

bp = Blueprint("contract", __name__)


def _subscription_or_404(subscription_id: int):
    return contracts.for_learner(current_user.id, subscription_id) or abort(404)


@bp.route("/abonnements/<int:subscription_id>/contrat")
@login_required
def sign(subscription_id: int) -> ResponseReturnValue:
    subscription = _subscription_or_404(subscription_id)
    terms = documents.version_in_force() or abort(404)
    return render_template("checkout/contract.html", subscription=subscription, form=EmptyForm(),
                           can_sign=contracts.can_sign(subscription), can_give_up=contracts.can_give_up(subscription),
                           abandoned=subscriptions.is_abandoned(subscription),
                           contract_price=contracts.contract_price_cents(subscription),
                           advance_cap=contracts.advance_cap_cents(subscription),
                           terms_html=markdown.to_html(documents.body_without_title(terms.t("body"))))


@bp.route("/abonnements/<int:subscription_id>/contrat.pdf")
@login_required
def contract_pdf_download(subscription_id: int) -> ResponseReturnValue:
    """The signed contract as it was rendered after the signature (a few seconds after it, it may still be on
    its way: the page says so)."""
    subscription = _subscription_or_404(subscription_id)
    if subscription.signed_at is None:
        abort(404)
    stored = contract_pdf.stored(subscription.id)
    if stored is None:
        return render_template("checkout/contract_pdf_preparing.html", subscription=subscription), 202
    return Response(stored.content, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{contract_pdf.file_name(subscription)}"',
        "Cache-Control": "private, max-age=3600"})


@bp.route("/abonnements/<int:subscription_id>/signer", methods=["POST"])
@login_required
def sign_post(subscription_id: int):
    subscription = _subscription_or_404(subscription_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    return_url = public_url(url_for("checkout.payment_return", reference=subscription.order.reference))
    try:
        hosted = contracts.sign(subscription, gateway(), return_url, current_language())
    except DomainError as error:
        db.session.rollback()
        flash(error.errors[0][1], "alert")
        return redirect(url_for("contract.sign", subscription_id=subscription.id))
    db.session.commit()
    return redirect(hosted.redirect_url)


@bp.route("/abonnements/<int:subscription_id>/renoncer", methods=["POST"])
@login_required
def give_up(subscription_id: int):
    subscription = _subscription_or_404(subscription_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        contracts.give_up(subscription)
    except DomainError as error:
        flash(error.errors[0][1], "alert")
    else:
        db.session.commit()
        flash(_("Vous avez renoncé à ce Parcours. Rien ne vous a été débité."), "success")
    return redirect(url_for("contract.sign", subscription_id=subscription.id))
