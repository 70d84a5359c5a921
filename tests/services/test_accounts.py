"""Accounts: sign-up rules, passwords, reset links, sessions, and who may subscribe alone."""

from datetime import date, datetime, timedelta

import pytest
from argon2 import Type

from app.extensions import db
from app.models import OutboxMessage, UserSession
from app.models.commerce import GuardianStatus, OfferKind
from app.services import DomainError
from app.services.accounts import guardians, users
from app.services.accounts.countries import age_of_majority, country_choices
from app.services.accounts.users import Eligibility
from app.services.common import clock
from tests.conftest import PASSWORD, make_user

SECRET = "test-secret"


def signup(**changes):
    values = dict(first_name="Hugo", last_name="Bernard", email="hugo@example.org", password=PASSWORD,
                  date_of_birth=date(1990, 1, 2), country="FR", under_legal_protection=False)
    values.update(changes)
    return users.SignupData(**values)


def test_password_is_stored_as_an_argon2_hash():
    user = users.register(signup())
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_production_hashes_passwords_with_argon2id_at_the_recommended_cost(_cheapest_password_hashes):
    # The suite hashes with the cheapest parameters (tests/conftest.py): this is the hasher the portal runs with.
    production = _cheapest_password_hashes
    assert production.type is Type.ID
    assert production.time_cost >= 3 and production.memory_cost >= 64 * 1024  # RFC 9106's second recommendation
    assert production.verify(production.hash(PASSWORD), PASSWORD)


def test_email_is_unique_whatever_its_case():
    users.register(signup())
    with pytest.raises(DomainError) as refused:
        users.register(signup(email="  HUGO@example.org "))
    assert [field for field, _ in refused.value.errors] == ["email"]


def test_short_password_is_refused_on_its_field():
    with pytest.raises(DomainError) as refused:
        users.register(signup(password="court"))
    assert refused.value.errors[0][0] == "password"


def test_future_birth_date_is_refused():
    clock.freeze(datetime(2026, 11, 26, 12, tzinfo=clock.PARIS))
    with pytest.raises(DomainError) as refused:
        users.register(signup(date_of_birth=date(2030, 1, 1)))
    assert refused.value.errors[0][0] == "date_of_birth"


def test_unknown_country_is_refused():
    with pytest.raises(DomainError) as refused:
        users.register(signup(country="XX"))
    assert refused.value.errors[0][0] == "country"


def test_authenticate_accepts_the_right_password_only():
    user = make_user()
    assert users.authenticate("LEA.MARTIN@example.org", PASSWORD) == user
    assert users.authenticate(user.email, "mauvais mot de passe") is None
    assert users.authenticate("nobody@example.org", PASSWORD) is None


def test_age_counts_the_birthday():
    assert users.age_on(date(2008, 11, 27), date(2026, 11, 26)) == 17
    assert users.age_on(date(2008, 11, 26), date(2026, 11, 26)) == 18


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
    assert users.subscription_eligibility(user, date(2026, 11, 26)) == expected


def test_majority_defaults_to_18_and_follows_the_country():
    assert age_of_majority("FR") == 18
    assert age_of_majority("kr") == 19
    assert age_of_majority("SG") == 21


def test_countries_are_listed_in_the_readers_language_france_first():
    french, english = dict(country_choices("fr")), dict(country_choices("en"))
    assert country_choices("fr")[0] == ("FR", "France")
    assert french["DE"] == "Allemagne" and english["DE"] == "Germany"


def mails_to(address: str) -> list[OutboxMessage]:
    return db.session.query(OutboxMessage).filter_by(recipient=address).order_by(OutboxMessage.id).all()


def test_creating_an_account_mails_a_welcome_or_tells_the_owner_of_an_address_already_registered(app):
    with app.test_request_context():
        created = users.create_account(signup())
        assert [m.subject for m in mails_to("hugo@example.org")] == ["Votre compte est créé"]
        again = users.create_account(signup(first_name="Autre", email="HUGO@example.org"))
    assert again == created and again.first_name == "Hugo"  # the existing account is changed in nothing
    welcome, attempt = mails_to("hugo@example.org")
    assert "http://127.0.0.1:5000/connexion" in welcome.body_text and PASSWORD not in welcome.body_text
    assert attempt.subject != welcome.subject and "http://127.0.0.1:5000/mot-de-passe-oublie" in attempt.body_text


def test_a_password_reset_is_mailed_to_a_known_address_only(app):
    user = make_user()
    with app.test_request_context():
        users.send_password_reset("personne@example.org")
        assert db.session.query(OutboxMessage).count() == 0
        users.send_password_reset("  LEA.MARTIN@example.org ")
    body = mails_to(user.email)[0].body_text
    token = body.split("http://127.0.0.1:5000/reinitialiser-mot-de-passe/")[1].split()[0]
    assert users.user_for_reset_token(token, app.config["SECRET_KEY"], 3600) == user


def test_each_step_of_a_guardian_approval_mails_the_other_party(app):
    clock.freeze(datetime(2026, 11, 26, 10, 0, tzinfo=clock.PARIS))
    learner = make_user("ana.lopez@example.org", born=date(2009, 5, 1))  # 17
    details = guardians.GuardianRequest("Marie Lopez", "parent@example.org", "parent")
    with app.test_request_context():
        approval = guardians.request_approval(learner, OfferKind.SOLO, None, details)
        (asked,) = mails_to("parent@example.org")
        token = asked.body_text.split("http://127.0.0.1:5000/representant/")[1].split()[0]
        assert guardians.approval_for_token(token, app.config["SECRET_KEY"]) == approval
        guardians.decide(approval, True, True, "J'ai lu et j'accepte les conditions.", "192.0.2.1")
        assert approval.status == GuardianStatus.APPROVED
        (told,) = mails_to(learner.email)
        assert "http://127.0.0.1:5000/commande/solo" in told.body_text  # the way back to the checkout
        revoke_mail = mails_to("parent@example.org")[1]
        revoke_token = revoke_mail.body_text.split("http://127.0.0.1:5000/representant/")[1].split("/")[0]
        assert guardians.approval_for_token(revoke_token, app.config["SECRET_KEY"]) == approval
        guardians.revoke(approval)
    revoked = mails_to(learner.email)[1]
    assert "a retiré son accord" in revoked.body_text and len(mails_to("parent@example.org")) == 2


def test_reset_link_works_once():
    user = make_user()
    token = users.password_reset_token(user, SECRET)
    assert users.user_for_reset_token(token, SECRET, 3600) == user
    users.reset_password(token, "un tout nouveau mot de passe", SECRET, 3600)
    assert users.user_for_reset_token(token, SECRET, 3600) is None
    with pytest.raises(DomainError):
        users.reset_password(token, "encore un autre mot de passe", SECRET, 3600)
    assert users.authenticate(user.email, "un tout nouveau mot de passe") == user


def test_reset_link_expires():
    user = make_user()
    token = users.password_reset_token(user, SECRET)
    assert users.user_for_reset_token(token, SECRET, max_age=-1) is None


def test_reset_link_signed_with_another_key_is_refused():
    user = make_user()
    assert users.user_for_reset_token(users.password_reset_token(user, "other"), SECRET, 3600) is None


def test_reset_closes_every_open_session():
    user = make_user()
    users.open_session(user, "Firefox")
    users.reset_password(users.password_reset_token(user, SECRET), "un tout nouveau mot de passe",
                            SECRET, 3600)
    assert db.session.query(UserSession).filter_by(user_id=user.id).count() == 0


@pytest.mark.clause("CGS-7-01")
def test_changing_password_signs_out_the_other_sessions_only():
    user = make_user()
    kept = users.open_session(user, "Firefox")
    other = users.open_session(user, "Safari")
    users.change_password(user, PASSWORD, "une autre phrase de passe", keep_token=kept)
    assert users.session_user(user.id, kept) == user
    assert users.session_user(user.id, other) is None


def test_changing_password_needs_the_current_one():
    user = make_user()
    with pytest.raises(DomainError) as refused:
        users.change_password(user, "pas le bon", "une autre phrase de passe", keep_token=None)
    assert refused.value.errors[0][0] == "current_password"


def test_a_session_token_belongs_to_its_user_only():
    user, other = make_user(), make_user("other@example.org")
    token = users.open_session(user, "Firefox")
    assert users.session_user(other.id, token) is None
    users.close_session(token)
    assert users.session_user(user.id, token) is None


def test_clock_moves_only_when_told():
    clock.freeze(datetime(2027, 1, 31, 23, 30, tzinfo=clock.PARIS))
    assert clock.today_in_paris() == date(2027, 1, 31)
    clock.advance(timedelta(hours=1))
    assert clock.today_in_paris() == date(2027, 2, 1)
