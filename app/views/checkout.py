"""Becoming Premium: the offers, the checkout steps, the return from the payment page, the confirmation."""

from collections.abc import Callable

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.extensions import db, limiter
from app.forms import EmptyForm, populate_errors
from app.forms.checkout import (
    CONSENT_LABELS,
    PAYMENT_METHOD_CHOICES,
    DetailsForm,
    PaymentStepForm,
    ValidateForm,
    VisitorAccountForm,
)
from app.i18n import current_language
from app.models import Parcours
from app.models.commerce import OfferKind, OrderStatus
from app.services import DomainError
from app.services.accounts import email_verification, users
from app.services.accounts.countries import country_choices
from app.services.billing import first_payment
from app.services.catalog import browse
from app.services.commerce import checkout, order_mail, pricing, subscriptions
from app.services.payments import gateway
from app.views._limits import mail_form_limit
from app.views._render import page_or_fragment, public_url, wants_fragment, whole_page_redirect
from app.views.auth import start_session

bp = Blueprint("checkout", __name__)


@bp.context_processor
def _rules() -> dict[str, Callable[..., bool]]:
    """The checkout's rules, for its templates to call: they compare no status or offer themselves."""
    return {"is_plus": subscriptions.is_plus, "awaits_provider": checkout.awaits_provider,
            "is_paid": checkout.is_paid, "is_accepted": checkout.is_accepted}


def _requester() -> checkout.Requester:
    return checkout.Requester(ip_address=request.remote_addr or "", language=current_language())


def _offer_and_parcours(offer: str, slug: str | None):
    if offer == OfferKind.SOLO:
        return OfferKind.SOLO, None
    parcours = browse.parcours_by_slug(slug or "") or abort(404)
    return OfferKind.PLUS, parcours


@bp.route("/premium")
def offers():
    return render_template("checkout/offers.html", solo_price=pricing.solo_monthly_price(),
                           parcours=browse.all_parcours())


@bp.route("/parrainage/<code>")
def referral(code: str):
    """A subscriber's referral link: remembered for 30 days, rewarded when the visitor subscribes (art. 4)."""
    response = redirect(url_for("checkout.offers"))
    # The first referrer wins: a later link, or a page of another site that makes the browser open one, never
    # replaces the referral already remembered.
    if "parrain" not in request.cookies and users.find_by_referral_code(code) is not None:
        response.set_cookie("parrain", code.upper(), max_age=30 * 24 * 3600, httponly=True, samesite="Lax",
                            secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


# The address the visitor's link was mailed to, shown on the page after the redirect.
LINK_SENT_KEY = "checkout_link_sent_to"


@bp.route("/commande/solo", methods=["GET", "POST"], defaults={"offer": "solo", "slug": None})
@bp.route("/parcours/<slug>/demarrer", methods=["GET", "POST"], defaults={"offer": "plus"})
@limiter.limit(lambda: current_app.config["SIGNUP_RATE_LIMIT"], methods=["POST"])  # accounts are created here too
@mail_form_limit
def start(offer: str, slug: str | None):
    """Who is buying: a signed-in learner goes straight to the details; a visitor gives their details here and
    continues from a link mailed to the address, which confirms it before any payment."""
    offer_kind, parcours = _offer_and_parcours(offer, slug)
    if current_user.is_authenticated:
        return _open(offer_kind, parcours)
    form = VisitorAccountForm(country_choices=country_choices(current_language()))
    if form.validate_on_submit():
        try:
            outcome = users.sign_up(users.SignupData(
                first_name=form.first_name.data, last_name=form.last_name.data, email=form.email.data,
                password="", date_of_birth=form.date_of_birth.data, country=form.country.data,
                under_legal_protection=form.legal_protection.data == "yes", locale=current_language()),
                with_password=False)
        except DomainError as error:
            populate_errors(form, error)
        else:
            order_mail.send_way_back(outcome, offer_kind, parcours)
            db.session.commit()
            session[LINK_SENT_KEY] = outcome.user.email
            return redirect(order_mail.step_url("checkout.link_sent", offer_kind, parcours))
    return render_template("checkout/account.html", form=form, offer=offer_kind, parcours=parcours)


@bp.route("/commande/solo/message-envoye", defaults={"offer": "solo", "slug": None})
@bp.route("/parcours/<slug>/demarrer/message-envoye", defaults={"offer": "plus"})
def link_sent(offer: str, slug: str | None):
    offer_kind, parcours = _offer_and_parcours(offer, slug)
    email = session.get(LINK_SENT_KEY)
    if email is None:
        return redirect(order_mail.step_url("checkout.start", offer_kind, parcours))
    return render_template("checkout/link_sent.html", email=email, offer=offer_kind, parcours=parcours,
                           hours=current_app.config["ADDRESS_CONFIRMATION_MAX_AGE"] // 3600,
                           start_url=order_mail.step_url("checkout.start", offer_kind, parcours))


@bp.route("/commande/solo/continuer/<token>", methods=["GET", "POST"], defaults={"offer": "solo", "slug": None})
@bp.route("/parcours/<slug>/demarrer/continuer/<token>", methods=["GET", "POST"], defaults={"offer": "plus"})
def follow_link(offer: str, slug: str | None, token: str):
    """The mailed link. Opening it only shows a button: mail filters open links to scan them, and that must not
    use up a single-use link. The button signs the visitor in and opens their order, as a signed-in start does."""
    offer_kind, parcours = _offer_and_parcours(offer, slug)
    secret, max_age = current_app.config["SECRET_KEY"], current_app.config["ADDRESS_CONFIRMATION_MAX_AGE"]
    user = users.user_for_address_confirmation(token, secret, max_age)
    start_url = order_mail.step_url("checkout.start", offer_kind, parcours)
    if user is None:
        return render_template("checkout/link_invalid.html", start_url=start_url), 410
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            user = users.confirm_address(token, secret, max_age)
        except DomainError:
            db.session.rollback()
            return render_template("checkout/link_invalid.html", start_url=start_url), 410
        start_session(user)
        return _open(offer_kind, parcours)
    return render_template("checkout/follow_link.html", form=form, email=user.email, offer=offer_kind,
                           parcours=parcours)


def _guardian_page(offer: OfferKind, parcours):
    if offer == OfferKind.PLUS:
        return redirect(url_for("guardians.request_page", offer="plus", slug=parcours.slug))
    return redirect(url_for("guardians.request_page", offer="solo"))


def _eligibility_gate(offer: OfferKind, parcours: Parcours | None) -> ResponseReturnValue | None:
    """Who may order is the checkout's rule (`checkout.may_order`); this only shows its answer."""
    answer = checkout.may_order(current_user, offer, parcours)
    if answer == checkout.MayOrder.YES:
        return None
    db.session.commit()
    if answer == checkout.MayOrder.TOO_YOUNG:
        return render_template("checkout/too_young.html"), 403
    return _guardian_page(offer, parcours)


def _open(offer: OfferKind, parcours):
    if (gate := _eligibility_gate(offer, parcours)) is not None:
        return gate
    try:
        order = checkout.open_order(current_user, offer, parcours)
    except DomainError as error:
        db.session.commit()
        flash(error.errors[0][1], "alert")
        return redirect(url_for("catalog.parcours", slug=parcours.slug) if parcours else url_for("checkout.offers"))
    db.session.commit()
    return redirect(url_for("checkout.details", reference=order.reference))


def _order_or_404(reference: str):
    return checkout.order_for(current_user, reference) or abort(404)


def _editable_or_done(order):
    """An order already paid or accepted goes to its confirmation instead of its forms; a learner who needs
    a guardian's approval goes to that page, whatever step they ask for."""
    if order.status in (OrderStatus.PAID, OrderStatus.ACCEPTED):
        return redirect(url_for("checkout.confirmation", reference=order.reference))
    return _eligibility_gate(order.offer, order.parcours)


@bp.route("/commande/<reference>/coordonnees", methods=["GET", "POST"])
@login_required
def details(reference: str):
    order = _order_or_404(reference)
    if (done := _editable_or_done(order)) is not None:
        return done
    form = DetailsForm(obj=order, country_choices=country_choices(current_language()))
    if form.validate_on_submit():
        try:
            checkout.save_details(order, form.billing_details())
        except DomainError as error:
            db.session.rollback()
            populate_errors(form, error)
        else:
            db.session.commit()
            return redirect(url_for("checkout.review" if checkout.ready_for_review(order) else "checkout.payment",
                                    reference=order.reference))
    return render_template("checkout/details.html", form=form, order=order, step=1)



@bp.route("/commande/<reference>/paiement", methods=["GET", "POST"])
@login_required
def payment(reference: str) -> ResponseReturnValue:
    order = _order_or_404(reference)
    if (done := _editable_or_done(order)) is not None:
        return done
    if not order.details_done:
        return redirect(url_for("checkout.details", reference=order.reference))
    kinds = checkout.required_consents(order.offer)
    # What the learner chose for this order stays chosen (back from a refused payment, or from the review).
    given = checkout.consents_given(order)
    form = PaymentStepForm(data={"payment_method": order.payment_method,
                                 "promo_code": order.promo_code.code if order.promo_code else "",
                                 **{f"consent_{kind.value}": kind in given for kind in kinds}})
    if form.validate_on_submit():
        answers = tuple(checkout.ConsentAnswer(kind, bool(getattr(form, f"consent_{kind.value}").data),
                                               str(CONSENT_LABELS[kind])) for kind in kinds)
        referrer = users.find_by_referral_code(request.cookies.get("parrain", ""))
        try:
            checkout.save_payment_step(order, checkout.PaymentStep(form.payment_method.data, form.promo_code.data or "",
                                                                   answers), _requester(), referrer)
        except DomainError as error:
            populate_errors(form, error)
        else:
            db.session.commit()
            return redirect(url_for("checkout.review", reference=order.reference))
    refusal_kind = checkout.refusal_kind(order)
    left_the_page = checkout.left_the_payment_page(order)
    outcome = _("Paiement refusé") if refusal_kind else _("Paiement interrompu") if left_the_page else None
    return render_template("checkout/payment.html", form=form, order=order, step=2,
                           consent_fields=form.consent_fields(kinds), outcome=outcome, refusal_kind=refusal_kind)


@bp.route("/commande/<reference>/verification")
@login_required
def review(reference: str) -> ResponseReturnValue:
    order = _order_or_404(reference)
    if (done := _editable_or_done(order)) is not None:
        return done
    if not checkout.ready_for_review(order):
        return redirect(url_for("checkout.payment" if order.details_done else "checkout.details",
                                reference=order.reference))
    quote = checkout.review(order)
    form = ValidateForm(data={"reviewed_amount": quote.first_charge_cents})
    return render_template("checkout/review.html", order=order, quote=quote, form=form, step=3,
                           payment_method_label=dict(PAYMENT_METHOD_CHOICES).get(order.payment_method or "card"),
                           address_verified=email_verification.is_verified(current_user),
                           resend_form=EmptyForm(prefix="verify"))


@bp.route("/commande/<reference>/valider", methods=["POST"])
@login_required
def validate(reference: str):
    order = _order_or_404(reference)
    form = ValidateForm()
    if not form.validate_on_submit():
        return redirect(url_for("checkout.review", reference=order.reference))
    try:
        hosted = checkout.validate(order, form.reviewed_amount.data, gateway(), _requester(),
                                   return_url=public_url(url_for("checkout.payment_return", reference=order.reference)))
    except DomainError as error:
        if isinstance(error, checkout.ReviewChanged):
            db.session.commit()  # the order brought up to date (a promo code that ran out) is kept
        else:
            db.session.rollback()
        flash(error.errors[0][1], "alert")
        return redirect(url_for("checkout.review", reference=order.reference))
    db.session.commit()
    if hosted is None:
        return redirect(url_for("checkout.confirmation", reference=order.reference))
    return redirect(hosted.redirect_url)


@bp.route("/commande/<reference>/retour")
@login_required
def payment_return(reference: str) -> ResponseReturnValue:
    """Back from the payment page. The outcome is asked of the provider, never read from this URL."""
    order = _order_or_404(reference)
    first_payment.check_payment(order, gateway())
    db.session.commit()
    if order.status == OrderStatus.DRAFT:
        return redirect(url_for("checkout.payment", reference=order.reference))
    return redirect(url_for("checkout.confirmation", reference=order.reference))


@bp.route("/commande/<reference>/confirmation")
@login_required
def confirmation(reference: str) -> ResponseReturnValue:
    order = _order_or_404(reference)
    if order.status == OrderStatus.DRAFT:
        # Refused or left on the provider's page: the payment step says which, and keeps the learner's choices.
        step = "checkout.payment" if order.last_refusal else "checkout.review"
        return whole_page_redirect(url_for(step, reference=order.reference))
    first_payment.check_payment(order, gateway())  # the page polls while the provider has not answered
    db.session.commit()
    if wants_fragment() and not checkout.awaits_provider(order):
        # The provider has answered while the page was asking: the whole page changes (its heading and title say
        # the outcome), so the browser loads it again rather than swap the part that was waiting.
        response = make_response("", 200)
        response.headers["HX-Refresh"] = "true"
        return response
    return page_or_fragment("checkout/confirmation.html", "checkout/_pending.html", order=order,
                            subscription=subscriptions.for_order(order), quote=checkout.review(order))
