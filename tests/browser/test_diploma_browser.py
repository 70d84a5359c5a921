"""Diplomas in a real browser, in French and in English (CGS-DEF-3, CGS-2.2-A3): staff record a favourable jury
decision on `/equipe/soutenances` by keyboard alone (after an empty submission shows its errors), then anyone
opens the diploma's public verification page. axe finds nothing on the staff page, its error state nor the
verification page."""

import re

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import Parcours, User
from app.models.commerce import OfferKind
from app.services.common import clock
from app.services.learning import diplomas
from tests.banners import CONTENT, SUCCESS
from tests.browser.conftest import axe_check
from tests.browser.keyboard import focused_matches, tab_to, type_date
from tests.browser.learners import PLUS_PARCOURS, sign_in, staff_member, subscribed
from tests.diploma_candidates import complete

PAGE = "/equipe/soutenances"
LEARNERS = {"fr": ("Inès", "Moreau"), "en": ("Olivia", "Smith")}
TEXTS = {
    "fr": {"page": "Soutenances finales et diplômes", "date_error": "Indiquez la date de la soutenance.",
           "decision_error": "Indiquez la décision du jury.", "recorded": "Avis favorable enregistré : le diplôme",
           "verify": "Vérification d'un diplôme", "valid": "Ce diplôme est authentique et valide",
           "kind": "Diplôme de fin de Parcours", "comments": "Soutenance claire, projet final bien défendu."},
    "en": {"page": "Final defences and diplomas", "date_error": "Enter the date of the defence.",
           "decision_error": "Choose the jury's decision.", "recorded": "Favourable opinion recorded: the diploma",
           "verify": "Diploma verification", "valid": "This diploma is genuine and valid",
           "kind": "Diploma awarded at the end of a Parcours", "comments": "A clear defence of the final project."},
}


def learner_who_completed_the_parcours(live_app, lang: str) -> dict:
    """A Premium Plus learner of the Python Parcours, issued the certificate of each of its courses just now, every
    required project validated."""
    first_name, last_name = LEARNERS[lang]
    email, user_id = subscribed(live_app, f"diplome-{lang}", first_name, last_name, offer=OfferKind.PLUS)
    with live_app.app_context():
        learner = db.session.get(User, user_id)
        parcours = db.session.query(Parcours).filter_by(slug=PLUS_PARCOURS).one()
        complete(learner, parcours)
        return {"id": user_id, "email": email, "name": f"{first_name} {last_name}", "parcours_id": parcours.id,
                "title": parcours.title_fr if lang == "fr" else parcours.title_en,
                "prefix": f"defence-{user_id}-{parcours.id}"}


@pytest.mark.clause("CGS-DEF-3")
@pytest.mark.clause("CGS-2.2-A3")
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_staff_record_a_favourable_decision_by_keyboard_then_anyone_verifies_the_diploma(page, open_page, live_app,
                                                                                         lang):
    texts = TEXTS[lang]
    learner = learner_who_completed_the_parcours(live_app, lang)
    prefix = learner["prefix"]
    today = clock.today_in_paris()
    keyboard = page.keyboard
    sign_in(page, staff_member(live_app, f"jury-{lang}"))
    page.goto(PAGE)
    expect(page.locator("h1")).to_have_text(texts["page"])
    section = page.locator(f"#{prefix}")
    expect(section.locator("h3")).to_contain_text(learner["name"])
    expect(section.locator("legend")).to_have_count(2)  # the date's three boxes, and the decision
    axe_check(page)

    # Sent empty: the errors are next to the fields, and the summary at the top of this learner's form has focus.
    tab_to(page, f"#{prefix} button[type=submit]", max_presses=80)
    with page.expect_navigation():
        keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(PAGE) + "$"))
    expect(page.locator(f"#{prefix}-defended_on-error")).to_contain_text(texts["date_error"])
    expect(page.locator(f"#{prefix}-decision-error")).to_contain_text(texts["decision_error"])
    expect(page.locator(f"#{prefix} #error-summary")).to_be_focused()
    axe_check(page)

    # Filled by keyboard: the date typed, the first radio of the group chosen with Space, the comments typed.
    type_date(page, f"{prefix}-defended_on", today)
    tab_to(page, f"input[name='{prefix}-decision']")
    assert focused_matches(page, f"#{prefix}-decision-0")
    keyboard.press("Space")
    expect(page.locator(f"#{prefix}-decision-0")).to_be_checked()
    tab_to(page, f"#{prefix}-comments")
    keyboard.type(texts["comments"])
    tab_to(page, f"#{prefix} button[type=submit]")
    with page.expect_navigation():
        keyboard.press("Enter")
    expect(page.locator(f"main {SUCCESS}[role=alert] {CONTENT}").first).to_contain_text(texts["recorded"])
    expect(page.locator(f"#{prefix}")).to_have_count(0)  # no longer waiting for a decision
    axe_check(page)

    with live_app.app_context():
        diploma = diplomas.diploma_for(learner["id"], learner["parcours_id"])
        public_id = diploma.public_id
        assert diploma.defended_on == today
    visitor = open_page(lang)  # nobody signed in
    visitor.goto(f"/certificats/{public_id}")
    expect(visitor.locator("h1")).to_have_text(texts["verify"])
    expect(visitor.locator("#verification-result h2")).to_have_text(texts["valid"])
    fields = visitor.locator("dl.certificate-fields")
    for expected in (texts["kind"], learner["name"], learner["title"], public_id):
        expect(fields).to_contain_text(expected)
    axe_check(visitor)
