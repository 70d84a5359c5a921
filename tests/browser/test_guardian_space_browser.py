"""In a real browser, in French and in English, by keyboard: a guardian opens their space from the link a mail gave
them, reads the learner's subscription, goes to its cancellation page (where the first Tab lands on keeping it),
confirms, and comes back to the space with the outcome announced and focused; the page reflows at 320 px and asks
for a new link when the old one is forged. The learner's Premium tab then names who cancelled, with nothing to undo
it; the guardian undoes it from their space (the page saying when it renews and for how much), and the learner can
cancel again. axe finds nothing in any of these states."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import GuardianApproval, Subscription, User
from app.models.commerce import GuardianStatus, OfferKind
from app.services.accounts import guardians
from app.services.common import clock
from tests.banners import CONTENT, FOCUSED_SUCCESS
from tests.browser.checkout_steps import unique_email
from tests.browser.conftest import axe_check
from tests.browser.keyboard import focused_matches, press_enter_on
from tests.browser.learners import sign_in, subscribed

LANGUAGES = pytest.mark.parametrize("lang", ["fr", "en"])


def ward_and_link(live_app, prefix: str) -> tuple[str, int, str, str]:
    """A 17-year-old's Premium Plus approved by their guardian: the learner's name, the subscription, the guardian's
    link, the learner's address."""
    email, user_id = subscribed(live_app, prefix, "Jules", "Roux", offer=OfferKind.PLUS)
    guardian_email = unique_email(f"{prefix}-guardian")
    with live_app.test_request_context():
        learner = db.session.get_one(User, user_id)
        learner.date_of_birth = date(clock.today_in_paris().year - 17, 1, 1)
        subscription = db.session.query(Subscription).filter_by(user_id=user_id).one()
        db.session.add(GuardianApproval(learner=learner, offer=OfferKind.PLUS, parcours=subscription.parcours,
                                        guardian_name="Anne Roux", guardian_email=guardian_email,
                                        relationship_kind="parent", status=GuardianStatus.APPROVED,
                                        requested_at=clock.now() - timedelta(days=3)))
        db.session.commit()
        link = f"/representant/espace/acces/{guardians.space_token(guardian_email)}"
        return learner.full_name, subscription.id, link, email


@LANGUAGES
def test_a_guardian_reads_the_space_and_cancels_for_the_learner_by_keyboard(page, open_page, live_app, lang, say):
    learner, subscription_id, link, learner_email = ward_and_link(live_app, f"guardian-space-{lang}")
    page.goto(link)
    expect(page).to_have_url(re.compile(r"/representant/espace$"))
    expect(page.locator("h1")).to_have_text(say("Mon espace représentant"))
    ward = page.locator("section.ward")
    expect(ward.locator("h2")).to_have_text(learner)
    expect(ward).to_have_attribute("aria-labelledby", re.compile(r"^ward-\d+$"))
    expect(ward.locator(".ward-next-renewal")).to_be_visible()
    axe_check(page)
    press_enter_on(page, f"section.ward a[href$='/abonnements/{subscription_id}/resilier']")
    expect(page.locator("h1")).to_have_text(say("Résilier l'abonnement de %(learner)s ?", learner=learner))
    axe_check(page)
    page.keyboard.press("Tab")
    while not focused_matches(page, "main a, main button"):  # past the header and the skip link
        page.keyboard.press("Tab")
    assert focused_matches(page, "main a.govuk-button--secondary")  # keeping it comes first
    press_enter_on(page, "main button.govuk-button--warning")
    notice = page.locator(FOCUSED_SUCCESS)
    expect(notice).to_be_focused()
    expect(notice.locator(CONTENT)).to_contain_text(learner)
    expect(page.locator("section.ward h3", has_text=say("Ce que vous avez demandé pour %(learner)s",
                                                        learner=learner))).to_be_visible()
    axe_check(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    learners_browser = open_page(lang)  # the learner's own: the cancellation is theirs to see, not to undo
    sign_in(learners_browser, learner_email)
    learners_browser.goto("/compte/parametres/premium")
    expect(learners_browser.locator("#cancelled-by-guardian")).to_contain_text("Anne Roux")
    expect(learners_browser.locator("form[action$='/annuler-resiliation']")).to_have_count(0)
    axe_check(learners_browser)
    # The guardian changes their mind: the page says when it renews and for how much, keeping comes first.
    page.set_viewport_size({"width": 1280, "height": 800})
    press_enter_on(page, f"#undo-cancel-{subscription_id}")
    expect(page.locator("h1")).to_have_text(say("Annuler la résiliation de l'abonnement de %(learner)s ?",
                                                learner=learner))
    expect(page.locator("#undo-renewal")).to_contain_text(re.compile(r"\d"))
    axe_check(page)
    page.keyboard.press("Tab")
    while not focused_matches(page, "main a, main button"):
        page.keyboard.press("Tab")
    assert focused_matches(page, "main a.govuk-button--secondary")
    press_enter_on(page, "main form button.govuk-button")
    notice = page.locator(FOCUSED_SUCCESS)
    expect(notice).to_be_focused()
    expect(notice.locator(CONTENT)).to_contain_text(learner)
    expect(page.locator(f"#undo-cancel-{subscription_id}")).to_have_count(0)
    axe_check(page)
    learners_browser.reload()
    expect(learners_browser.locator("#cancel-trigger")).to_be_visible()
    expect(learners_browser.locator("#cancelled-by-guardian")).to_have_count(0)


@LANGUAGES
def test_a_forged_link_offers_to_ask_for_a_new_one(open_page, lang, say):
    page = open_page(lang, block_scripts=True)  # Chromium logs any 410 to the console
    response = page.goto("/representant/espace/acces/forged")
    assert response is not None and response.status == 410
    expect(page.locator("h1")).to_have_text(say("Ce lien vers votre espace représentant n'est plus valable"))
    expect(page.get_by_label(say("Votre adresse email"))).to_be_visible()
    axe_check(page)
