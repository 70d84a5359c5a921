"""Accounts: sign-up, sign-in, sessions, passwords, and who may subscribe alone (art. 1 of the terms)."""

import enum
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, cast

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import CursorResult, bindparam, delete, func, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import joinedload

from app import time_zone as civil_time
from app.extensions import db
from app.models import User, UserSession
from app.services import DomainError
from app.services.accounts import email_verification
from app.services.accounts.countries import age_of_majority, is_known_country
from app.services.common import clock, links, mail, signed_links

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 128
MINIMUM_AGE = 16  # under 16 nobody may subscribe, even with a guardian (art. 1)

_hasher = PasswordHasher()
# Verified when the email is unknown, so that a wrong email takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not a real password, only for timing")


@dataclass(frozen=True)
class SignupData:
    first_name: str
    last_name: str
    email: str
    password: str
    date_of_birth: date
    country: str
    under_legal_protection: bool
    locale: str = "fr"


def normalise_email(email: str) -> str:
    return email.strip().lower()


def age_on(date_of_birth: date, on: date) -> int:
    before_birthday = (on.month, on.day) < (date_of_birth.month, date_of_birth.day)
    return on.year - date_of_birth.year - int(before_birthday)


def password_problems(password: str) -> list[str]:
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(str(_l("Le mot de passe doit contenir au moins %(n)s caractères.", n=MIN_PASSWORD_LENGTH)))
    if len(password) > MAX_PASSWORD_LENGTH:
        problems.append(str(_l("Le mot de passe doit contenir au plus %(n)s caractères.", n=MAX_PASSWORD_LENGTH)))
    return problems


@dataclass(frozen=True)
class SignupOutcome:
    user: User
    created: bool  # False: the address already had this account, whose owner is told by mail


def sign_up(data: SignupData, with_password: bool = True) -> SignupOutcome:
    """"Créer un compte" (and a visitor's checkout, without a password) never tells whether an address already
    has an account: the other fields are checked the same way and the answer is the same; only the mail sent to
    the address differs (the caller sends it). The work done is the same either way, so that the time taken
    tells nothing either (a password, when there is one, is hashed even for an existing account); an existing
    account is never changed."""
    existing = find_by_email(data.email)
    if existing is None:
        return SignupOutcome(register(data, with_password), created=True)
    problems = _signup_problems(data, with_password)
    if problems:
        raise DomainError(problems)
    if with_password:
        _hasher.hash(data.password)
    return SignupOutcome(existing, created=False)


def create_account(data: SignupData) -> User:
    """"Créer un compte": `sign_up` with a password, then the mail that answers it, to the address, in the same
    transaction: a welcome to a new account; to an existing one, a word that someone tried, with the ways to sign
    in or reset the password. The page says the same either way; the account returned is the address's."""
    outcome = sign_up(data)
    user = outcome.user
    mail.queue(user.email, "welcome" if outcome.created else "sign_up_attempt", user.locale, user=user,
               sign_in_link=links.absolute(url_for("auth.sign_in")),
               reset_link=links.absolute(url_for("auth.forgot_password")),
               verify_link=email_verification.link(user) if outcome.created else None)
    return user


def _signup_problems(data: SignupData, with_password: bool) -> list[tuple[str | None, str]]:
    errors: list[tuple[str | None, str]] = []
    if with_password:
        errors += [("password", problem) for problem in password_problems(data.password)]
    return errors + identity_problems(data.date_of_birth, data.country)


def identity_problems(date_of_birth: date, country: str) -> list[tuple[str | None, str]]:
    """What is wrong with a date of birth and a country, at sign-up or when the learner corrects them."""
    errors: list[tuple[str | None, str]] = []
    today = clock.today_in_paris()
    if date_of_birth >= today or age_on(date_of_birth, today) > 120:
        errors.append(("date_of_birth", str(_l("Indiquez votre vraie date de naissance : elle est dans le passé, "
                                               "il y a moins de 120 ans."))))
    if not is_known_country(country):
        errors.append(("country", str(_l("Choisissez votre pays de résidence dans la liste."))))
    return errors


def register(data: SignupData, with_password: bool = True) -> User:
    """A new account. Without a password (checkout of a visitor), the learner sets it from an emailed link."""
    email = normalise_email(data.email)
    errors: list[tuple[str | None, str]] = []
    if db.session.scalar(select(func.count()).select_from(User).where(User.email == email)):
        errors.append(("email", str(_l("Un compte existe déjà avec cette adresse email. Connectez-vous "
                                       "ou réinitialisez votre mot de passe."))))
    errors += _signup_problems(data, with_password)
    if errors:
        raise DomainError(errors)
    user = User(
        email=email,
        password_hash=_hasher.hash(data.password) if with_password else None,
        referral_code=secrets.token_hex(5).upper(),
        first_name=data.first_name.strip(),
        last_name=data.last_name.strip(),
        date_of_birth=data.date_of_birth,
        country=data.country,
        under_legal_protection=data.under_legal_protection,
        locale=data.locale,
        created_at=clock.now(),
    )
    db.session.add(user)
    db.session.flush()
    return user


def find_by_referral_code(code: str) -> User | None:
    if not code:
        return None
    return db.session.scalar(select(User).where(User.referral_code == code.strip().upper()))


def authenticate(email: str, password: str) -> User | None:
    user: User | None = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    stored = user.password_hash if user is not None and user.password_hash else _DUMMY_HASH
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.password_hash:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


def open_session(user: User, user_agent: str, remember: bool = False) -> str:
    """A new signed-in session for this browser; its token goes in the (renewed) session cookie. `remember`
    ("Rester connecté") keeps it for the whole session lifetime, however long the learner stays away."""
    now = clock.now()
    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(token=token, user=user, user_agent=user_agent[:300], created_at=now,
                               last_seen_at=now, remember=remember))
    db.session.flush()
    return token


SEEN_EVERY = timedelta(minutes=5)


def session_expired(row: UserSession, now: datetime) -> bool:
    """A session ends SESSION_LIFETIME_SECONDS after its sign-in, and, unless "Rester connecté" was ticked,
    after SESSION_IDLE_TIMEOUT_SECONDS without activity (noted every 5 minutes, so up to 5 minutes earlier).
    The server decides: a cookie kept past its expiry, or copied elsewhere, opens nothing."""
    if now - row.created_at >= current_app.permanent_session_lifetime:
        return True
    idle_timeout = timedelta(seconds=current_app.config["SESSION_IDLE_TIMEOUT_SECONDS"])
    return not row.remember and now - row.last_seen_at >= idle_timeout


# The user comes in the same query, built once: every signed-in page starts here.
_SESSION_WITH_USER = (select(UserSession).options(joinedload(UserSession.user))
                      .where(UserSession.token == bindparam("token"), UserSession.user_id == bindparam("user_id")))


def session_user(user_id: int, token: str | None) -> User | None:
    """The user of a session cookie, if that session is still open (its last activity noted every 5 min)."""
    if not token:
        return None
    row = db.session.scalar(_SESSION_WITH_USER, {"token": token, "user_id": user_id})
    if row is None:
        return None
    now = clock.now()
    if session_expired(row, now):
        db.session.delete(row)
        db.session.commit()  # before the view runs: nothing else is pending yet
        return None
    if now - row.last_seen_at >= SEEN_EVERY:
        user = row.user
        row.last_seen_at = now
        try:
            db.session.commit()  # likewise
        except OperationalError:
            # SQLite refuses the write of a request whose read began before another request of the same session
            # noted the activity (several pages or htmx requests at once): it is noted; this page goes on.
            db.session.rollback()
        return user
    return row.user


def open_sessions(user: User) -> list[UserSession]:
    """The learner's signed-in browsers, most recent activity first (those expired are no longer open)."""
    rows = db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)
                              .order_by(UserSession.last_seen_at.desc()))
    now = clock.now()
    return [row for row in rows if not session_expired(row, now)]


def close_other_sessions(user: User, keep_token: str | None) -> int:
    """"Se déconnecter partout ailleurs": every other browser is signed out (CGS-7-01)."""
    result = cast(CursorResult[Any], db.session.execute(
        delete(UserSession).where(UserSession.user_id == user.id, UserSession.token != (keep_token or ""))))
    return result.rowcount


def device_name(user_agent: str) -> str:
    """A readable device from a User-Agent ("Firefox sur Windows"), for the list of sessions."""
    browsers = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"),
                ("Safari/", "Safari"))
    systems = (("Windows", "Windows"), ("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"),
               ("Mac OS X", "macOS"), ("Linux", "Linux"))
    browser = next((name for marker, name in browsers if marker in user_agent), None)
    system = next((name for marker, name in systems if marker in user_agent), None)
    if browser and system:
        return str(_l("%(browser)s sur %(system)s", browser=browser, system=system))
    return browser or system or str(_l("Appareil inconnu"))


def close_session(token: str | None) -> None:
    if token:
        db.session.execute(delete(UserSession).where(UserSession.token == token))


def set_password(user: User, new_password: str) -> None:
    problems = password_problems(new_password)
    if problems:
        raise DomainError([("password", problem) for problem in problems])
    user.password_hash = _hasher.hash(new_password)
    user.credential_version += 1
    db.session.flush()


def change_password(user: User, current_password: str, new_password: str, keep_token: str | None) -> None:
    """Change the password and sign out every other browser (keep the current one)."""
    if not user.password_hash or authenticate(user.email, current_password) is None:
        raise DomainError([("current_password", str(_l("Le mot de passe actuel est incorrect.")))])
    set_password(user, new_password)
    db.session.execute(
        delete(UserSession).where(UserSession.user_id == user.id, UserSession.token != (keep_token or ""))
    )


def password_reset_token(user: User, secret_key: str) -> str:
    return signed_links.make(user, user.credential_version, secret_key, "password-reset")


def send_password_reset(email: str) -> None:
    """"Mot de passe oublié": the reset link, valid PASSWORD_RESET_MAX_AGE seconds, mailed to the account of this
    address; nothing when there is none (the page answers the same: nobody learns who is registered)."""
    user = find_by_email(email)
    if user is None:
        return
    token = password_reset_token(user, current_app.config["SECRET_KEY"])
    mail.queue(user.email, "password_reset", user.locale, user=user,
               link=links.absolute(url_for("auth.reset_password", token=token)),
               minutes=current_app.config["PASSWORD_RESET_MAX_AGE"] // 60)


def send_sign_in_details(user: User) -> None:
    """"Vos identifiants de connexion": the address to sign in with and the sign-in page, and, for an account that
    has no password yet (made at a checkout, or by the team for a colleague), the single-use link that sets it."""
    set_password_link = None
    if not user.password_hash:
        token = password_reset_token(user, current_app.config["SECRET_KEY"])
        set_password_link = links.absolute(url_for("auth.reset_password", token=token))
    mail.queue(user.email, "sign_in_details", user.locale, user=user,
               sign_in_url=links.absolute(url_for("auth.sign_in")), set_password_link=set_password_link)


def user_for_reset_token(token: str, secret_key: str, max_age: int) -> User | None:
    """The user a reset link was made for; None once it expired or the password changed since (single use)."""
    return signed_links.resolve(User, "credential_version", token, secret_key, "password-reset", max_age)


def reset_password(token: str, new_password: str, secret_key: str, max_age: int) -> User:
    user = user_for_reset_token(token, secret_key, max_age)
    if user is None:
        raise DomainError([(None, str(_l("Ce lien n'est plus valable : il a expiré ou a déjà servi. "
                                         "Demandez-en un nouveau.")))])
    set_password(user, new_password)
    email_verification.mark_verified(user)  # the link came to that address
    # A reset means the password may have leaked: every open session ends.
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    return user


ADDRESS_CONFIRMATION = "address-confirmation"


def address_confirmation_token(user: User, secret_key: str) -> str:
    """A mailed link that proves its holder reads mail at the account's address; it signs them in, once."""
    return signed_links.make(user, user.credential_version, secret_key, ADDRESS_CONFIRMATION)


def user_for_address_confirmation(token: str, secret_key: str, max_age: int) -> User | None:
    """The user a confirmation link was made for; None once it expired, served, or the password changed since."""
    return signed_links.resolve(User, "credential_version", token, secret_key, ADDRESS_CONFIRMATION, max_age)


def confirm_address(token: str, secret_key: str, max_age: int) -> User:
    """Use a confirmation link: its version moves on (in one conditional UPDATE, so that two clicks at once cannot
    both sign in), which makes it, and any earlier link, stop working."""
    user = user_for_address_confirmation(token, secret_key, max_age)
    if user is None or cast(CursorResult[Any], db.session.execute(
            update(User).where(User.id == user.id, User.credential_version == user.credential_version)
            .values(credential_version=User.credential_version + 1))).rowcount != 1:
        raise DomainError([(None, str(_l("Ce lien n'est plus valable : il a expiré ou a déjà servi.")))])
    db.session.refresh(user)
    email_verification.mark_verified(user)  # the link came to that address
    return user


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


class Eligibility(enum.StrEnum):
    ALONE = "alone"  # adult, not under a protection measure
    GUARDIAN_REQUIRED = "guardian_required"  # 16-18, or under a protection measure
    REFUSED = "refused"  # under 16


def subscription_eligibility(user: User, on: date) -> Eligibility:
    """Who may subscribe on their own, per article 1 of the terms (CGS-1-03, CGS-1-04)."""
    return eligibility_of(user.date_of_birth, user.country, user.under_legal_protection, on)


def eligibility_of(date_of_birth: date, country: str, under_legal_protection: bool, on: date) -> Eligibility:
    """`subscription_eligibility` of a person described by these facts (a correction not made yet)."""
    age = age_on(date_of_birth, on)
    if age < MINIMUM_AGE:
        return Eligibility.REFUSED
    if age < age_of_majority(country) or under_legal_protection:
        return Eligibility.GUARDIAN_REQUIRED
    return Eligibility.ALONE


def set_time_zone(user: User, name: str) -> None:
    """The zone the person reads mentoring sessions' times in; Paris is kept as no choice."""
    if name not in civil_time.names():
        raise DomainError([("time_zone", str(_l("Choisissez un fuseau horaire de la liste.")))])
    user.time_zone = None if name == civil_time.NAME else name
    db.session.flush()


def time_zone_of(user: User) -> str:
    return user.time_zone or civil_time.NAME
