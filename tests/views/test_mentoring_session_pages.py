"""Mentoring sessions in the browser's pages: the learner books from "Mes séances de mentorat" and cancels from
it; the mentor offers slots and their video-call address; only the learner sees their sessions, only a mentor the
mentor's pages."""

from datetime import datetime

import pytest

from app.extensions import db
from app.models import MentoringSession, MentorSlot, OutboxMessage, SessionStatus
from app.services.common import clock
from tests.banners import SUCCESS_MESSAGE
from tests.conftest import check_page, signed_in_client, soup_of, text_of
from tests.factories import subscriber
from tests.plus_learners import IN_THE_PERIOD, SIGNED_UP, mentor, mentored_in_march, plus_learner

PAGE = "/mon-parcours/seances"


@pytest.fixture
def pair(app):
    return mentored_in_march()


@pytest.mark.clause("CGS-2.2-A1")
def test_the_learner_books_a_slot_and_cancels_it(app, pair):
    coach, subscription = pair
    learner = signed_in_client(app, subscription.user)
    page = soup_of(learner.get(PAGE))
    check_page(page)
    assert f"Votre mentor est {coach.full_name}." in text_of(page.main)
    assert "4 séances restantes sur 4" in text_of(page.select_one("#session-periods"))
    options = page.select("input[name=starts_at]")
    assert [text_of(page.select_one(f"label[for={option['id']}]")) for option in options][0] == \
        "14 mars 2027 à 18:00"
    refused = soup_of(learner.post(PAGE, data={}))
    assert "Choisissez un créneau" in text_of(refused.select_one("#starts_at-error"))
    response = learner.post(PAGE, data={"starts_at": options[0]["value"]})
    assert response.headers["Location"] == PAGE
    page = soup_of(learner.get(PAGE))
    assert "Votre séance est réservée le 14 mars 2027 à 18:00" in text_of(page.select_one(SUCCESS_MESSAGE))
    assert "3 séances restantes sur 4" in text_of(page.select_one("#session-periods"))
    session = db.session.query(MentoringSession).one()
    cancel = page.select_one(f"#booked-sessions a[href='{PAGE}/{session.id}/annuler']")
    confirm = soup_of(learner.get(cancel["href"]))
    check_page(confirm)
    assert confirm.select_one("#late-cancellation") is None and confirm.select_one("textarea") is None
    learner.post(cancel["href"], data={})
    assert session.status == SessionStatus.CANCELLED


def test_the_learner_moves_a_session_to_another_free_start(app, pair):
    _coach, subscription = pair
    learner = signed_in_client(app, subscription.user)
    learner.post(PAGE, data={"starts_at": soup_of(learner.get(PAGE)).select_one("input[name=starts_at]")["value"]})
    session = db.session.query(MentoringSession).one()
    link = soup_of(learner.get(PAGE)).select_one(f"#booked-sessions a[href='{PAGE}/{session.id}/deplacer']")
    page = soup_of(learner.get(link["href"]))
    check_page(page)
    labels = [text_of(label) for label in page.select("#starts_at label")]
    assert "14 mars 2027 à 18:00" not in labels and "21 mars 2027 à 18:00" in labels
    learner.post(link["href"], data={"starts_at": page.select("input[name=starts_at]")[0]["value"]})
    assert session.sequence == 1 and session.status == SessionStatus.BOOKED
    notice = text_of(soup_of(learner.get(PAGE)).select_one(SUCCESS_MESSAGE))
    assert "Votre séance est déplacée au 21 mars 2027 à 18:00" in notice


def test_a_late_cancellation_asks_for_its_reason_next_to_the_field(app, pair):
    _coach, subscription = pair
    learner = signed_in_client(app, subscription.user)
    learner.post(PAGE, data={"starts_at": soup_of(learner.get(PAGE)).select_one("input[name=starts_at]")["value"]})
    session = db.session.query(MentoringSession).one()
    clock.freeze(datetime(2027, 3, 14, 12, 0, tzinfo=clock.PARIS))
    url = f"{PAGE}/{session.id}/annuler"
    page = soup_of(learner.get(url))
    assert page.select_one("#late-cancellation") is not None
    refused = soup_of(learner.post(url, data={"reason": ""}))
    assert "indiquez le motif" in text_of(refused.select_one("#reason-error"))
    assert session.status == SessionStatus.BOOKED


@pytest.mark.clause("CGS-2.2-A1")
def test_nobody_else_sees_or_cancels_the_session(app, pair):
    _coach, subscription = pair
    learner = signed_in_client(app, subscription.user)
    learner.post(PAGE, data={"starts_at": soup_of(learner.get(PAGE)).select_one("input[name=starts_at]")["value"]})
    session = db.session.query(MentoringSession).one()
    stranger = signed_in_client(app, subscriber("solo@example.org"))
    assert stranger.get(PAGE).status_code == 404
    assert stranger.get(f"{PAGE}/{session.id}/annuler").status_code == 404
    assert stranger.get("/mentor/disponibilites").status_code == 404


def test_the_mentor_offers_slots_and_a_video_address_and_sees_the_sessions(app, pair):
    coach, subscription = pair
    mentor_browser = signed_in_client(app, coach)
    page = soup_of(mentor_browser.get("/mentor/disponibilites"))
    check_page(page)
    assert "Chaque dimanche à 18:00 (Europe/Paris)" in text_of(page.select_one("#slots"))
    refused = soup_of(mentor_browser.post("/mentor/disponibilites", data={
        "video-video_call_url": "http://pas-chiffre.example.org"}))
    assert "https://" in text_of(refused.select_one("#video-video_call_url-error"))
    mentor_browser.post("/mentor/disponibilites", data={"slot-weekday": "1", "slot-starts_at": "09:30",
                                                        "slot-time_zone": "America/Montreal"})
    slot = db.session.query(MentorSlot).filter_by(weekday=1).one()
    assert (slot.starts_at.strftime("%H:%M"), slot.time_zone) == ("09:30", "America/Montreal")
    learner = signed_in_client(app, subscription.user)
    labels = [text_of(label) for label in soup_of(learner.get(PAGE)).select("#starts_at label")]
    assert "16 mars 2027 à 14:30" in labels  # 09:30 in Montreal (summer time since 14 March) is 14:30 in Paris
    learner.post(PAGE, data={"starts_at": soup_of(learner.get(PAGE)).select_one("input[name=starts_at]")["value"]})
    home = soup_of(mentor_browser.get("/mentor"))
    assert subscription.user.full_name in text_of(home.select_one("#upcoming-sessions"))


def test_without_a_video_address_nothing_can_be_booked(app):
    clock.freeze(SIGNED_UP)
    coach = mentor("thomas@example.org", "developpeur-application-python")
    from tests.plus_learners import plus_learner

    subscription = plus_learner("lea.plus@example.org")
    clock.freeze(IN_THE_PERIOD)
    page = soup_of(signed_in_client(app, subscription.user).get(PAGE))
    assert page.select_one("#no-free-slot") is not None
    assert soup_of(signed_in_client(app, coach).get("/mentor/disponibilites")).select_one("#video-missing")


def test_the_pages_in_english(app, pair):
    coach, subscription = pair
    page = soup_of(signed_in_client(app, subscription.user).get(PAGE, headers={"Accept-Language": "en"}))
    assert text_of(page.h1) == "My mentoring sessions"
    mentor_page = soup_of(signed_in_client(app, coach).get("/mentor/disponibilites", headers={"Accept-Language": "en"}))
    assert text_of(mentor_page.h1) == "My availability"


def test_a_learner_reads_the_sessions_in_the_time_zone_they_choose(app):
    coach, subscription = mentored_in_march()
    client = signed_in_client(app, subscription.user)
    assert client.post("/mon-parcours/seances/fuseau", data={"time_zone": "Mars/Olympus"}).status_code == 302
    assert subscription.user.time_zone is None  # a name outside the list changes nothing
    client.post("/mon-parcours/seances/fuseau", data={"time_zone": "America/Montreal"})
    page = soup_of(client.get("/mon-parcours/seances"))
    assert "Les horaires sont maintenant à l'heure de Montreal." in [text_of(n) for n in page.select(SUCCESS_MESSAGE)]
    assert "Les horaires sont à l'heure de Montreal" in text_of(page.select_one("main"))
    # Sunday 18:00 in Paris is 13:00 in Montreal (both on summer time from 28 March, Montreal from 14 March).
    assert [text_of(label) for label in page.select("label[for^=starts_at]")][:1] == ["14 mars 2027 à 13:00"]
    client.post("/mon-parcours/seances", data={"starts_at": "2027-03-14T17:00:00+00:00"})
    [to_learner] = [message for message in db.session.query(OutboxMessage).filter_by(
        recipient=subscription.user.email) if message.subject.startswith("Séance de mentorat le")]
    assert to_learner.subject == "Séance de mentorat le 14 mars 2027 à 13:00"
    assert "le 14 mars 2027 à 13:00 (heure de Montreal)" in to_learner.body_text
    [to_mentor] = [message for message in db.session.query(OutboxMessage).filter_by(recipient=coach.email)
                   if message.subject.startswith("Séance de mentorat le")]
    assert "le 14 mars 2027 à 18:00 (heure de Paris)" in to_mentor.body_text


def test_the_sessions_page_reads_the_sessions_once_in_a_fixed_number_of_statements(app, pair, statements):
    from app.services.mentoring import availability, sessions

    _coach, subscription = pair
    other = plus_learner("noe.plus@example.org")  # the same mentor
    clock.freeze(IN_THE_PERIOD)
    for start in availability.free_starts(subscription)[:2]:  # 14 and 21 March
        sessions.book(subscription, start)
    clock.freeze(datetime(2027, 3, 25, 9, 0, tzinfo=clock.PARIS))
    for start in availability.free_starts(subscription)[1:3]:  # 4 April, then 11 April in the next period
        sessions.book(subscription, start)
    [last_free] = availability.free_starts(subscription)  # 28 March
    sessions.book(other, last_free)
    db.session.commit()
    learner = signed_in_client(app, subscription.user)
    statements.clear()
    page = soup_of(learner.get(PAGE))
    # The session; the subscription with its Parcours and mentor; the learner's sessions and the mentor's others
    # ahead; the mentor's slots; a suspension: whatever the number of sessions.
    assert len(statements) <= 5, "\n".join(statements)
    assert [text_of(period) for period in page.select("#session-periods li")] == [
        "Du 8 mars 2027 au 8 avril 2027 : 1 séance restante sur 4",
        "Du 8 avril 2027 au 8 mai 2027 : 3 séances restantes sur 4"]
    assert [text_of(item).split(" — ")[0] for item in page.select("#booked-sessions li")] == [
        "Le 4 avril 2027 à 18:00", "Le 11 avril 2027 à 18:00"]
    assert [text_of(item).split(" — ")[0] for item in page.select("#past-sessions li")] == [
        "Le 21 mars 2027 à 18:00", "Le 14 mars 2027 à 18:00"]
    # The other learner's session takes the last free start; it is not counted in this learner's periods.
    assert page.select("input[name=starts_at]") == [] and page.select_one("#no-free-slot") is not None
