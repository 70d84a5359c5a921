"""In a real browser, in French and in English, by keyboard: a material change of the terms (the notice on
every page, reading and refusing it), and a request to change Parcours answered by Student Success. axe
finds nothing on any page reached."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import (
    LegalDocumentVersion,
    ParcoursChangeRequest,
    RenderedPdf,
    Subscription,
    TermsChangeNotice,
    User,
)
from app.models.commerce import OfferKind
from app.services.commerce import terms_changes
from app.services.legal import documents
from tests.banners import CONTENT, SUCCESS
from tests.browser.conftest import axe_check
from tests.browser.keyboard import press_enter_on, tab_to
from tests.browser.learners import sign_in, staff_member, subscribed

LANGUAGES = pytest.mark.parametrize("lang", ["fr", "en"])


@pytest.fixture
def material_change(live_app):
    """A material change published now, applying far ahead; removed afterwards so that no other test sees it."""
    with live_app.app_context():
        version = documents.publish_version(documents.TERMS, "browser-test", date(2099, 1, 1), True,
                                        "# Conditions générales de services\n\n## Article 1\n\nNouveau texte.",
                                        "# Terms of service\n\n## Article 1\n\nNew text.")
        db.session.commit()
        version_id = version.id
    yield version_id
    with live_app.app_context():
        db.session.query(User).filter(User.pending_terms_notice_id.is_not(None)).update(
            {"pending_terms_notice_id": None})
        db.session.query(TermsChangeNotice).filter_by(version_id=version_id).delete()
        db.session.query(RenderedPdf).filter_by(document_version_id=version_id).delete()
        db.session.query(LegalDocumentVersion).filter_by(id=version_id).delete()
        db.session.commit()


@pytest.mark.clause("CGS-1-05")
@LANGUAGES
def test_a_subscriber_reads_the_notice_of_a_material_change_and_refuses_it(page, live_app, lang, say,
                                                                           material_change):
    email, user_id = subscribed(live_app, f"cgs-{lang}")
    with live_app.app_context():
        terms_changes.notify(db.session.get(LegalDocumentVersion, material_change))
        db.session.commit()
    sign_in(page, email)
    page.goto("/cours")
    notice = page.locator("#terms-change-notice")
    expect(notice).to_be_visible()
    expect(notice).to_have_attribute("role", "region")  # a landmark, named by its title
    expect(notice).to_have_attribute("aria-labelledby", "terms-change-notice-title")
    expect(notice.locator("#terms-change-notice-title")).to_have_text(say("Changement des conditions générales"))
    axe_check(page)
    press_enter_on(page, "#terms-change-notice a")
    expect(page.locator("h1")).to_have_text(say("Nos conditions générales changent"))
    axe_check(page)
    expect(page.locator("main a[href='/conditions-generales/version/browser-test']")).to_be_visible()
    # What changes, passage by passage: struck through and underlined, announced, stacked on a narrow screen.
    press_enter_on(page, "#terms-changes-link")
    expect(page.locator("h1")).to_have_text(say("Ce qui change dans les conditions générales"))
    expect(page.locator(".change ins").first).to_contain_text(say("[texte ajouté :]"))
    axe_check(page)
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1280, "height": 800})
    page.go_back()
    press_enter_on(page, "form[action$='/refuser'] button")
    expect(page).to_have_url(re.compile(r"/compte/parametres/premium$"))
    with live_app.app_context():
        ends = db.session.query(Subscription).filter_by(user_id=user_id).one().current_period_end
    expect(page.locator(f"{SUCCESS}[role=alert] {CONTENT}").first).to_have_text(say(
        "Vous avez refusé les nouvelles conditions : votre abonnement prend fin le %(date)s, sans frais, et rien "
        "ne sera plus prélevé.", date=say.date(ends)))
    expect(page.locator("#terms-change-notice")).to_have_count(0)
    axe_check(page)


@pytest.mark.clause("CGS-2.2-C1")
@LANGUAGES
def test_a_plus_learner_asks_to_change_parcours_and_student_success_approves_in_writing(open_page, live_app, lang,
                                                                                        say):
    email, user_id = subscribed(live_app, f"chp-{lang}", offer=OfferKind.PLUS)
    learner = open_page(lang)
    sign_in(learner, email)
    learner.goto("/compte/parametres/premium")
    press_enter_on(learner, "a#change-parcours-link")
    expect(learner.locator("h1")).to_have_text(say("Changer de Parcours"))
    axe_check(learner)
    # Sent empty: the errors are next to the fields and announced, focus on the summary.
    press_enter_on(learner, "main form button[type=submit]")
    expect(learner.locator("#error-summary")).to_be_focused()
    expect(learner.locator("#target")).to_have_attribute("aria-invalid", "true")
    axe_check(learner)
    tab_to(learner, "#target")
    learner.keyboard.press("ArrowDown")  # the first Parcours of the list
    tab_to(learner, "#reason")
    learner.keyboard.type("Je souhaite me réorienter vers un autre métier.")
    press_enter_on(learner, "main form button[type=submit]")
    expect(learner).to_have_url(re.compile(r"/compte/parametres/premium$"))
    with live_app.app_context():
        change = db.session.query(ParcoursChangeRequest).filter_by(user_id=user_id).one()
        reference, section = change.reference, f"section[aria-labelledby='chp-{change.id}']"

    staff = open_page(lang)
    sign_in(staff, staff_member(live_app, f"equipe-{lang}"))
    staff.goto("/equipe/changements-de-parcours")
    expect(staff.locator("h1")).to_have_text(say("Demandes de changement de Parcours"))
    axe_check(staff)
    tab_to(staff, f"{section} textarea")
    staff.keyboard.type("Accordé : vos résultats le permettent.")
    tab_to(staff, f"{section} button[name=approve]")
    with staff.expect_navigation():
        staff.keyboard.press("Enter")
    expect(staff.locator(f"{SUCCESS}[role=alert] {CONTENT}").first).to_contain_text(reference)

    learner.goto("/compte/parametres/premium/changer-de-parcours")
    approved = learner.locator("#change-approved")
    expect(approved).to_contain_text("vos résultats le permettent")
    expect(approved.locator("a.govuk-button")).to_have_attribute("href", re.compile(r"^/parcours/[a-z-]+/demarrer$"))
    axe_check(learner)
