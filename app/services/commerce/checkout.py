"""The checkout: details, payment method and consents, review, "Valider", and a refused payment's way back to
the payment step (the first payment itself is billing's: billing.first_payment).

Nothing is charged before "Valider"; what is charged is exactly what the review showed (stored on the
order); a double click, a reload or a replayed request reuses the order's idempotency key and the open
payment session, so the learner is never charged twice.
"""

import enum
import re
import secrets
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.models import Consent, Order, Parcours, PaymentTransaction, User
from app.models.commerce import ConsentKind, OfferKind, OrderStatus
from app.models.payment import TransactionKind
from app.services import DomainError
from app.services.accounts import email_verification, guardians, users
from app.services.accounts.countries import is_known_country
from app.services.commerce import parcours_changes, pricing, subscriptions
from app.services.common import clock
from app.services.legal import documents
from app.services.payments import references, refusals
from app.services.payments.gateway import (
    CheckoutRequest,
    HostedPayment,
    PaymentError,
    PaymentGateway,
    PaymentMethod,
    ProviderUnavailable,
    shopper_locale,
)

# What `Order.last_refusal` holds when the learner left the provider's page (otherwise the bank's reason).
LEFT_THE_PAGE = "cancelled"


@dataclass(frozen=True)
class BillingDetails:
    name: str
    address: str
    postal_code: str
    city: str
    country: str
    company: str = ""  # optional: a learner whose employer pays
    vat_number: str = ""


VAT_NUMBER = re.compile(r"[A-Z]{2}[0-9A-Z]{2,13}")


def normalised_vat_number(raw: str) -> str:
    """"fr 12 345678901" -> "FR12345678901": spaces, dots and dashes left out, capitals."""
    return re.sub(r"[\s.\-]", "", raw).upper()


def billing_problems(details: BillingDetails) -> list[tuple[str | None, str]]:
    """What is wrong with billing details beyond what a form checks (at checkout and when corrected later)."""
    problems: list[tuple[str | None, str]] = []
    vat = normalised_vat_number(details.vat_number)
    if vat and not VAT_NUMBER.fullmatch(vat):
        problems.append(("billing_vat_number", str(_l("Indiquez un numéro de TVA intracommunautaire : deux lettres "
                                                      "du pays puis 2 à 13 chiffres ou lettres, par exemple "
                                                      "FR12345678901."))))
    if vat and not details.company.strip():
        problems.append(("billing_company", str(_l("Indiquez le nom de l'entreprise qui a ce numéro de TVA."))))
    if not is_known_country(details.country):
        problems.append(("billing_country", str(_l("Choisissez un pays dans la liste."))))
    return problems


def apply_billing_details(order: Order, details: BillingDetails) -> None:
    """Write the details on the order, from which the invoices are issued (those already issued keep theirs)."""
    problems = billing_problems(details)
    if problems:
        raise DomainError(problems)
    order.billing_name = details.name.strip()
    order.billing_address = details.address.strip()
    order.billing_postal_code = details.postal_code.strip()
    order.billing_city = details.city.strip()
    order.billing_country = details.country
    order.billing_company = " ".join(details.company.split())
    order.billing_vat_number = normalised_vat_number(details.vat_number)


@dataclass(frozen=True)
class ConsentAnswer:
    kind: ConsentKind
    given: bool
    wording: str  # the label shown, recorded as the person read it


@dataclass(frozen=True)
class PaymentStep:
    payment_method: str
    promo_code: str
    consents: tuple[ConsentAnswer, ...]


@dataclass(frozen=True)
class Requester:
    """Who acts, and from where (consents record the IP address)."""

    ip_address: str
    language: str


def required_consents(offer: OfferKind) -> tuple[ConsentKind, ...]:
    if offer == OfferKind.PLUS:
        return ConsentKind.TERMS, ConsentKind.STUDENT_RULES, ConsentKind.PAYMENT_HOLDER
    return ConsentKind.TERMS, ConsentKind.IMMEDIATE_ACCESS, ConsentKind.PAYMENT_HOLDER


def open_order(user: User, offer: OfferKind, parcours: Parcours | None) -> Order:
    """The learner's unfinished order for this offer, or a new one (a checkout can be resumed any time)."""
    if offer == OfferKind.PLUS and (parcours is None or not parcours.is_open):
        raise DomainError([(None, str(_l("Ce Parcours n'est pas encore ouvert : l'inscription n'est pas possible.")))])
    if (subscriptions.current_subscription(user.id, offer) is not None
            and parcours_changes.approved_for(user, parcours) is None):
        raise DomainError([(None, str(_l("Vous avez déjà un abonnement en cours pour cette offre.")))])
    existing: Order | None = db.session.scalar(select(Order).where(
        Order.user_id == user.id, Order.offer == offer, Order.status.in_([OrderStatus.DRAFT, OrderStatus.PAYING]),
        Order.parcours_id == (parcours.id if parcours else None)).order_by(Order.id.desc()).limit(1))
    if existing is not None:
        return existing
    # The reference is made of the order's id: a unique placeholder until the insert gives it (never sent to the
    # provider).
    order = Order(user=user, offer=offer, parcours=parcours, idempotency_key=secrets.token_hex(16),
                  reference=f"TMP-{secrets.token_hex(8)}", created_at=clock.now(),
                  billing_name=user.full_name, billing_country=user.country)
    db.session.add(order)
    db.session.flush()
    order.reference = references.make(references.Kind.ORDER, order.created_at.year, order.id)
    db.session.flush()
    return order


def order_for(user: User, reference: str) -> Order | None:
    """An order of this learner only (anyone else's reference is as good as unknown)."""
    return db.session.scalar(select(Order).where(Order.reference == reference, Order.user_id == user.id))


def _editable(order: Order) -> None:
    if order.status not in (OrderStatus.DRAFT, OrderStatus.PAYING):
        raise DomainError([(None, str(_l("Cette commande est déjà validée.")))])


def save_details(order: Order, details: BillingDetails) -> None:
    _editable(order)
    apply_billing_details(order, details)
    order.details_done = True
    _back_to_draft(order)
    db.session.flush()


def _back_to_draft(order: Order) -> None:
    """Changing anything after "Valider" closes the open payment attempt: the next one gets a new key.
    A Plus order paying at signature goes back to its accepted contract, still to be signed."""
    if order.status == OrderStatus.PAYING:
        subscription = subscriptions.for_order(order)
        if subscription is not None and subscription.status == subscriptions.S.AWAITING_PAYMENT:
            subscriptions.transition(subscription, subscriptions.S.REFLECTION)
            subscription.signed_at = None
            order.status = OrderStatus.ACCEPTED
        else:
            order.status = OrderStatus.DRAFT
        order.payment_attempt += 1
        order.payment_session_id = None
        order.payment_redirect_url = None


# The consents that accept a published document, and which one; the others (immediate access, payment holder)
# are declarations whose wording is recorded.
_CONSENTED_DOCUMENT = {ConsentKind.TERMS: documents.TERMS, ConsentKind.STUDENT_RULES: documents.RULES}


def save_payment_step(order: Order, step: PaymentStep, requester: Requester, referrer: User | None = None) -> None:
    """Payment method, promo code and consents; fixes the prices the review will show."""
    _editable(order)
    errors: list[tuple[str | None, str]] = []
    given = {answer.kind: answer for answer in step.consents if answer.given}
    for kind in required_consents(order.offer):
        if kind not in given:
            errors.append((f"consent_{kind.value}", str(_CONSENT_MISSING[kind])))
    if step.payment_method not in {method.value for method in PaymentMethod}:
        errors.append(("payment_method", str(_l("Choisissez une carte bancaire ou PayPal."))))
    promo = None
    if step.promo_code.strip():
        try:
            promo = pricing.find_promo_code(step.promo_code, order.offer, clock.today_in_paris())
        except DomainError as error:
            errors += error.errors
    if errors:
        raise DomainError(errors)
    for kind in required_consents(order.offer):
        answer = given[kind]
        document = _CONSENTED_DOCUMENT.get(kind)
        version = documents.version_to_accept(document) if document else None
        db.session.add(Consent(kind=kind, user_id=order.user_id, order_id=order.id,
                               document_version_id=version.id if version else None, wording=answer.wording,
                               given_by=order.user.email, ip_address=requester.ip_address, given_at=clock.now()))
    order.payment_method = step.payment_method
    order.promo_code = promo
    if referrer is not None and referrer.id != order.user_id:
        order.referrer_id = referrer.id
    _fix_prices(order)
    order.payment_done = True
    _back_to_draft(order)
    db.session.flush()


def consents_given(order: Order) -> set[ConsentKind]:
    """The consents this order's learner already gave for it, which the payment step shows ticked again: a box
    they ticked stays ticked after a refused payment. A consent to a document counts only for the version now
    in force: a new version of the terms is accepted anew."""
    rows = db.session.scalars(select(Consent).where(Consent.order_id == order.id, Consent.user_id == order.user_id))
    given = set()
    for consent in rows:
        document = _CONSENTED_DOCUMENT.get(consent.kind)
        in_force = documents.version_in_force(document) if document else None
        if document is None or (in_force is not None and consent.document_version_id == in_force.id):
            given.add(consent.kind)
    return given


_CONSENT_MISSING = {
    ConsentKind.TERMS: _l("Cochez la case pour accepter les conditions générales de services."),
    ConsentKind.STUDENT_RULES: _l("Cochez la case pour accepter le Règlement Intérieur Étudiant."),
    ConsentKind.IMMEDIATE_ACCESS: _l("Cochez la case pour demander l'accès immédiat aux contenus Premium."),
    ConsentKind.PAYMENT_HOLDER: _l("Cochez la case pour déclarer que vous êtes titulaire du moyen de paiement "
                                   "ou que vous avez l'accord écrit de son titulaire."),
}


def review(order: Order) -> pricing.Quote:
    return pricing.Quote(order.monthly_price_cents, order.discount_cents, order.discounted_months)


def ready_for_review(order: Order) -> bool:
    return order.details_done and order.payment_done


class ReviewChanged(DomainError):
    """What the review showed no longer holds and the order was brought up to date: the learner checks the
    review again (the view keeps the change)."""


def _check_promo_still_available(order: Order) -> None:
    """A code with a usage limit may have run out since the review: it is taken off the order, the prices are
    computed again, and the learner sees the review again; never charged another amount than reviewed."""
    if order.promo_code is None or pricing.promo_available(order.promo_code, order):
        return
    code = order.promo_code.code
    order.promo_code = None
    _fix_prices(order)
    db.session.flush()
    raise ReviewChanged([(None, str(_l("Le code promo %(code)s vient d'être utilisé autant de fois que prévu : il "
                                       "a été retiré de votre commande. Vérifiez le nouveau montant avant de "
                                       "valider.", code=code)))])


def _fix_prices(order: Order) -> None:
    quote = pricing.quote(pricing.current_monthly_price(order.offer, order.parcours), order.promo_code)
    order.monthly_price_cents = quote.monthly_price_cents
    order.discount_cents = quote.discount_cents
    order.discounted_months = quote.discounted_months


class MayOrder(enum.Enum):
    YES = "yes"
    TOO_YOUNG = "too_young"  # under 16
    GUARDIAN_FIRST = "guardian_first"  # 16 to majority, or under protection, and no guardian approved yet


def may_order(user: User, offer: OfferKind, parcours: Parcours | None) -> MayOrder:
    """Under 16: no. From 16 to majority, or under protection: only once a guardian approved (CGS-1-04).
    Asked by every step of the checkout, and again by "Valider"."""
    eligibility = users.subscription_eligibility(user, clock.today_in_paris())
    if eligibility == users.Eligibility.REFUSED:
        return MayOrder.TOO_YOUNG
    if eligibility == users.Eligibility.GUARDIAN_REQUIRED and not guardians.is_approved(user, offer, parcours):
        return MayOrder.GUARDIAN_FIRST
    return MayOrder.YES


def _check_can_validate(order: Order, reviewed_amount_cents: int) -> None:
    if not ready_for_review(order):
        raise DomainError([(None, str(_l("Complétez d'abord les étapes précédentes.")))])
    if not email_verification.is_verified(order.user):
        # The invoices, the contract and every proof of the subscription go to that address.
        raise DomainError([(None, str(_l("Confirmez d'abord votre adresse email %(email)s : ouvrez le lien que nous "
                                         "vous y avons envoyé, ou demandez-en un nouveau sur cette page.",
                                         email=order.user.email)))])
    answer = may_order(order.user, order.offer, order.parcours)
    if answer == MayOrder.TOO_YOUNG:
        raise DomainError([(None, str(_l("Il faut avoir au moins 16 ans pour s'abonner.")))])
    if answer == MayOrder.GUARDIAN_FIRST:
        raise DomainError([(None, str(_l("Votre représentant légal doit d'abord approuver l'abonnement.")))])
    if order.offer == OfferKind.SOLO and order.first_charge_cents != reviewed_amount_cents:
        raise DomainError([(None, str(_l("Le montant a changé depuis que vous l'avez vérifié : vérifiez-le à "
                                         "nouveau avant de valider.")))])
    _check_promo_still_available(order)


def validate(order: Order, reviewed_amount_cents: int, gateway: PaymentGateway, requester: Requester,
             return_url: str) -> HostedPayment | None:
    """"Valider". Solo: opens (or reopens) the hosted payment for exactly the reviewed amount.
    Plus: records the acceptance and starts the reflection period; nothing is charged (returns None)."""
    reopened = payment_already_open(order)
    if reopened is not None:
        return reopened
    if order.status in (OrderStatus.PAID, OrderStatus.ACCEPTED):
        return None
    _check_can_validate(order, reviewed_amount_cents)
    order.validated_at = clock.now()
    if order.offer == OfferKind.PLUS:
        order.status = OrderStatus.ACCEPTED
        subscriptions.start_reflection(order, order.validated_at)
        parcours_changes.complete(order)
        db.session.flush()
        return None
    return open_order_payment(order, order.first_charge_cents, gateway, return_url, requester.language)


def payment_already_open(order: Order) -> HostedPayment | None:
    """The first month's page already opened for this order (a double click or a replay), if any."""
    if order.status != OrderStatus.PAYING:
        return None
    return HostedPayment.already_open(order.payment_session_id, order.payment_redirect_url)


def open_order_payment(order: Order, amount_cents: int, gateway: PaymentGateway, return_url: str,
                       language: str) -> HostedPayment:
    """Opens the provider's page for the order's first payment and records it, so that a second click
    finds it (`payment_already_open`) instead of opening another."""
    hosted = open_hosted_payment(gateway, CheckoutRequest(
        reference=order.reference, amount_cents=amount_cents,
        shopper_reference=subscriptions.shopper_reference(order.user_id), shopper_email=order.user.email,
        shopper_locale=shopper_locale(language), return_url=return_url,
        payment_method=PaymentMethod(order.payment_method), idempotency_key=order.attempt_key,
        description=order.reference))
    order.status = OrderStatus.PAYING
    order.payment_session_id = hosted.session_id
    order.payment_redirect_url = hosted.redirect_url
    db.session.flush()
    return hosted


def open_hosted_payment(gateway: PaymentGateway, request: CheckoutRequest) -> HostedPayment:
    """The provider's payment page. When it does not answer, nothing changes here: the next try sends the
    same idempotency key, so the provider can never open two payments for one attempt."""
    try:
        return gateway.start_checkout(request)
    except ProviderUnavailable as error:
        raise DomainError([(None, str(_l("Le service de paiement ne répond pas pour le moment. Rien n'a été "
                                         "débité : réessayez dans quelques instants.")))]) from error
    except PaymentError as error:
        current_app.logger.error("payment provider refused the session for %s: %s", request.reference, error)
        raise DomainError([(None, str(_l("Le paiement n'a pas pu être préparé. Rien n'a été débité ; "
                                         "réessayez plus tard ou contactez-nous.")))]) from error


def awaits_payment(order: Order) -> bool:
    """Its first month may be paid now: "Valider" (Solo) or the signature after the reflection period (Plus)
    opened the payment, and nothing changed since (a draft, or a Plus order still in its reflection period,
    is never paid)."""
    if order.status != OrderStatus.PAYING:
        return False
    subscription = subscriptions.for_order(order)
    if subscription is None:
        return order.offer == OfferKind.SOLO
    return (subscription.status == subscriptions.S.AWAITING_PAYMENT
            and (subscription.reflection_ends_at is None or clock.now() >= subscription.reflection_ends_at))


def awaits_provider(order: Order) -> bool:
    """"Valider" (or the signature) opened the provider's page and the provider has not answered yet."""
    return order.status == OrderStatus.PAYING


def is_paid(order: Order) -> bool:
    return order.status == OrderStatus.PAID


def is_accepted(order: Order) -> bool:
    """Premium Plus: the terms accepted at "Valider", the reflection period running, nothing charged."""
    return order.status == OrderStatus.ACCEPTED


def left_the_payment_page(order: Order) -> bool:
    """The last payment attempt ended because the learner left the provider's page, not by a refusal."""
    return order.last_refusal == LEFT_THE_PAGE


def refusal_kind(order: Order) -> refusals.RefusalKind | None:
    """What the bank's refusal of the last payment attempt means for the learner; None when there was none (or
    the learner left the provider's page)."""
    if order.last_refusal is None or left_the_payment_page(order):
        return None
    return refusals.kind_of(order.last_refusal)


def payment_failed(order: Order, psp_reference: str | None, provider: str, reason: str | None,
                   cancelled: bool = False) -> None:
    """Back to the payment step (Plus: to the contract) with the reason; nothing else is lost."""
    if order.status != OrderStatus.PAYING:
        return
    if psp_reference and not cancelled:
        db.session.add(PaymentTransaction(
            kind=TransactionKind.FAILURE, user_id=order.user_id, order_id=order.id,
            amount_cents=order.first_charge_cents, provider=provider, psp_reference=psp_reference,
            merchant_reference=order.reference, reason=reason, created_at=clock.now()))
    order.last_refusal = LEFT_THE_PAGE if cancelled else (reason or "refused")
    _back_to_draft(order)
    db.session.flush()

