"""Accounts: sign-up rules, passwords, reset links, sessions, and who may subscribe alone."""

from datetime import date, datetime, timedelta

import pytest

from app.extensions import db
from app.models import UserSession
from app.services import DomainError, accounts, clock
from app.services.accounts import Eligibility
from app.services.countries import age_of_majority, country_choices
from tests.conftest import PASSWORD, make_user

SECRET = "test-secret"


def signup(**changes):
    values = dict(first_name="Hugo", last_name="Bernard", email="hugo@example.org", password=PASSWORD,
                  date_of_birth=date(1990, 1, 2), country="FR", under_legal_protection=False)
    values.update(changes)
    return accounts.SignupData(**values)


def test_password_is_stored_as_an_argon2_hash():
    user = accounts.register(signup())
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_email_is_unique_whatever_its_case():
    accounts.register(signup())
    with pytest.raises(DomainError) as refused:
        accounts.register(signup(email="  HUGO@example.org "))
    assert [field for field, _ in refused.value.errors] == ["email"]


def test_short_password_is_refused_on_its_field():
    with pytest.raises(DomainError) as refused:
        accounts.register(signup(password="court"))
    assert refused.value.errors[0][0] == "password"


def test_future_birth_date_is_refused():
    clock.freeze(datetime(2026, 11, 26, 12, tzinfo=clock.PARIS))
    with pytest.raises(DomainError) as refused:
        accounts.register(signup(date_of_birth=date(2030, 1, 1)))
    assert refused.value.errors[0][0] == "date_of_birth"


def test_unknown_country_is_refused():
    with pytest.raises(DomainError) as refused:
        accounts.register(signup(country="XX"))
    assert refused.value.errors[0][0] == "country"


def test_authenticate_accepts_the_right_password_only():
    user = make_user()
    assert accounts.authenticate("LEA.MARTIN@example.org", PASSWORD) == user
    assert accounts.authenticate(user.email, "mauvais mot de passe") is None
    assert accounts.authenticate("nobody@example.org", PASSWORD) is None


def test_age_counts_the_birthday():
    assert accounts.age_on(date(2008, 11, 27), date(2026, 11, 26)) == 17
    assert accounts.age_on(date(2008, 11, 26), date(2026, 11, 26)) == 18


@pytest.mark.clause("CGS-1-03")
@pytest.mark.parametrize(("born", "country", "protected", "expected"), [
    (date(1990, 5, 1), "FR", False, Eligibility.ALONE),
    (date(2008, 11, 26), "FR", False, Eligibility.ALONE),  # 18 today
    (date(2008, 11, 27), "FR", False, Eligibility.GUARDIAN_REQUIRED),  # 18 tomorrow
    (date(2010, 11, 26), "FR", False, Eligibility.GUARDIAN_REQUIRED),  # 16 today
    (date(2010, 11, 27), "FR", False, Eligibility.REFUSED),  # 15
    (date(1990, 5, 1), "FR", True, Eligibility.GUARDIAN_REQUIRED),  # adult under curatorship
    (date(2008, 1, 1), "DZ", False, Eligibility.GUARDIAN_REQUIRED),  # 18, but majority is 19 in Algeria
    (date(2008, 1, 1), "BE", False, Eligibility.ALONE),
])
def test_only_adults_of_their_country_not_under_protection_subscribe_alone(born, country, protected, expected):
    user = make_user(born=born, country=country, protected=protected)
    assert accounts.subscription_eligibility(user, date(2026, 11, 26)) == expected


def test_majority_defaults_to_18_and_follows_the_country():
    assert age_of_majority("FR") == 18
    assert age_of_majority("kr") == 19
    assert age_of_majority("SG") == 21


def test_countries_are_listed_in_the_readers_language_france_first():
    french, english = dict(country_choices("fr")), dict(country_choices("en"))
    assert country_choices("fr")[0] == ("FR", "France")
    assert french["DE"] == "Allemagne" and english["DE"] == "Germany"


def test_reset_link_works_once():
    user = make_user()
    token = accounts.password_reset_token(user, SECRET)
    assert accounts.user_for_reset_token(token, SECRET, 3600) == user
    accounts.reset_password(token, "un tout nouveau mot de passe", SECRET, 3600)
    assert accounts.user_for_reset_token(token, SECRET, 3600) is None
    with pytest.raises(DomainError):
        accounts.reset_password(token, "encore un autre mot de passe", SECRET, 3600)
    assert accounts.authenticate(user.email, "un tout nouveau mot de passe") == user


def test_reset_link_expires():
    user = make_user()
    token = accounts.password_reset_token(user, SECRET)
    assert accounts.user_for_reset_token(token, SECRET, max_age=-1) is None


def test_reset_link_signed_with_another_key_is_refused():
    user = make_user()
    assert accounts.user_for_reset_token(accounts.password_reset_token(user, "other"), SECRET, 3600) is None


def test_reset_closes_every_open_session():
    user = make_user()
    accounts.open_session(user, "Firefox")
    accounts.reset_password(accounts.password_reset_token(user, SECRET), "un tout nouveau mot de passe",
                            SECRET, 3600)
    assert db.session.query(UserSession).filter_by(user_id=user.id).count() == 0


@pytest.mark.clause("CGS-7-01")
def test_changing_password_signs_out_the_other_sessions_only():
    user = make_user()
    kept = accounts.open_session(user, "Firefox")
    other = accounts.open_session(user, "Safari")
    accounts.change_password(user, PASSWORD, "une autre phrase de passe", keep_token=kept)
    assert accounts.session_user(user.id, kept) == user
    assert accounts.session_user(user.id, other) is None


def test_changing_password_needs_the_current_one():
    user = make_user()
    with pytest.raises(DomainError) as refused:
        accounts.change_password(user, "pas le bon", "une autre phrase de passe", keep_token=None)
    assert refused.value.errors[0][0] == "current_password"


def test_a_session_token_belongs_to_its_user_only():
    user, other = make_user(), make_user("other@example.org")
    token = accounts.open_session(user, "Firefox")
    assert accounts.session_user(other.id, token) is None
    accounts.close_session(token)
    assert accounts.session_user(user.id, token) is None


def test_clock_moves_only_when_told():
    clock.freeze(datetime(2027, 1, 31, 23, 30, tzinfo=clock.PARIS))
    assert clock.today_in_paris() == date(2027, 1, 31)
    clock.advance(timedelta(hours=1))
    assert clock.today_in_paris() == date(2027, 2, 1)
