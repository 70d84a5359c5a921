"""Mes paramètres > Mon profil: the learner corrects their name, date of birth, country and legal protection (GDPR
art. 16); a correction that makes a subscription taken alone need a guardian is made, and the next renewal waits for
the guardian's approval."""

from datetime import datetime

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import GuardianApproval, OutboxMessage, Renewal
from app.models.commerce import GuardianStatus, OfferKind, SubscriptionStatus
from app.models.payment import RenewalStatus
from app.services.common import clock
from tests.banners import SUCCESS_MESSAGE
from tests.billing_runs import run, subscribe
from tests.conftest import date_fields, signed_in_client, soup_of, text_of
from tests.factories import make_user, subscriber

PAGE = "/compte/parametres/profil"
NOW = datetime(2027, 3, 2, 10, 0, tzinfo=clock.PARIS)


@pytest.fixture(autouse=True)
def today():
    clock.freeze(NOW)


def posted(**changes) -> dict[str, str]:
    values = {"first_name": "Léa", "last_name": "Martin", **date_fields("date_of_birth", "1995-04-12"),
              "country": "FR", "legal_protection": "no"}
    values.update(changes)
    return values


def test_the_tab_shows_what_the_portal_holds(app):
    soup = soup_of(signed_in_client(app, make_user()).get(PAGE))
    assert text_of(soup.select_one("nav.tabs-nav [aria-current=page]")) == "Mon profil"
    assert soup.select_one("#first_name")["value"] == "Léa" and soup.select_one("#last_name")["value"] == "Martin"
    assert soup.select_one("#date_of_birth-year")["value"] == "1995"
    assert soup.select_one("#country option[selected]")["value"] == "FR"
    assert soup.select_one("input[name=legal_protection][value=no]").has_attr("checked")


@pytest.mark.clause("CGS-9-01")
def test_a_corrected_name_is_saved_and_confirmed_by_mail(app):
    user = make_user()
    browser = signed_in_client(app, user)
    response = browser.post(PAGE, data=posted(first_name="  Léa-Rose ", last_name="Martin  Dupont"),
                            follow_redirects=True)
    assert "Vos informations sont corrigées. Un email vous le confirme." in [
        text_of(notice) for notice in soup_of(response).select(SUCCESS_MESSAGE)]
    assert (user.first_name, user.last_name) == ("Léa-Rose", "Martin Dupont")
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == user.email)
                              .order_by(OutboxMessage.id.desc())).first()
    assert mail.subject == "Vos informations ont été corrigées" and "Nom : Léa-Rose Martin Dupont" in mail.body_text


def test_a_date_of_birth_in_the_future_is_said_next_to_its_field_and_loses_nothing(app):
    user = make_user()
    soup = soup_of(signed_in_client(app, user).post(PAGE, data=posted(
        first_name="Léonie", **date_fields("date_of_birth", "2030-01-01"))))
    assert soup.select_one("#date_of_birth-day")["aria-invalid"] == "true"
    assert "Indiquez votre vraie date de naissance" in text_of(soup.select_one("#error-summary"))
    assert soup.select_one("#first_name")["value"] == "Léonie"  # what was typed stays
    assert user.first_name == "Léa"


@pytest.mark.clause("CGS-1-04")
def test_a_subscriber_who_declares_a_protection_measure_needs_a_guardian_before_the_next_renewal(app):
    subscription = subscribe()  # Premium Solo bought on 31 January 2027, on a card that pays
    clock.freeze(datetime(2027, 2, 10, 10, 0, tzinfo=clock.PARIS))
    learner = subscription.user
    browser = signed_in_client(app, learner)
    response = browser.post(PAGE, data=posted(first_name=learner.first_name, last_name=learner.last_name,
                                              legal_protection="yes"))
    assert response.headers["Location"] == "/accord-representant/solo"
    assert learner.under_legal_protection is True
    request_page = soup_of(browser.get("/accord-representant/solo"))
    assert "Il sera renouvelé le 28 février 2027 seulement si l'accord est donné" in text_of(
        request_page.select_one("#renewal-waits"))
    premium = soup_of(browser.get("/compte/parametres/premium"))
    assert premium.select_one("#renewal-waits a")["href"] == "/accord-representant/solo"
    clock.freeze(datetime(2027, 2, 28, 10, 1, tzinfo=clock.PARIS))
    run(app.extensions["payment_gateway"])
    assert subscription.status == SubscriptionStatus.ENDED
    assert db.session.query(Renewal).count() == 0  # nothing was asked of the card
    ended = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == learner.email)
                               .order_by(OutboxMessage.id.desc())).first()
    assert ended.subject == "Votre abonnement Premium Solo a pris fin"
    assert "accord de votre représentant légal, tuteur ou curateur, qui n'a pas été donné" in ended.body_text


@pytest.mark.clause("CGS-1-04")
def test_once_the_guardian_approved_the_renewal_is_charged(app):
    subscription = subscribe()
    subscription.user.under_legal_protection = True
    db.session.add(GuardianApproval(learner_id=subscription.user_id, offer=OfferKind.SOLO,
                                    guardian_name="Jean Curateur", guardian_email="curateur@example.org",
                                    relationship_kind="curator",
                                    status=GuardianStatus.APPROVED, requested_at=clock.now(), decided_at=clock.now()))
    db.session.commit()
    premium = soup_of(signed_in_client(app, subscription.user).get("/compte/parametres/premium"))
    assert premium.select_one("#renewal-waits") is None
    clock.freeze(datetime(2027, 2, 28, 10, 1, tzinfo=clock.PARIS))
    run(app.extensions["payment_gateway"])
    assert subscription.status == SubscriptionStatus.ACTIVE
    assert db.session.query(Renewal).one().status == RenewalStatus.PAID


@pytest.mark.clause("CGS-1-04")
def test_a_correction_that_would_make_a_subscriber_younger_than_16_is_sent_to_student_success(app):
    learner = subscriber("seul@example.org")
    soup = soup_of(signed_in_client(app, learner).post(PAGE, data=posted(
        **date_fields("date_of_birth", "2013-06-01"))))
    assert "vous auriez moins de 16 ans" in text_of(soup.select_one("#error-summary"))
    assert soup.select_one("#date_of_birth-year")["value"] == "2013"
    assert learner.date_of_birth.year == 1995


@pytest.mark.clause("CGS-1-04")
def test_without_a_subscription_the_same_correction_is_made(app):
    user = make_user("sans.abonnement@example.org")
    signed_in_client(app, user).post(PAGE, data=posted(legal_protection="yes"))
    assert user.under_legal_protection is True


def test_the_page_in_english(app):
    soup = soup_of(signed_in_client(app, make_user()).get(PAGE, headers={"Accept-Language": "en"}))
    assert text_of(soup.select_one("nav.tabs-nav [aria-current=page]")) == "My profile"
    assert text_of(soup.select_one("main form button")) == "Save the corrections"
