"""Attendance at mentoring sessions (CGS-2.2-E1, Student Rules): the mentor records it after the session (late by
more than 15 minutes counts as absent) with a note; the learner reads every record, is told by mail, and may contest
one in writing; two unjustified absences within three months put the learner on Student Success's list."""

from datetime import datetime

import pytest

from app.extensions import db
from app.models import Attendance, ContactRequest, MentoringSession, OutboxMessage
from app.models.support import ContactQuestion
from app.services.common import clock
from app.services.mentoring import attendance, availability, sessions
from tests.conftest import check_page, signed_in_client, soup_of, text_of
from tests.factories import make_staff
from tests.plus_learners import IN_THE_PERIOD, mentored_in_march

AFTER_TWO_SUNDAYS = datetime(2027, 3, 22, 10, 0, tzinfo=clock.PARIS)


@pytest.fixture
def two_sessions(app):
    """Léa booked Thomas's next two Sundays, which are now over."""
    coach, subscription = mentored_in_march()
    for start in availability.free_starts(subscription)[:2]:
        sessions.book(subscription, start)
    db.session.commit()
    clock.freeze(AFTER_TWO_SUNDAYS)
    return coach, subscription, db.session.query(MentoringSession).order_by(MentoringSession.starts_at).all()


@pytest.mark.clause("CGS-2.2-E1")
def test_the_mentor_records_attendance_and_the_learner_reads_it_and_is_told(app, two_sessions):
    coach, subscription, (first, _second) = two_sessions
    mentor = signed_in_client(app, coach)
    home = soup_of(mentor.get("/mentor"))
    check_page(home)
    forms = home.select("#attendance-to-record form")
    assert len(forms) == 2
    url = f"/mentor/seances/{first.id}/presence"
    refused = soup_of(mentor.post(url, data={f"session-{first.id}-note": "Pas venu."}))
    assert "Choisissez ce qui s'est passé" in text_of(refused.select_one(f"#session-{first.id}-attendance-error"))
    assert refused.select_one(f"#session-{first.id}-note").get_text().strip() == "Pas venu."
    mentor.post(url, data={f"session-{first.id}-attendance": "late", f"session-{first.id}-note": "Arrivée à 18:25."})
    assert first.attendance == Attendance.LATE
    told = db.session.query(OutboxMessage).filter_by(recipient=subscription.user.email).order_by(
        OutboxMessage.id.desc()).first()
    assert "En retard de plus de 15 minutes (compté absent)" in told.subject
    assert "Arrivée à 18:25." in told.body_text
    page = soup_of(signed_in_client(app, subscription.user).get("/mon-parcours/seances"))
    past = text_of(page.select_one("#past-sessions"))
    assert "En retard de plus de 15 minutes (compté absent) — Note de votre mentor : Arrivée à 18:25." in past
    assert "Présence pas encore enregistrée par votre mentor" in past


def test_a_session_not_begun_or_someone_elses_is_not_recorded(app, two_sessions):
    coach, subscription, (first, _second) = two_sessions
    clock.freeze(IN_THE_PERIOD)
    assert signed_in_client(app, coach).post(f"/mentor/seances/{first.id}/presence",
                                              data={f"session-{first.id}-attendance": "present"}).status_code == 404
    clock.freeze(AFTER_TWO_SUNDAYS)
    assert signed_in_client(app, subscription.user).post(
        f"/mentor/seances/{first.id}/presence", data={f"session-{first.id}-attendance": "absent"}).status_code == 404
    assert first.attendance is None


@pytest.mark.clause("CGS-2.2-E1")
def test_the_learner_contests_a_record_in_writing(app, two_sessions):
    coach, subscription, (first, _second) = two_sessions
    attendance.record(first, coach, Attendance.ABSENT, "")
    db.session.commit()
    learner = signed_in_client(app, subscription.user)
    link = soup_of(learner.get("/mon-parcours/seances")).select_one("#past-sessions a[href$='/contester']")
    page = soup_of(learner.get(link["href"]))
    check_page(page)
    refused = soup_of(learner.post(link["href"], data={"message": ""}))
    assert "Expliquez ce qui est inexact" in text_of(refused.select_one("#message-error"))
    learner.post(link["href"], data={"message": "J'étais connectée à 18:00, mon mentor ne l'était pas."})
    request = db.session.query(ContactRequest).one()
    assert request.question == ContactQuestion.ATTENDANCE and request.user_id == subscription.user_id
    assert request.message.startswith("Séance du 14 mars 2027 à 18:00 (heure de Paris) avec")
    assert "enregistrée : Absent, sans excuse." in request.message


@pytest.mark.clause("CGS-2.2-E1")
def test_student_success_corrects_a_contested_record_and_the_absence_no_longer_counts(app, two_sessions):
    coach, subscription, (first, second) = two_sessions
    attendance.record(first, coach, Attendance.ABSENT, "")
    attendance.record(second, coach, Attendance.ABSENT, "")
    db.session.commit()
    assert [learner.id for learner, _count in attendance.to_warn()] == [subscription.user_id]
    learner = signed_in_client(app, subscription.user)
    learner.post(f"/mon-parcours/seances/{first.id}/contester",
                 data={"message": "J'étais connectée à 18:00, mon mentor ne l'était pas."})
    request = db.session.query(ContactRequest).one()
    staff = signed_in_client(app, make_staff())
    page = soup_of(staff.get(f"/equipe/demandes/{request.id}"))
    correction_url = page.select_one("#contested-session a")["href"]
    assert correction_url == f"/equipe/assiduite/seances/{first.id}/corriger"
    assert staff.get(f"/equipe/assiduite/seances/{second.id}/corriger").status_code == 404  # not contested
    refused = soup_of(staff.post(correction_url, data={"attendance": ""}))
    assert "Choisissez ce qui s'est passé." in text_of(refused.select_one("#attendance-error"))
    response = staff.post(correction_url, data={"attendance": "present", "note": "Le mentor s'est trompé de jour."})
    assert response.location == f"/equipe/demandes/{request.id}"
    assert db.session.get(MentoringSession, first.id).attendance == Attendance.PRESENT
    assert attendance.to_warn() == []
    [told] = [message for message in db.session.query(OutboxMessage).filter_by(recipient=subscription.user.email)
              if "présence corrigée" in message.subject]
    assert told.subject.endswith("présence corrigée, Présent")
    assert signed_in_client(app, subscription.user).get(correction_url).status_code == 404  # staff only


@pytest.mark.clause("CGS-2.2-E1")
def test_two_unjustified_absences_in_three_months_put_the_learner_on_the_list(app, two_sessions):
    coach, subscription, (first, second) = two_sessions
    staff = signed_in_client(app, make_staff())
    attendance.record(first, coach, Attendance.ABSENT, "")
    attendance.record(second, coach, Attendance.EXCUSED, "Malade, prévenu la veille.")
    db.session.commit()
    assert attendance.to_warn() == []
    assert soup_of(staff.get("/equipe/assiduite")).select_one("#nobody-to-warn") is not None
    attendance.record(second, coach, Attendance.LATE, "")
    db.session.commit()
    page = soup_of(staff.get("/equipe/assiduite"))
    check_page(page)
    assert text_of(page.select_one("#attendance tbody th")) == subscription.user.full_name
    assert text_of(page.select_one("#attendance tbody td")) == "2"
    clock.freeze(datetime(2027, 6, 16, 10, 0, tzinfo=clock.PARIS))  # the first absence is over three months old
    assert attendance.to_warn() == []


def test_the_pages_in_english(app, two_sessions):
    coach, subscription, (first, _second) = two_sessions
    home = soup_of(signed_in_client(app, coach).get("/mentor", headers={"Accept-Language": "en"}))
    assert text_of(home.select_one("#to-record-title")) == "Attendance to record"
    attendance.record(first, coach, Attendance.PRESENT, "")
    db.session.commit()
    page = soup_of(signed_in_client(app, subscription.user).get("/mon-parcours/seances",
                                                                headers={"Accept-Language": "en"}))
    assert "Present" in text_of(page.select_one("#past-sessions"))
