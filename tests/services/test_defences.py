"""The final defence (CGS-DEF-3; issue: Premium Plus for real): asked for once the Parcours is completed, with the
accommodations the learner needs; scheduled by Student Success with a jury, an invitation that a real calendar
parser reads back, the same event updated when it is moved; the jury's decision closes the request."""

from datetime import date, time

import pytest
from icalendar import Calendar

from app.models.commerce import OfferKind
from app.services.commerce import subscriptions
from app.services.common import clock
from app.services.learning import defences, diplomas
from app.services.learning.defences import Accommodations, Schedule
from tests.diploma_candidates import (
    COMMENTS,
    COMPLETED_AT,
    DECIDED_AT,
    DEFENCE,
    complete,
    learner_with,
    parcours_named,
    staff_member,
)
from tests.outcomes import errors_of, mails_to

DEF3 = pytest.mark.clause("CGS-DEF-3")
PLAN = Schedule(date(2026, 12, 22), time(14, 30), 60, "https://visio.example.org/jury-12", "Mme Durand, M. Petit",
                "Un tiers temps : la soutenance dure 80 minutes.")


@pytest.fixture
def completed(app):
    """Léa Martin, Premium Plus on the Python Parcours, every course passed and every required project validated on
    1 December 2026; it is now 15 December 2026."""
    clock.freeze(COMPLETED_AT)
    learner = learner_with(OfferKind.PLUS)
    complete(learner, parcours_named())
    clock.freeze(DECIDED_AT)
    return learner, subscriptions.current_subscription(learner.id, OfferKind.PLUS)




@DEF3
def test_the_defence_is_asked_for_once_the_parcours_is_completed(app):
    clock.freeze(COMPLETED_AT)
    learner = learner_with(OfferKind.PLUS)
    subscription = subscriptions.current_subscription(learner.id, OfferKind.PLUS)
    complete(learner, parcours_named(), projects_left=1)
    assert not defences.may_ask(learner, subscription)
    assert errors_of(lambda: defences.ask(learner, subscription, Accommodations())) == {
        None: "La soutenance se demande une fois tous les cours réussis et tous les projets obligatoires validés, et "
              "une seule demande à la fois."}
    complete(learner, parcours_named())
    assert defences.may_ask(learner, subscription)
    request = defences.ask(learner, subscription, Accommodations())
    assert not request.asks_accommodations and not defences.may_ask(learner, subscription)


def test_accommodations_are_recorded_and_another_format_is_described(completed):
    learner, subscription = completed
    assert errors_of(lambda: defences.ask(learner, subscription, Accommodations(other_format=True))) == {
        "details": "Décrivez le format qui vous convient : nous l'organisons avec le jury."}
    request = defences.ask(learner, subscription, Accommodations(
        extra_time=True, sign_language=True, details="Un tiers temps, comme au baccalauréat."))
    assert (request.extra_time, request.sign_language, request.other_format) == (True, True, False)
    assert request.accommodation_details == "Un tiers temps, comme au baccalauréat."
    [acknowledged] = mails_to(learner.email)
    assert "Un interprète en langue des signes" in acknowledged.body_text
    assert [asked.id for asked in defences.to_schedule()] == [request.id]


def test_staff_schedule_it_and_both_get_an_invitation_a_calendar_reads(completed):
    learner, subscription = completed
    request = defences.ask(learner, subscription, Accommodations(extra_time=True))
    staff = staff_member()
    defences.schedule(request, staff, PLAN)
    event = _event(learner.email)
    assert event["uid"] == request.uid and int(event["sequence"]) == 0
    assert event.decoded("dtstart").isoformat() == "2026-12-22T13:30:00+00:00"  # 14:30 in Paris, in winter
    assert event.decoded("dtend").isoformat() == "2026-12-22T14:30:00+00:00"
    assert str(event["location"]) == "https://visio.example.org/jury-12"
    assert _event(staff.email)["uid"] == request.uid
    mail = mails_to(learner.email)[-1]
    assert mail.subject == "Soutenance finale programmée le 22 décembre 2026 à 14:30"
    assert "Un tiers temps : la soutenance dure 80 minutes." in mail.body_text
    defences.schedule(request, staff, Schedule(date(2026, 12, 23), time(9, 0), 80, PLAN.video_url, PLAN.jury,
                                               PLAN.accommodation_answer))
    moved = _event(learner.email)
    assert moved["uid"] == request.uid and int(moved["sequence"]) == 1
    assert mails_to(learner.email)[-1].subject == "Soutenance finale déplacée au 23 décembre 2026 à 09:00"


def _event(email: str):
    message = mails_to(email)[-1]
    [attachment] = message.attachments
    assert attachment.filename == "soutenance.ics" and attachment.content_type == "text/calendar"
    calendar = Calendar.from_ical(attachment.content)
    assert str(calendar["method"]) == "REQUEST"
    [event] = calendar.walk("VEVENT")
    return event


def test_the_schedule_is_checked_field_by_field(completed):
    learner, subscription = completed
    request = defences.ask(learner, subscription, Accommodations(sign_language=True))
    errors = errors_of(lambda: defences.schedule(request, staff_member(), Schedule(
        date(2026, 12, 1), time(10, 0), 5, "http://visio.example.org", " ", "")))
    assert errors == {
        "starts_on": "La soutenance se programme dans le futur.",
        "minutes": "Indiquez une durée entre 20 et 240 minutes.",
        "video_url": "Indiquez l'adresse de la visioconférence, commençant par https://.",
        "jury": "Indiquez les membres du jury.",
        "accommodation_answer": "Répondez aux aménagements demandés : ce qui est accordé, et comment."}
    assert errors_of(lambda: defences.schedule(request, staff_member("autre.staff@example.org"), Schedule(
        None, None, 10**12, PLAN.video_url, PLAN.jury, "Accordé."))) == {
        "starts_on": "Indiquez la date de la soutenance.",
        "starts_time": "Indiquez l'heure de début, par exemple 14:30.",
        "minutes": "Indiquez une durée entre 20 et 240 minutes."}
    assert not request.is_scheduled


@DEF3
def test_the_jurys_decision_closes_the_request_and_another_may_follow_an_unfavourable_one(completed):
    learner, subscription = completed
    defences.ask(learner, subscription, Accommodations())
    diplomas.record_decision(learner, parcours_named(), staff_member(), DEFENCE, False, COMMENTS)
    assert defences.open_request(learner.id, parcours_named().id) is None
    assert defences.may_ask(learner, subscription)
    defences.ask(learner, subscription, Accommodations())
    diplomas.record_decision(learner, parcours_named(), staff_member("autre.staff@example.org"), DEFENCE, True,
                             COMMENTS)
    assert not defences.may_ask(learner, subscription)  # the diploma is issued
