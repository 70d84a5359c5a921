"""The failed mail page in a real browser, in French and in English: a set-aside message is listed with its error
and sent again by keyboard alone; axe finds nothing before nor after."""

import re

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import OutboxMessage
from app.models.mail import OutboxStatus
from app.services.common import clock
from tests.banners import SUCCESS_MESSAGE
from tests.browser.conftest import axe_check
from tests.browser.keyboard import tab_to
from tests.browser.learners import sign_in, staff_member

TEXTS = {"fr": {"title": "Mails en échec", "back": "est remis dans la file d'envoi"},
         "en": {"title": "Failed mail", "back": "is back in the sending queue"}}


def a_failed_mail(live_app, lang: str) -> int:
    with live_app.app_context():
        message = OutboxMessage(recipient=f"refused.{lang}@example.org", subject="Réponse à votre demande",
                                body_text="Bonjour", body_html="<p>Bonjour</p>", language=lang,
                                created_at=clock.now(), status=OutboxStatus.FAILED, attempts=10,
                                last_error="(554, b'Transaction failed')")
        db.session.add(message)
        db.session.commit()
        return message.id


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_staff_send_a_failed_mail_again_by_keyboard(page, live_app, lang):
    texts = TEXTS[lang]
    message_id = a_failed_mail(live_app, lang)
    sign_in(page, staff_member(live_app, f"mails-{lang}"))
    page.goto("/equipe/mails-en-echec")
    expect(page.locator("h1")).to_have_text(texts["title"])
    row = page.locator(f"#mail-{message_id}")
    expect(row).to_contain_text(f"refused.{lang}@example.org")
    expect(row).to_contain_text("554")
    axe_check(page)
    tab_to(page, f"#mail-{message_id} button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/equipe/mails-en-echec$"))
    expect(page.locator(SUCCESS_MESSAGE).first).to_contain_text(texts["back"])
    expect(page.locator(f"#mail-{message_id}")).to_have_count(0)  # delivered by the queue, gone from the list
    axe_check(page)
