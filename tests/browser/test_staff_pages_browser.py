"""The Student Success back office in a real browser, in French and in English: reached from the header, each
queue opened by keyboard, a complaint answered; axe finds nothing on any of its pages."""

import re

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import ContactQuestion, ContactRequest
from app.services.common import clock
from tests.banners import CONTENT, SUCCESS
from tests.browser.catalogue import Catalogue
from tests.browser.conftest import axe_check
from tests.browser.keyboard import tab_to
from tests.browser.learners import sign_in, staff_member

LANGUAGES = pytest.mark.parametrize("lang", ["fr", "en"])
QUEUES = ["/equipe/demandes", "/equipe/force-majeure", "/equipe/changements-de-parcours", "/equipe/signalements",
          "/equipe/soutenances", "/equipe/mails-en-echec", "/equipe/mentors"]


@pytest.fixture
def say(live_app, lang):
    return Catalogue(live_app, lang)


def a_complaint(live_app, lang: str) -> int:
    with live_app.app_context():
        complaint = ContactRequest(name="Camille Durand", email=f"camille.{lang}@example.org",
                                   question=ContactQuestion.COMPLAINT, language=lang, created_at=clock.now(),
                                   message="Mon renouvellement a été prélevé deux fois.")
        db.session.add(complaint)
        db.session.commit()
        return complaint.id


@pytest.mark.clause("CGS-10-02")
@LANGUAGES
def test_staff_open_each_queue_and_answer_a_complaint_by_keyboard(page, live_app, lang, say):
    complaint_id = a_complaint(live_app, lang)
    sign_in(page, staff_member(live_app, f"equipe-pages-{lang}"))
    tab_to(page, "header a[href='/equipe']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(say("Espace Student Success"))
    axe_check(page)
    for queue in QUEUES:
        page.goto("/equipe")
        tab_to(page, f"main a[href='{queue}']")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(re.escape(queue) + "$"))
        expect(page.locator("h1")).to_have_count(1)
        axe_check(page)
    page.goto(f"/equipe/demandes/{complaint_id}")
    expect(page.locator("main")).to_contain_text(f"RCL-{complaint_id:06d}")
    axe_check(page)
    tab_to(page, "main textarea")
    page.keyboard.type("Nous vous remboursons le second prélèvement sous cinq jours.")
    tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/equipe/demandes$"))
    expect(page.locator(f"{SUCCESS}[role=alert] {CONTENT}").first).to_contain_text(f"RCL-{complaint_id:06d}")
    axe_check(page)
