"""In a real browser, in French and in English, by keyboard: a learner finds their complaint in "Mes demandes",
sends an empty addition (the error is announced and focused), then adds to it. axe finds nothing in any state."""

import re

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import ContactQuestion, User
from app.services.support import requests
from tests.banners import FOCUSED_SUCCESS
from tests.browser.conftest import axe_check
from tests.browser.keyboard import press_enter_on, tab_to
from tests.browser.learners import sign_in, subscribed

LANGUAGES = pytest.mark.parametrize("lang", ["fr", "en"])


def complaint_of(live_app, user_id: int) -> tuple[int, str]:
    with live_app.test_request_context():
        user = db.session.get_one(User, user_id)
        contact = requests.submit_contact_request(requests.ContactData(
            name=user.full_name, email=user.email, question=ContactQuestion.COMPLAINT.value,
            message="Le cours annoncé n'est plus disponible.", user_id=user.id))
        db.session.commit()
        return contact.id, contact.reference


@LANGUAGES
def test_a_learner_adds_to_an_open_complaint_by_keyboard(page, live_app, lang, say):
    email, user_id = subscribed(live_app, f"req-{lang}")
    contact_id, reference = complaint_of(live_app, user_id)
    sign_in(page, email)
    page.goto("/compte/parametres/demandes")
    expect(page.locator("nav.tabs-nav [aria-current=page]")).to_have_text(say("Mes demandes"))
    section = page.locator(f"#demande-{contact_id}")
    expect(section.locator("h3")).to_contain_text(reference)
    axe_check(page)
    field = f"#demande-{contact_id}-message"
    button = f"#demande-{contact_id} button[type=submit]"
    press_enter_on(page, button)  # nothing typed
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator(field)).to_have_attribute("aria-invalid", "true")
    expect(page).to_have_title(re.compile("^" + re.escape(say("Erreur : "))))
    axe_check(page)
    tab_to(page, field, max_presses=80)
    page.keyboard.type("La capture d'écran de la page du cours.")
    press_enter_on(page, button)
    expect(page).to_have_url(re.compile(r"/compte/parametres/demandes$"))
    expect(page.locator(FOCUSED_SUCCESS)).to_be_focused()
    expect(section).to_contain_text("La capture d'écran de la page du cours.")
    axe_check(page)
