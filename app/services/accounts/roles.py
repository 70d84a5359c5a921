"""The roles an account can hold beside being a learner, given and taken back by the team (`flask users`)."""

import enum
from datetime import date

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l

from app.models import User
from app.services import DomainError
from app.services.accounts import users
from app.services.common import safe_text


class Role(enum.StrEnum):
    STAFF = "staff"  # Student Success: the back office (/equipe)
    MENTOR = "mentor"  # accompanies Premium Plus learners (/mentor), on the Parcours `flask mentors` gives


# The account's column that holds each role: pages and services read it with the user, at no extra query.
_COLUMN = {Role.STAFF: "is_staff", Role.MENTOR: "is_mentor"}


def has(user: User, role: Role) -> bool:
    return bool(getattr(user, _COLUMN[role]))


def _set(user: User, role: Role, value: bool) -> bool:
    """Give or take back `role`; False when the account already was that way (nothing changed)."""
    if has(user, role) == value:
        return False
    setattr(user, _COLUMN[role], value)
    return True


def grant(user: User, role: Role) -> bool:
    return _set(user, role, True)


def revoke(user: User, role: Role) -> bool:
    return _set(user, role, False)


def create_member(email: str, first_name: str, last_name: str, date_of_birth: date, country: str, locale: str,
                  role: Role) -> User:
    """A colleague's account, holding `role`. It has no password: its owner receives the sign-in details with the
    single-use link that sets one, so that no password is ever typed on a command line or sent by mail."""
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as error:
        raise DomainError([("email", str(_l("Indiquez une adresse email valide, par exemple "
                                           "prenom.nom@exemple.fr.")))]) from error
    # Typed on a command line, not through a form that cleans it: a name goes into mails and invoices as it is.
    for field, name in (("first_name", first_name), ("last_name", last_name)):
        if not name.strip() or safe_text.refused_character(name) is not None:
            raise DomainError([(field, str(_l("Indiquez un nom sur une ligne, sans caractère invisible.")))])
    if users.find_by_email(email) is not None:
        raise DomainError([("email", str(_l("Un compte existe déjà avec cette adresse email : donnez-lui le rôle "
                                           "au lieu d'en créer un autre.")))])
    user = users.register(users.SignupData(
        first_name=first_name, last_name=last_name, email=email, password="", date_of_birth=date_of_birth,
        country=country, under_legal_protection=False, locale=locale), with_password=False)
    grant(user, role)
    users.send_sign_in_details(user)
    return user
