"""Correcting one's own details (GDPR art. 16): name, date of birth, country of residence, legal protection; and
the billing details of the current subscription (name, address, an employer's name and VAT number), printed on
the invoices issued after the correction (those issued keep theirs: an issued invoice never changes).

A correction that makes a current subscriber someone who may not subscribe alone (a minor in their country, or a
protected adult: article 1 of the terms, CGS-1-03/1-04) is made, and the subscription, taken alone, then needs a
guardian's approval before its next renewal: the page says so and leads to the request the guardian answers; the
renewal is not charged without it (`guardians.approval_missing`), and the paid period is then the last. A correction
that would make a current subscriber younger than 16 is not made from the page: nobody that young may subscribe
even with a guardian, so Student Success settles what happens to the subscription. Any correction made is confirmed
by mail; invoices already issued keep the name they were issued with.
"""

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import Order, Parcours, User
from app.models.commerce import OfferKind
from app.services import DomainError
from app.services.accounts import countries, guardians, users
from app.services.commerce import checkout, subscriptions
from app.services.common import clock, mail


@dataclass(frozen=True)
class Identity:
    first_name: str
    last_name: str
    date_of_birth: date
    country: str
    under_legal_protection: bool


def current(user: User) -> Identity:
    return Identity(user.first_name, user.last_name, user.date_of_birth, user.country, user.under_legal_protection)


def _eligibility_after(identity: Identity) -> users.Eligibility:
    return users.eligibility_of(identity.date_of_birth, identity.country, identity.under_legal_protection,
                                clock.today_in_paris())


def too_young_for_the_subscription(user: User, identity: Identity) -> bool:
    """The correction would make a current subscriber younger than anyone may subscribe, even with a guardian."""
    return (_eligibility_after(identity) == users.Eligibility.REFUSED
            and subscriptions.current_subscription(user.id) is not None)


def guardian_needed_for(user: User) -> tuple[OfferKind, Parcours | None] | None:
    """The offer of the learner's current subscription when it needs a guardian's approval that nobody gave (after
    a correction): the approval to ask for before its next renewal."""
    subscription = subscriptions.current_subscription(user.id)
    if subscription is None or not guardians.approval_missing(user, subscription.offer, subscription.parcours_id):
        return None
    return subscription.offer, subscription.parcours


def rectify(user: User, identity: Identity) -> bool:
    """Make the correction; False when nothing changed. Never commits."""
    problems = users.identity_problems(identity.date_of_birth, identity.country)
    if not identity.first_name.strip():
        problems.append(("first_name", str(_l("Indiquez votre prénom."))))
    if not identity.last_name.strip():
        problems.append(("last_name", str(_l("Indiquez votre nom."))))
    if problems:
        raise DomainError(problems)
    if too_young_for_the_subscription(user, identity):
        raise DomainError([(None, str(_l(
            "Avec ces informations, vous auriez moins de 16 ans : personne ne peut s'abonner si jeune, même avec "
            "l'accord d'un représentant. Nous ne pouvons pas faire ce changement depuis cette page : écrivez à "
            "Student Success depuis la page Contact. Rien n'a été modifié.")))])
    cleaned = Identity(" ".join(identity.first_name.split()), " ".join(identity.last_name.split()),
                       identity.date_of_birth, identity.country, identity.under_legal_protection)
    if cleaned == current(user):
        return False
    user.first_name, user.last_name = cleaned.first_name, cleaned.last_name
    user.date_of_birth, user.country = cleaned.date_of_birth, cleaned.country
    user.under_legal_protection = cleaned.under_legal_protection
    db.session.flush()
    mail.queue(user.email, "profile_rectified", user.locale, user=user,
               country=countries.country_name(user.country, user.locale))
    return True


def billing_order(user: User) -> Order | None:
    """The order whose billing details the next invoices of the current subscription are issued with."""
    subscription = subscriptions.current_subscription(user.id)
    return subscription.order if subscription is not None else None


def rectify_billing(order: Order, details: checkout.BillingDetails) -> None:
    """Never commits."""
    checkout.apply_billing_details(order, details)
    db.session.flush()
