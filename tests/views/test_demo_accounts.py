"""`flask demo load` gives a newcomer one account for each kind of person the portal serves, with a history made
through the services, and prints them; running it again changes nothing; production gets none."""

import re
from datetime import datetime

import pytest
from sqlalchemy import func, select

from app import demo_accounts
from app.extensions import db
from app.models import Invoice, Subscription, User
from app.models.commerce import OfferKind, SubscriptionStatus
from app.services.common import clock
from tests.conftest import soup_of, text_of

NOW = datetime(2026, 12, 5, 10, 0, tzinfo=clock.PARIS)


@pytest.fixture(autouse=True)
def today():
    clock.freeze(NOW)


@pytest.fixture
def loaded(app):
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    return result.output


def sign_in(client, email: str):
    response = client.post("/connexion", data={"email": email, "password": demo_accounts.PASSWORD})
    assert response.status_code == 302, email
    return client


def subscription_of(email: str) -> Subscription:
    return db.session.scalars(select(Subscription).join(User).where(User.email == email)).one()


def test_demo_load_prints_every_account_with_its_password_and_the_guardians_link(loaded):
    assert f"password {demo_accounts.PASSWORD!r}" in loaded
    for account in demo_accounts.ACCOUNTS:
        line = next(line for line in loaded.splitlines() if account.email in line)
        assert account.shows in line
    assert re.search(r"http://127\.0\.0\.1:5000/representant/\S+", loaded)
    assert "8 created now" in loaded


def test_every_demo_account_signs_in_with_the_printed_password(loaded, app):
    for account in demo_accounts.ACCOUNTS:
        client = sign_in(app.test_client(), account.email)
        assert "Se déconnecter" in text_of(soup_of(client.get("/")).select_one("header"))


def test_the_solo_learner_has_paid_months_with_their_invoices_on_the_premium_tab(loaded, app):
    subscription = subscription_of(demo_accounts.SOLO.email)
    assert (subscription.offer, subscription.status) == (OfferKind.SOLO, SubscriptionStatus.ACTIVE)
    numbers = db.session.scalars(select(Invoice.number).where(Invoice.user_id == subscription.user_id)).all()
    assert len(numbers) == 2  # the first month (2 November) and its renewal (2 December)
    page = soup_of(sign_in(app.test_client(), demo_accounts.SOLO.email).get("/compte/parametres/premium"))
    assert set(numbers) <= set(text_of(page.select_one("main")).split())


def test_the_plus_learner_signed_after_the_reflection_period_and_paid(loaded, app):
    subscription = subscription_of(demo_accounts.PLUS.email)
    assert (subscription.offer, subscription.status) == (OfferKind.PLUS, SubscriptionStatus.ACTIVE)
    assert subscription.reflection_ends_at is not None and subscription.current_period_start is not None
    assert subscription.current_period_start > subscription.reflection_ends_at
    page = soup_of(sign_in(app.test_client(), demo_accounts.PLUS.email).get("/compte/parametres/premium"))
    assert "Premium Plus" in text_of(page.select_one("main"))


def test_the_demo_invoices_are_numbered_in_the_order_of_their_dates(loaded):
    invoices = db.session.scalars(select(Invoice).order_by(Invoice.number)).all()
    assert len(invoices) == 6  # Hugo and Jade, two months each; Léa and Yanis, one each
    assert [invoice.issued_at for invoice in invoices] == sorted(invoice.issued_at for invoice in invoices)


def test_the_minors_guardian_answers_from_the_printed_link(loaded, client):
    path = re.search(r"http://127\.0\.0\.1:5000(/representant/\S+)", loaded)[1]
    page = soup_of(client.get(path))
    assert "Noah Leroy" in text_of(page.select_one("main"))
    assert {button["name"] for button in page.select("main form [type=submit]")} == {"approve", "refuse"}


def test_the_solo_learner_has_a_question_answered_and_a_complaint_to_add_to(loaded, app):
    page = soup_of(sign_in(app.test_client(), demo_accounts.SOLO.email).get("/compte/parametres/demandes"))
    complaint, question = page.select("section.request")
    assert "Statut En attente de réponse" in text_of(complaint) and complaint.form is not None
    assert "pré-autorisation de votre banque" in text_of(question) and question.form is None


def test_the_mentor_accompanies_the_plus_learners_who_see_him(loaded, app):
    space = soup_of(sign_in(app.test_client(), demo_accounts.MENTOR.email).get("/mentor"))
    assert [text_of(row.th) for row in space.select("table#learners tbody tr")] == ["Léa Bernard", "Yanis Haddad"]
    [waiting] = space.select("#projects-to-evaluate li")
    assert text_of(waiting).startswith("« Développez un programme de gestion de tournois d'échecs » de Léa Bernard")
    tab = soup_of(sign_in(app.test_client(), demo_accounts.PLUS.email).get("/compte/parametres/premium"))
    assert text_of(tab.select_one("#mentor")) == "Thomas Girard"


def test_the_staff_account_opens_the_back_office_and_the_learners_do_not(loaded, app):
    back_office = soup_of(sign_in(app.test_client(), demo_accounts.STAFF.email).get("/equipe"))
    assert "Demandes et réclamations" in text_of(back_office.select_one("main"))
    # The back office does not even tell a learner that it exists.
    assert sign_in(app.test_client(), demo_accounts.SOLO.email).get("/equipe").status_code == 404


def test_loading_the_demo_again_creates_nothing_and_charges_nothing(loaded, app):
    counts = (db.session.scalar(select(func.count()).select_from(User)),
              db.session.scalar(select(func.count()).select_from(Invoice)))
    again = app.test_cli_runner().invoke(args=["demo", "load"])
    assert again.exit_code == 0, again.output
    assert "0 created now" in again.output
    assert (db.session.scalar(select(func.count()).select_from(User)),
            db.session.scalar(select(func.count()).select_from(Invoice))) == counts


def test_a_later_demo_starts_after_the_invoices_already_issued(loaded, app):
    """An account made again later (here the Solo learner's address freed) never numbers an invoice before a date
    already invoiced."""
    db.session.execute(User.__table__.update().where(User.email == demo_accounts.SOLO.email)
                       .values(email="ancien.solo@example.org"))
    clock.freeze(datetime(2026, 12, 20, 10, 0, tzinfo=clock.PARIS))  # 75 days back is before the last invoice
    again = app.test_cli_runner().invoke(args=["demo", "load"])
    assert again.exit_code == 0, again.output
    invoices = db.session.scalars(select(Invoice).order_by(Invoice.number)).all()
    assert len(invoices) > 3
    assert [invoice.issued_at for invoice in invoices] == sorted(invoice.issued_at for invoice in invoices)


def test_a_demo_made_days_after_the_last_invoice_dates_nothing_in_the_future(loaded, app):
    """Too little time since the last invoice for a Premium Plus learner's seven days of reflection: she is made
    in her reflection period, and nothing is dated after now."""
    db.session.execute(User.__table__.update().where(User.email == demo_accounts.PLUS.email)
                       .values(email="ancienne.plus@example.org"))
    now = datetime(2026, 12, 8, 10, 0, tzinfo=clock.PARIS)  # the last invoice was issued on 2 December
    clock.freeze(now)
    again = app.test_cli_runner().invoke(args=["demo", "load"])
    assert again.exit_code == 0, again.output
    subscription = subscription_of(demo_accounts.PLUS.email)
    assert subscription.status == SubscriptionStatus.REFLECTION and subscription.reflection_ends_at > now
    assert db.session.scalar(select(func.max(Invoice.issued_at))) <= now


def test_production_and_the_benchmarks_get_no_demo_account(app):
    app.config["PORTAL_ENV"] = "production"
    try:
        in_production = app.test_cli_runner().invoke(args=["demo", "load"])
    finally:
        app.config["PORTAL_ENV"] = "testing"
    catalogue_only = app.test_cli_runner().invoke(args=["demo", "load", "--catalogue-only"])
    assert in_production.exit_code == 0 and catalogue_only.exit_code == 0
    assert "No demo accounts in production" in in_production.output
    emails = [account.email for account in demo_accounts.ACCOUNTS]
    assert db.session.scalar(select(func.count()).select_from(User).where(User.email.in_(emails))) == 0


def test_the_fathers_guardian_space_shows_the_wards_subscription_and_invoices(loaded, app):
    link = re.search(r"http://127\.0\.0\.1:5000(/representant/espace/acces/\S+)", loaded)[1]
    father = app.test_client()
    assert father.get(link).headers["Location"] == "/representant/espace"
    ward = soup_of(father.get("/representant/espace")).select_one("section.ward")
    assert text_of(ward.h2) == "Jade Roux"
    subscription = subscription_of(demo_accounts.WARD.email)
    numbers = db.session.scalars(select(Invoice.number).where(Invoice.subscription_id == subscription.id)).all()
    assert len(numbers) >= 2 and {text_of(th) for th in ward.select("table tbody th")} == set(numbers)


def test_the_defence_ready_learner_missed_two_sessions_and_is_on_the_attendance_list(loaded, app):
    staff = sign_in(app.test_client(), demo_accounts.STAFF.email)
    page = soup_of(staff.get("/equipe/assiduite"))
    [row] = page.select("table#attendance tbody tr")
    assert text_of(row.th) == "Yanis Haddad"
    assert row.select_one("a[href^='/equipe/procedures/nouvelle/']") is not None
    past = soup_of(sign_in(app.test_client(), demo_accounts.PLUS.email).get("/mon-parcours/seances"))
    assert "Bonne séance" in text_of(past.select_one("#past-sessions"))


def test_the_plus_learner_lands_on_her_parcours_with_projects_validated_and_one_waiting(loaded, app):
    client = app.test_client()
    response = client.post("/connexion", data={"email": demo_accounts.PLUS.email, "password": demo_accounts.PASSWORD})
    assert response.headers["Location"] == "/mon-parcours"
    page = soup_of(client.get("/mon-parcours"))
    assert text_of(page.select_one("#projects-validated")) == "2 projets obligatoires validés sur 8"
    assert "Bonne séance : nous avons revu le projet 3 ensemble" in text_of(page.select_one("#last-word"))
    assert text_of(page.select_one("#next-session-when")).endswith("avec Thomas Girard")


def test_the_defence_ready_learner_waits_for_the_jury_and_sees_the_defence_next(loaded, app):
    staff = sign_in(app.test_client(), demo_accounts.STAFF.email)
    assert "Yanis Haddad" in text_of(soup_of(staff.get("/equipe/soutenances")).select_one("main"))
    page = soup_of(sign_in(app.test_client(), demo_accounts.DEFENCE.email).get("/continuer"))
    assert text_of(page.select_one("#parcours-passed")) == "5 cours validés sur 5"
    assert text_of(page.select_one("#parcours-next")).endswith("Ma soutenance finale")
    page = soup_of(sign_in(app.test_client(), demo_accounts.DEFENCE.email).get("/mon-parcours"))
    assert text_of(page.select_one("#ask-defence")) == "Demander ma soutenance"


def test_the_plus_learner_has_a_session_booked_with_her_mentor(loaded, app):
    page = soup_of(sign_in(app.test_client(), demo_accounts.PLUS.email).get("/mon-parcours/seances"))
    assert len(page.select("#booked-sessions li")) == 1
    assert page.select("input[name=starts_at]")  # more free starts to book
    mentor = soup_of(sign_in(app.test_client(), demo_accounts.MENTOR.email).get("/mentor"))
    assert "Léa Bernard" in text_of(mentor.select_one("#upcoming-sessions"))
