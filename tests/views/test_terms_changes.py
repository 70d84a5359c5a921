"""A material change of the terms (art. 1): subscribers are told, may terminate within 30 days to refuse it,
and using the platform after those 30 days accepts it."""

from datetime import date, datetime

import pytest

from app import jobs
from app.extensions import db
from app.models import OutboxMessage, Subscription, TermsChangeNotice, User
from app.models.commerce import SubscriptionStatus
from app.models.terms import TermsDecision
from app.services.commerce import subscriptions, terms_changes
from app.services.common import clock
from app.services.legal import documents
from tests import checkout_flow as flow
from tests.banners import SUCCESS_MESSAGE
from tests.conftest import make_user, text_of

NOTICE_DAY = datetime(2027, 2, 1, 9, 0, tzinfo=clock.PARIS)


@pytest.fixture
def subscriber(client):
    clock.freeze(datetime(2027, 1, 20, 10, 0, tzinfo=clock.PARIS))
    flow.buy_solo(client)
    return db.session.query(Subscription).one()


def publish(material=True, version="2027-03", effective_on=date(2027, 3, 1)):
    clock.freeze(NOTICE_DAY)
    row = documents.publish_version(documents.TERMS, version, effective_on, material, "# Conditions\n\nNouveau texte.",
                                "# Terms\n\nNew text.")
    told = terms_changes.notify(row)
    db.session.commit()
    jobs.enqueue_committed_jobs()  # as `flask terms publish` does: the mails and the PDFs
    return told


def notice_banner(client, url="/cours"):
    return flow.soup(client.get(url)).select_one("#terms-change-notice")


@pytest.mark.clause("CGS-1-05")
def test_a_material_change_is_notified_once_to_every_current_subscriber(client, subscriber):
    make_user("no.subscription@example.org")
    db.session.commit()
    assert publish() == 1
    assert publish() == 0  # run again: nobody is told twice
    notice = db.session.query(TermsChangeNotice).one()
    assert notice.user_id == subscriber.user_id
    assert notice.last_day == date(2027, 3, 3)  # 30 days from the notice
    mail = db.session.query(OutboxMessage).filter(OutboxMessage.subject.contains("conditions générales")).one()
    assert mail.recipient == subscriber.user.email
    assert "1 mars 2027" in mail.body_text and "3 mars 2027 inclus" in mail.body_text
    assert f"/compte/conditions-generales/{notice.id}" in mail.body_text
    assert "/conditions-generales/version/2027-03" in mail.body_text


def test_a_change_that_is_not_material_notifies_nobody(client, subscriber):
    assert publish(material=False) == 0
    assert notice_banner(client) is None


@pytest.mark.clause("CGS-1-05")
def test_the_notice_shows_on_every_page_with_the_dates_until_the_learner_decides(client, subscriber):
    publish()
    for url in ("/cours", "/compte/parametres/premium", "/conditions-generales"):
        banner = notice_banner(client, url)
        text = text_of(banner).replace("\u00a0", " ")
        assert "changent le 1 mars 2027" in text and "jusqu'au 3 mars 2027" in text, url
    link = banner.select_one("a")["href"]
    page = flow.soup(client.get(link))
    assert text_of(page.h1) == "Nos conditions générales changent"
    assert text_of(page.select_one("#refusal-deadline")) == "3 mars 2027"
    new_terms = page.select_one("main a[href='/conditions-generales/version/2027-03']")
    assert new_terms is not None
    clock.freeze(datetime(2027, 2, 28, 12, 0, tzinfo=clock.PARIS))  # the day before it applies
    upcoming = flow.soup(client.get(new_terms["href"]))
    assert "applicable à partir du 1 mars 2027" in text_of(upcoming.select_one("p.meta"))
    pdf_link = upcoming.select_one("a[href='/conditions-generales/version/2027-03.pdf']")
    pdf = client.get(pdf_link["href"])
    assert pdf.mimetype == "application/pdf" and "2027-03" in pdf.headers["Content-Disposition"]
    client.post(page.select_one("form[action$='/accepter']")["action"])
    assert notice_banner(client) is None
    assert db.session.query(TermsChangeNotice).one().decision == TermsDecision.ACCEPTED


@pytest.mark.clause("CGS-1-05")
def test_refusing_within_thirty_days_terminates_without_fees_at_the_end_of_the_paid_month(client, subscriber):
    publish()
    notice = db.session.query(TermsChangeNotice).one()
    clock.freeze(datetime(2027, 3, 3, 23, 0, tzinfo=clock.PARIS))  # the last day
    page = flow.soup(client.get(f"/compte/conditions-generales/{notice.id}"))
    assert "sans frais" in text_of(page.main)
    response = client.post(f"/compte/conditions-generales/{notice.id}/refuser")
    assert response.headers["Location"] == "/compte/parametres/premium"
    subscription = db.session.query(Subscription).one()
    assert subscription.status == SubscriptionStatus.CANCELLING
    tab = flow.soup(client.get("/compte/parametres/premium"))
    assert "Vous avez refusé les nouvelles conditions" in text_of(tab.select_one(SUCCESS_MESSAGE))
    assert db.session.query(TermsChangeNotice).one().decision == TermsDecision.REFUSED
    assert notice_banner(client) is None


@pytest.mark.clause("CGS-1-05")
def test_after_thirty_days_using_the_platform_accepts_and_refusing_is_no_longer_offered(client, subscriber):
    publish()
    notice = db.session.query(TermsChangeNotice).one()
    clock.freeze(datetime(2027, 3, 4, 0, 0, tzinfo=clock.PARIS))
    assert notice_banner(client) is None  # this visit is the use that accepts
    notice = db.session.query(TermsChangeNotice).one()
    assert (notice.decision, notice.decided_at) == (TermsDecision.ACCEPTED_BY_USE, clock.now())
    assert db.session.get(User, subscriber.user_id).pending_terms_notice_id is None
    page = flow.soup(client.get(f"/compte/conditions-generales/{notice.id}"))
    assert page.select_one("form[action$='/refuser']") is None
    assert "ces conditions sont acceptées" in text_of(page.select_one("#terms-decision"))
    assert client.post(f"/compte/conditions-generales/{notice.id}/refuser").status_code == 302
    assert db.session.query(Subscription).one().status == SubscriptionStatus.ACTIVE


def last_mail_to(address: str) -> OutboxMessage:
    return db.session.query(OutboxMessage).filter_by(recipient=address).order_by(OutboxMessage.id.desc()).first()


@pytest.mark.clause("CGS-1-05")
def test_acceptance_by_use_is_confirmed_by_mail_with_the_dates(client, subscriber):
    publish()
    clock.freeze(datetime(2027, 3, 4, 0, 0, tzinfo=clock.PARIS))
    notice_banner(client)  # this visit accepts
    message = last_mail_to(subscriber.user.email)
    assert message.subject == "Les conditions générales 2027-03 s'appliquent à votre abonnement"
    text = " ".join(message.body_text.replace("\xa0", " ").split())
    assert ("après le délai de 30 jours, qui a pris fin le 3 mars 2027 : la version 2027-03 de nos conditions "
            "générales de services est acceptée depuis le 4 mars 2027") in text
    assert "/conditions-generales/version/2027-03" in text
    notice_banner(client)
    assert last_mail_to(subscriber.user.email).id == message.id  # told once


def test_an_explicit_acceptance_is_confirmed_by_mail_in_the_learners_language(client, subscriber):
    subscriber.user.locale = "en"
    publish()
    notice = db.session.query(TermsChangeNotice).one()
    clock.freeze(datetime(2027, 2, 3, 9, 0, tzinfo=clock.PARIS))
    client.post(f"/compte/conditions-generales/{notice.id}/accepter")
    message = last_mail_to(subscriber.user.email)
    assert message.language == "en"
    assert message.subject == "The terms of service 2027-03 apply to your subscription"


def test_refusing_while_a_renewal_is_unpaid_ends_the_subscription_with_nothing_more_charged_and_says_so(
        client, subscriber):
    publish()
    notice = db.session.query(TermsChangeNotice).one()
    subscriptions.transition(subscriber, SubscriptionStatus.PAST_DUE)  # the month's renewal was refused
    db.session.commit()
    page = flow.soup(client.get(f"/compte/conditions-generales/{notice.id}"))
    assert "Votre abonnement prendra fin aussitôt, sans frais" in text_of(page.main)
    assert "vous gardez l'accès jusqu'au" not in text_of(page.main)
    client.post(f"/compte/conditions-generales/{notice.id}/refuser")
    assert db.session.get(Subscription, subscriber.id).status == SubscriptionStatus.ENDED
    message = last_mail_to(subscriber.user.email)
    assert message.subject == "Votre abonnement Premium Solo a pris fin"
    assert "Plus rien ne sera prélevé." in message.body_text


def test_undoing_the_cancellation_after_refusing_makes_the_change_undecided_again(client, subscriber):
    publish()
    notice = db.session.query(TermsChangeNotice).one()
    client.post(f"/compte/conditions-generales/{notice.id}/refuser")
    client.post("/compte/parametres/premium/annuler-resiliation")
    assert db.session.query(Subscription).one().status == SubscriptionStatus.ACTIVE
    assert db.session.query(TermsChangeNotice).one().decision is None
    assert notice_banner(client) is not None


def test_a_notice_belongs_to_its_learner_only(client, subscriber, app):
    publish()
    notice = db.session.query(TermsChangeNotice).one()
    client.post("/deconnexion")
    other = make_user("other@example.org")
    db.session.commit()
    from tests.conftest import PASSWORD

    client.post("/connexion", data={"email": other.email, "password": PASSWORD})
    assert client.get(f"/compte/conditions-generales/{notice.id}").status_code == 404
    assert client.post(f"/compte/conditions-generales/{notice.id}/refuser").status_code == 404


def test_the_notice_in_english(client, subscriber):
    publish()
    banner = flow.soup(client.get("/cours", headers={"Accept-Language": "en"})).select_one("#terms-change-notice")
    text = text_of(banner).replace("\u00a0", " ")
    assert "March 1, 2027" in text and "March 3, 2027" in text


def test_the_window_never_closes_before_the_new_version_applies(client, subscriber):
    publish(effective_on=date(2027, 3, 15))
    assert db.session.query(TermsChangeNotice).one().last_day == date(2027, 3, 14)
