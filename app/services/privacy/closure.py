"""Closing one's account (GDPR art. 17; CGS-9-01): asked with the password, undoable for 30 days, then completed.

Asking ends the current subscription by the ordinary exit (a subscription in its reflection period is given up; an
active one is cancelled, so nothing is charged again; one whose renewal is unpaid ends at once), signs every
browser out and mails a link that undoes the closure. Sign-in is refused while the closure can be undone. After
UNDO_DAYS the periodic job completes it: the name, address, date of birth and every other detail of the profile
are replaced, so that the forum and private messages show "Ancien membre", and the archives of data exports,
the sessions and the public profile are deleted. What the law makes the platform keep is kept and used for
nothing else: invoices and their orders (10 years, art. L123-22 Code de commerce), consents, contracts and
guardians' approvals (as evidence, for the limitation period), complaints, certificates and diplomas issued
(they stay verifiable by whoever holds their link)."""

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import delete, select, update

from app.extensions import db
from app.models import DataExport, Subscription, User, UserSession
from app.models.commerce import SubscriptionStatus
from app.services import DomainError
from app.services.accounts import roles, users
from app.services.commerce import contracts, subscriptions
from app.services.common import clock, mail

UNDO_DAYS = 30
UNDO = "account-closure-undo"
# What a completed closure leaves of the profile: nothing that identifies the person.
ANONYMOUS_BIRTH_DATE = date(1900, 1, 1)


class Ending(enum.StrEnum):
    """What closing the account does to the current subscription."""

    NONE = "none"  # no current subscription
    GIVEN_UP = "given_up"  # Premium Plus in its reflection period: no contract, nothing charged
    CANCELLED_AT_PERIOD_END = "cancelled_at_period_end"  # not renewed; the paid period is not refunded
    ALREADY_CANCELLED = "already_cancelled"  # cancelled before: it ends with its period, as planned
    ENDS_NOW = "ends_now"  # its renewal is unpaid: it ends at once, the refused month not pursued
    PAYMENT_IN_PROGRESS = "payment_in_progress"  # a first payment is open: closing waits for its outcome


@dataclass(frozen=True)
class Plan:
    subscription: Subscription | None
    ending: Ending

    @property
    def period_end(self) -> datetime | None:
        return self.subscription.current_period_end if self.subscription is not None else None


def plan(user: User) -> Plan:
    """What closing the account now would do to the learner's current subscription."""
    subscription = subscriptions.current_subscription(user.id)
    if subscription is None:
        return Plan(None, Ending.NONE)
    if contracts.can_give_up(subscription):
        return Plan(subscription, Ending.GIVEN_UP)
    if subscription.status == SubscriptionStatus.AWAITING_PAYMENT:
        return Plan(subscription, Ending.PAYMENT_IN_PROGRESS)
    if subscriptions.is_cancelled(subscription):
        return Plan(subscription, Ending.ALREADY_CANCELLED)
    if subscriptions.ends_at_once_if_cancelled(subscription):
        return Plan(subscription, Ending.ENDS_NOW)
    return Plan(subscription, Ending.CANCELLED_AT_PERIOD_END)


def is_team_account(user: User) -> bool:
    """Staff and mentors' accounts are closed by the team, who hand over their work first."""
    return roles.has(user, roles.Role.STAFF) or roles.has(user, roles.Role.MENTOR)


def can_close(user: User, planned: Plan | None = None) -> bool:
    """`planned`: `plan(user)`, when the caller has made it already."""
    return (not is_team_account(user) and not is_closing(user) and user.closed_at is None
            and (planned or plan(user)).ending != Ending.PAYMENT_IN_PROGRESS)


def is_closing(user: User) -> bool:
    """Asked, and still undoable: sign-in is refused."""
    return user.closing_since is not None and user.closed_at is None


def undo_until(user: User) -> datetime:
    assert user.closing_since is not None
    return user.closing_since + timedelta(days=UNDO_DAYS)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNDO)


def close(user: User, password: str, undo_url: Callable[[str], str]) -> Plan:
    """Close the account: the subscription ends as `plan` says, every browser is signed out, the learner is mailed
    what happens with the link that undoes it (`undo_url(token)`). Never commits."""
    if not can_close(user):
        raise DomainError([(None, str(_l("Ce compte ne peut pas être clôturé depuis cette page : écrivez-nous "
                                         "depuis la page Contact.")))])
    if not user.password_hash or users.authenticate(user.email, password) is None:
        raise DomainError([("current_password", str(_l("Le mot de passe actuel est incorrect.")))])
    outcome = plan(user)
    if outcome.subscription is not None:
        if outcome.ending == Ending.GIVEN_UP:
            contracts.give_up(outcome.subscription)
        elif outcome.ending in (Ending.CANCELLED_AT_PERIOD_END, Ending.ENDS_NOW):
            subscriptions.cancel(outcome.subscription)  # its own mail is the durable proof of the cancellation
    now = clock.now()
    user.closing_since = now
    # Every link mailed before (password reset, address confirmation) stops working.
    user.credential_version += 1
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    db.session.flush()
    token = _serializer().dumps({"id": user.id, "since": now.isoformat()})
    mail.queue(user.email, "account_closing", user.locale, user=user, undo_link=undo_url(token),
               undo_until=undo_until(user), ending=outcome.ending, period_end=outcome.period_end,
               endings=Ending)
    return outcome


def closing_for(token: str) -> User | None:
    """The account an undo link is for, while its closure can still be undone (the link names the request it
    undoes: a later closure needs its own link)."""
    try:
        payload = _serializer().loads(token)
    except BadSignature:
        return None
    user = db.session.get(User, payload.get("id")) if isinstance(payload, dict) else None
    if user is None or not is_closing(user) or user.closing_since is None:
        return None
    if payload.get("since") != user.closing_since.isoformat() or clock.now() >= undo_until(user):
        return None
    return user


def reopen(token: str) -> User:
    """"Annuler la clôture": the account is open again; the learner signs in as before. A subscription cancelled
    by the closure stays cancelled: the Premium tab offers to undo that until its period ends."""
    user = closing_for(token)
    if user is None:
        raise DomainError([(None, str(_l("Ce lien n'est plus valable : le délai de 30 jours est passé, ou la "
                                         "clôture a déjà été annulée.")))])
    user.closing_since = None
    db.session.flush()
    mail.queue(user.email, "account_reopened", user.locale, user=user)
    return user


def due() -> list[int]:
    """Accounts whose 30 days have passed: their closure is completed by the periodic job."""
    deadline = clock.now() - timedelta(days=UNDO_DAYS)
    return list(db.session.scalars(select(User.id).where(User.closing_since <= deadline,
                                                         User.closed_at.is_(None)).order_by(User.id)))


def complete(user_id: int) -> bool:
    """Anonymise an account whose closure can no longer be undone; True when this call did it. The last mail
    goes to the address before it is erased."""
    user = db.session.get(User, user_id)
    if user is None or user.closed_at is not None or user.closing_since is None \
            or clock.now() < undo_until(user):
        return False
    mail.queue(user.email, "account_closed", user.locale, user=user)
    now = clock.now()
    # A cancelled month may run a day past the 30 days: it ends with the account, whose owner can no longer use
    # it, rather than end later with a mail to an address that no longer exists.
    current = subscriptions.current_subscription(user.id)
    if current is not None and subscriptions.is_cancelled(current):
        subscriptions.transition(current, SubscriptionStatus.ENDED)
    user.first_name, user.last_name = "—", "—"
    user.email = f"compte-clos-{user.id}@clos.invalid"
    user.password_hash = None
    user.date_of_birth = ANONYMOUS_BIRTH_DATE
    user.under_legal_protection = False
    user.referral_code = None
    user.public_profile, user.public_profile_id = False, None
    user.pending_terms_notice_id = None
    user.unread_messages = 0
    user.credential_version += 1
    user.closed_at = now
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    db.session.execute(update(DataExport).where(DataExport.user_id == user.id, DataExport.archive.is_not(None))
                       .values(archive=None, deleted_at=now))
    db.session.flush()
    return True
