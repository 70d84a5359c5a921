"""In a real browser, in French and in English, by keyboard: a Premium Plus learner whose Parcours is completed asks
for the final defence from "Mon parcours" with an accommodation (another format, which needs details: the error is
listed, focused and next to its field, the box stays ticked), then Student Success schedules it; the learner finds
the defence on their page. axe finds nothing in any of these states."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import Parcours, User
from app.models.commerce import OfferKind
from app.services.common import clock
from tests.banners import FOCUSED_SUCCESS
from tests.browser.conftest import axe_check
from tests.browser.keyboard import press_enter_on, tab_to, type_date
from tests.browser.learners import PLUS_PARCOURS, sign_in, staff_member, subscribed
from tests.diploma_candidates import complete

LANGUAGES = pytest.mark.parametrize("lang", ["fr", "en"])
NAMES = {"fr": ("Nora", "Benali"), "en": ("Owen", "Bennett")}


@LANGUAGES
def test_a_learner_asks_for_the_defence_and_staff_schedule_it_by_keyboard(open_page, live_app, lang, say):
    first_name, last_name = NAMES[lang]
    email, user_id = subscribed(live_app, f"defence-{lang}", first_name, last_name, offer=OfferKind.PLUS)
    with live_app.app_context():
        complete(db.session.get(User, user_id), db.session.query(Parcours).filter_by(slug=PLUS_PARCOURS).one())
    page = open_page(lang)
    sign_in(page, email)
    expect(page).to_have_url(re.compile(r"/mon-parcours$"))
    press_enter_on(page, "#ask-defence")
    expect(page.locator("h1")).to_have_text(say("Ma soutenance finale"))
    axe_check(page)
    tab_to(page, "#other_format")
    page.keyboard.press("Space")
    press_enter_on(page, "main form button[type=submit]")
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    expect(page.locator("#details-error")).to_contain_text(
        say("Décrivez le format qui vous convient : nous l'organisons avec le jury."))
    expect(page.locator("#other_format")).to_be_checked()
    axe_check(page)
    tab_to(page, "#details")
    page.keyboard.type("À l'écrit, en deux temps.")
    press_enter_on(page, "main form button[type=submit]")
    expect(page.locator(FOCUSED_SUCCESS)).to_be_focused()
    expect(page.locator("#defence-requested")).to_be_visible()
    axe_check(page)

    staff = open_page(lang)
    sign_in(staff, staff_member(live_app, f"jury-planner-{lang}"))
    staff.goto("/equipe/soutenances")
    card = staff.locator("#defence-requests section.card").filter(has_text=f"{first_name} {last_name}")
    form_id = card.get_attribute("id")
    axe_check(staff)
    day = clock.today_in_paris() + timedelta(days=7)
    type_date(staff, f"{form_id}-starts_on", day)
    for field, value in (("starts_time", "14:30"), ("minutes", "80"), ("video_url", "https://visio.example.org/j"),
                         ("jury", "Mme Durand, M. Petit"), ("accommodation_answer", "À l'écrit, en deux temps.")):
        tab_to(staff, f"#{form_id}-{field}")
        if field == "starts_time":
            staff.keyboard.type("1430")
        else:
            staff.keyboard.type(value)
    press_enter_on(staff, f"#{form_id} button[type=submit]")
    expect(staff.locator(FOCUSED_SUCCESS)).to_be_focused()
    axe_check(staff)
    page.goto("/mon-parcours/soutenance")
    expect(page.locator("#defence-scheduled")).to_contain_text("80")
    axe_check(page)
