"""In a real browser, in French and in English, by keyboard: a Premium Plus learner notified under the Student Rules
finds the notification on "Mon parcours", sends an empty answer (the error listed, focused, next to its field), then
explains themselves and asks for an interview; Student Success reads the answer and notifies a reasoned decision;
the learner reads it with how to contest it. axe finds nothing in any of these states."""

import re
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import RuleBreached, Sanction, User
from app.services.common import clock
from app.services.mentoring import discipline
from tests.banners import FOCUSED_SUCCESS
from tests.browser.conftest import axe_check
from tests.browser.keyboard import press_enter_on, tab_to
from tests.browser.learners import sign_in, staff_member
from tests.plus_learners import mentored

LANGUAGES = pytest.mark.parametrize("lang", ["fr", "en"])


@LANGUAGES
def test_a_learner_answers_a_notification_and_reads_the_decision_by_keyboard(open_page, live_app, lang, say):
    staff_email = staff_member(live_app, f"rules-{lang}")
    with live_app.test_request_context(), clock.travelling():
        clock.move_to(datetime.now(clock.PARIS) - timedelta(days=10))
        _coach, subscription = mentored(f"coach.rules.{lang}@example.org", f"heard.{lang}@example.org", 2, "18:00")
        clock.reset()
        staff = db.session.query(User).filter_by(email=staff_email).one()
        discipline.open_case(subscription, staff, RuleBreached.ATTENDANCE, "Deux absences sans excuse.",
                             Sanction.WARNING)
        db.session.commit()
        learner_email = subscription.user.email
    page = open_page(lang)
    sign_in(page, learner_email)
    press_enter_on(page, "#open-case a")
    expect(page).to_have_url(re.compile(r"/mon-parcours/procedures/\d+$"))
    expect(page.locator("h1")).to_have_text(say("Procédure du règlement intérieur"))
    axe_check(page)
    press_enter_on(page, "main form button[type=submit]")
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    expect(page.locator("#answer-error")).to_contain_text(
        say("Écrivez vos explications, ou demandez un entretien en visioconférence."))
    axe_check(page)
    tab_to(page, "#answer")
    page.keyboard.type("J'étais hospitalisée.")
    tab_to(page, "#interview")
    page.keyboard.press("Space")
    press_enter_on(page, "main form button[type=submit]")
    expect(page.locator(FOCUSED_SUCCESS)).to_be_focused()
    expect(page.locator("#answered")).to_be_visible()
    axe_check(page)
    case_url = page.url.replace("/mon-parcours/procedures/", "/equipe/procedures/")

    staff_page = open_page(lang)
    sign_in(staff_page, staff_email)
    staff_page.goto("/equipe/procedures")
    expect(staff_page.locator("#open-cases li")).to_have_count(1)
    axe_check(staff_page)
    staff_page.goto(case_url)
    expect(staff_page.locator("#interview-requested")).to_be_visible()
    axe_check(staff_page)
    tab_to(staff_page, "#outcome-0")  # "no sanction", the first choice
    staff_page.keyboard.press("Space")
    tab_to(staff_page, "#reasons")
    staff_page.keyboard.type("L'hospitalisation justifie les absences.")
    press_enter_on(staff_page, "main form button[type=submit]")
    expect(staff_page.locator(FOCUSED_SUCCESS)).to_be_focused()
    expect(staff_page.locator("#case-decision")).to_contain_text(say("Pas de sanction"))
    axe_check(staff_page)

    page.reload()
    expect(page.locator("#case-decision")).to_contain_text(say("Pas de sanction"))
    expect(page.locator("#how-to-contest a")).to_have_attribute("href", "/contact")
    axe_check(page)
