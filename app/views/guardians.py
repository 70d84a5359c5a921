"""Guardians: the learner asks, the guardian answers from a signed single-use link, and may revoke."""

from flask import Blueprint, abort, current_app, redirect, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from app.extensions import db
from app.forms import populate_errors
from app.forms.guardians import RELATIONSHIP_LABELS, GuardianDecisionForm, GuardianRequestForm, GuardianRevokeForm
from app.models import GuardianApproval, Parcours
from app.models.commerce import OfferKind
from app.services import DomainError
from app.services.accounts import guardians
from app.services.catalog import browse
from app.services.commerce import pricing, subscriptions
from app.views._limits import mail_form_limit

bp = Blueprint("guardians", __name__)


def _offer(offer: str, slug: str | None) -> tuple[OfferKind, Parcours | None]:
    if offer == OfferKind.SOLO:
        return OfferKind.SOLO, None
    return OfferKind.PLUS, browse.parcours_by_slug(slug or "") or abort(404)


def _secret() -> str:
    return current_app.config["SECRET_KEY"]


@bp.route("/accord-representant/solo", methods=["GET", "POST"], defaults={"offer": "solo", "slug": None})
@bp.route("/accord-representant/plus/<slug>", methods=["GET", "POST"], defaults={"offer": "plus"})
@login_required
@mail_form_limit
def request_page(offer: str, slug: str | None) -> ResponseReturnValue:
    offer_kind, parcours = _offer(offer, slug)
    if not guardians.may_request(current_user, offer_kind, parcours):
        return redirect(guardians.checkout_path(offer_kind, parcours))  # nothing to ask: the checkout goes on
    form = GuardianRequestForm()
    if form.validate_on_submit():
        try:
            guardians.request_approval(current_user, offer_kind, parcours, guardians.GuardianRequest(
                form.guardian_name.data, form.guardian_email.data, form.relationship.data))
        except DomainError as error:
            populate_errors(form, error)
        else:
            db.session.commit()
            return redirect(request.path)
    current = subscriptions.current_subscription(current_user.id, offer_kind)
    return render_template("guardians/request.html", form=form, offer=offer_kind, parcours=parcours,
                           approval=guardians.latest(current_user, offer_kind, parcours),
                           relationships=RELATIONSHIP_LABELS,
                           renews_on=(current.current_period_end
                                      if current and subscriptions.renewal_waits_for_guardian(current) else None))


def _price(approval: GuardianApproval) -> int:
    return pricing.current_monthly_price(approval.offer, approval.parcours)


@bp.route("/representant/<token>", methods=["GET", "POST"])
def answer(token: str) -> ResponseReturnValue:
    approval = guardians.approval_for_token(token, _secret())
    if approval is None:
        return render_template("guardians/link_invalid.html"), 410
    form = GuardianDecisionForm()
    if form.validate_on_submit():
        approve = bool(form.approve.data)
        try:
            guardians.decide(approval, approve, form.terms_accepted.data, str(form.terms_accepted.label.text),
                             request.remote_addr or "")
        except DomainError as error:
            populate_errors(form, error)
        else:
            db.session.commit()
            return render_template("guardians/answered.html", approval=approval)
    return render_template("guardians/answer.html", form=form, approval=approval, price=_price(approval))


@bp.route("/representant/<token>/retirer", methods=["GET", "POST"])
def revoke(token: str) -> ResponseReturnValue:
    approval = guardians.approval_for_token(token, _secret())
    if approval is None:
        return render_template("guardians/link_invalid.html"), 410
    form = GuardianRevokeForm()
    if form.validate_on_submit():
        try:
            guardians.revoke(approval)
        except DomainError as error:
            populate_errors(form, error)
        else:
            db.session.commit()
            return render_template("guardians/answered.html", approval=approval)
    return render_template("guardians/revoke.html", form=form, approval=approval,
                           can_revoke=guardians.can_revoke(approval))
