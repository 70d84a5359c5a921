"""The payment provider's side: the webhook, and the simulated provider's hosted payment page."""

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request
from flask_babel import gettext as _

from app.extensions import csrf, db
from app.forms.payments import SimulatedCardForm, SimulatedChoiceForm
from app.services.billing import notifications
from app.services.payments import gateway
from app.services.payments.gateway import InvalidNotification, MalformedNotification
from app.services.payments.simulated import CardEntry, CardRejected, SimulatedGateway

bp = Blueprint("payments", __name__)
simulated_bp = Blueprint("simulated_payment", __name__)


@bp.route("/webhooks/paiement", methods=["POST"])
@csrf.exempt  # the provider cannot send a CSRF token; every item's HMAC signature is verified instead
def webhook():
    try:
        notifications.handle_body(request.get_data(), gateway())
    except MalformedNotification as error:
        db.session.rollback()
        current_app.logger.warning("signed payment notification refused as unusable: %s", error)
        return Response("unusable notification", status=400, mimetype="text/plain")
    except InvalidNotification:
        db.session.rollback()
        current_app.logger.warning("payment notification with an invalid signature refused")
        return Response("invalid signature", status=401, mimetype="text/plain")
    db.session.commit()
    return Response("[accepted]", mimetype="text/plain")  # what Adyen expects


def _simulated_session(session_id: str):
    provider = gateway()
    if not isinstance(provider, SimulatedGateway):
        abort(404)
    return provider, provider.session(session_id) or abort(404)


@simulated_bp.route("/paiement-simule/<session_id>", methods=["GET", "POST"])
def page(session_id: str):
    """The simulated provider's hosted page: the only place card numbers are typed (never in production)."""
    provider, session = _simulated_session(session_id)
    if session.status != "active":
        return redirect(provider._return_url(session))
    card_form, choice_form = SimulatedCardForm(prefix="card"), SimulatedChoiceForm(prefix="choice")
    if session.payment_method == "card" and card_form.validate_on_submit():
        try:
            target = provider.pay_by_card(session, CardEntry(card_form.number.data, card_form.holder.data,
                                                             card_form.expiry.data, card_form.cvc.data))
        except CardRejected:
            card_form.number.errors = [_("Ce numéro n'est pas une carte de test : utilisez 4111 1111 1111 1111.")]
        else:
            db.session.commit()
            return redirect(target)
    elif session.pays_with_paypal and choice_form.validate_on_submit() and choice_form.approve.data:
        target = provider.pay_with_paypal(session)
        db.session.commit()
        return redirect(target)
    return render_template("payments/simulated_page.html", session=session, form=card_form,
                           choice_form=choice_form)


@simulated_bp.route("/paiement-simule/<session_id>/annuler", methods=["POST"])
def cancel(session_id: str):
    provider, session = _simulated_session(session_id)
    target = provider.cancel(session)
    db.session.commit()
    return redirect(target)
