"""In a real browser, in French and in English, by keyboard: after a session, the mentor records the learner's
attendance from their space (the outcome announced and focused), and the learner contests it from their sessions,
arriving on Mes demandes. axe finds nothing in any of these states."""

from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import MentoringSession
from app.services.common import clock
from app.services.mentoring import availability, sessions
from tests.banners import FOCUSED_SUCCESS
from tests.browser.conftest import axe_check
from tests.browser.keyboard import press_enter_on, tab_to
from tests.browser.learners import sign_in
from tests.plus_learners import mentored

LANGUAGES = pytest.mark.parametrize("lang", ["fr", "en"])


@LANGUAGES
def test_attendance_is_recorded_then_contested_by_keyboard(page, live_app, lang, say):
    with live_app.test_request_context(), clock.travelling():
        clock.move_to(datetime.now(clock.PARIS) - timedelta(days=20))
        coach, subscription = mentored(f"coach.att.{lang}@example.org", f"learner.att.{lang}@example.org",
                                       (datetime.now(clock.PARIS) - timedelta(days=2)).weekday(), "09:00")
        clock.move_to(datetime.now(clock.PARIS) - timedelta(days=10))
        start = next(start for start in availability.free_starts(subscription)
                     if start < datetime.now(clock.PARIS) - timedelta(days=1))
        sessions.book(subscription, start)
        db.session.commit()
        session_id = db.session.query(MentoringSession.id).filter_by(subscription_id=subscription.id).scalar()
        coach_email, learner_email = coach.email, subscription.user.email
    sign_in(page, coach_email)
    page.goto("/mentor")
    expect(page.locator("#to-record-title")).to_have_text(say("Présences à enregistrer"))
    axe_check(page)
    tab_to(page, f"#session-{session_id}-attendance-0")  # the group: "present" first
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # "absent"
    expect(page.locator(f"#session-{session_id}-attendance-2")).to_be_checked()
    tab_to(page, f"#session-{session_id}-note")
    page.keyboard.type("Pas de connexion.")
    press_enter_on(page, f"form[action='/mentor/seances/{session_id}/presence'] button[type=submit]")
    expect(page.locator(FOCUSED_SUCCESS)).to_be_focused()
    axe_check(page)
    page.context.clear_cookies()
    sign_in(page, learner_email)
    page.goto("/mon-parcours/seances")
    expect(page.locator("#past-sessions")).to_contain_text("Pas de connexion.")
    axe_check(page)
    press_enter_on(page, "#past-sessions a[href$='/contester']")
    tab_to(page, "#message")
    page.keyboard.type("J'étais connecté à l'heure.")
    press_enter_on(page, "main form button[type=submit]")
    expect(page.locator(FOCUSED_SUCCESS)).to_be_focused()
    expect(page.locator("main h2:not(.govuk-notification-banner__title)").first).to_have_text(say("Mes demandes"))
    axe_check(page)
