"""Layout where axe does not look, in French and in English: at 320 px wide (a phone, or 400 % zoom) no page scrolls
sideways, from the home page through the checkout to the Premium tab, a chapter with code and a figure, the forum
and the quiz; and each consent's label sits beside its box, at 1280 and 375 px, before and after an error."""

from playwright.sync_api import expect

from app.extensions import db
from app.models import Course, User
from app.services.learning import quizzes
from tests.browser.checkout_steps import (
    LANGUAGES,
    SOLO_CONSENTS,
    SOLO_PRICE,
    SOLO_VAT,
    arrive,
    check_confirmation,
    check_review,
    fill_account,
    fill_details,
    fill_payment_step,
    pay_on_provider_page,
    reach_payment_step,
    submit,
    unique_email,
)
from tests.browser.learners import sign_in, subscribed
from tests.quiz_forms import wrong_form

NARROW = {"width": 320, "height": 900}
CHAPTER_WITH_CODE_AND_FIGURE = "/cours/developpement-web-flask/chapitres/2"


def no_sideways_scroll(page) -> None:
    page.wait_for_load_state()
    width = page.evaluate("document.documentElement.scrollWidth")
    # What sticks out (for the message): elements past the window's edge, outside a table's own scrolling region.
    wide = page.evaluate("""limit => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > limit + 1 && !e.closest('.table-scroll'))
        .slice(0, 8).map(e => `${e.tagName}#${e.id}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)""",
                         NARROW["width"])
    assert width <= NARROW["width"], f"{page.url} is {width} px wide in a {NARROW['width']} px window: {wide}"


@LANGUAGES
def test_public_pages_reflow_at_320_px(page, lang):
    page.set_viewport_size(NARROW)
    for path in ("/", "/cours", "/cours?q=python", "/cours/developpement-web-flask", "/parcours",
                 "/parcours/developpeur-application-python", "/premium", "/connexion", "/conditions-generales",
                 CHAPTER_WITH_CODE_AND_FIGURE):
        page.goto(path)
        no_sideways_scroll(page)


@LANGUAGES
def test_the_checkout_then_a_subscribers_pages_reflow_at_320_px(page, live_app, lang):
    page.set_viewport_size(NARROW)
    page.goto("/commande/solo")
    no_sideways_scroll(page)
    fill_account(page, lang, unique_email("etroit"), live_app)
    no_sideways_scroll(page)  # the details step
    fill_details(page, lang)
    arrive(page, lang, "payment")
    no_sideways_scroll(page)
    submit(page)  # nothing chosen: the errors, next to each field
    arrive(page, lang, "payment")
    no_sideways_scroll(page)
    fill_payment_step(page, lang)
    arrive(page, lang, "review")
    no_sideways_scroll(page)
    check_review(page, lang, SOLO_PRICE[lang], SOLO_VAT[lang])
    no_sideways_scroll(page)  # the provider's page
    pay_on_provider_page(page, lang, SOLO_PRICE[lang])
    check_confirmation(page, lang, SOLO_PRICE[lang])
    no_sideways_scroll(page)
    for path in ("/compte/parametres/premium", CHAPTER_WITH_CODE_AND_FIGURE, "/cours/developpement-web-flask/quiz",
                 "/forum", "/compte/parametres/certificats", "/compte/parametres/parrainage",
                 "/compte/parametres/demandes", "/compte/parametres/donnees", "/compte/parametres/profil",
                 "/compte/parametres/facturation",
                 "/compte/parametres/consentements"):
        page.goto(path)
        no_sideways_scroll(page)
    arrive(page, lang, r"/compte/parametres/consentements$")  # the consents' table, narrow: axe finds nothing
    expect(page.locator("table#consents tbody tr")).to_have_count(3)
    page.goto("/compte/parametres/parrainage")
    arrive(page, lang, r"/compte/parametres/parrainage$")
    expect(page.locator("#referral-link")).to_have_attribute("readonly", "")


@LANGUAGES
def test_the_quiz_with_its_attempts_table_reflows_at_320_px(page, live_app, lang):
    """A learner who has taken the quiz once: the page shows the table of attempts, whose four columns do not fit
    in 320 px; the table scrolls inside its own region, which takes keyboard focus, and the page does not."""
    email, user_id = subscribed(live_app, "quiz-etroit")
    with live_app.app_context():
        quiz = quizzes.course_quiz(db.session.query(Course).filter_by(slug="developpement-web-flask").one().id)
        quizzes.submit(db.session.get(User, user_id), quiz, wrong_form(quiz, 3))
        db.session.commit()
    sign_in(page, email)
    page.set_viewport_size(NARROW)
    page.goto("/cours/developpement-web-flask/quiz")
    expect(page.locator("#quiz-attempts table tbody tr")).to_have_count(1)
    region = page.locator("#quiz-attempts .table-scroll")
    expect(region).to_have_attribute("tabindex", "0")
    expect(region.locator("table")).to_have_count(1)
    no_sideways_scroll(page)


def characters_per_line(page, selector: str) -> list[int]:
    """The number of characters on each full line (the last one left out) of the longest element matching
    `selector`, as the browser has laid them out: each character's box, read through a Range."""
    return page.evaluate("""selector => {
        const element = [...document.querySelectorAll(selector)]
            .reduce((a, b) => (b.textContent.length > a.textContent.length ? b : a));
        const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
        const range = document.createRange();
        const lines = [];
        let top = null, count = 0;
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (let i = 0; i < node.length; i++) {
                range.setStart(node, i);
                range.setEnd(node, i + 1);
                const box = range.getClientRects()[0];
                if (!box) continue;
                if (top === null || box.top > top + box.height / 2) {
                    if (top !== null) { lines.push(count); count = 0; }
                    top = box.top;
                }
                count++;
            }
        }
        return lines;
    }""", selector)


@LANGUAGES
def test_a_chapter_reads_at_a_comfortable_line_length_and_reflows_at_320_px(page, live_app, lang):
    """A text chapter with code and a figure, read by a subscriber: on a wide screen its paragraphs are no wider
    than 80 characters, about 70 on average (45 to 75 is comfortable); on a phone the page does not scroll sideways."""
    email, _ = subscribed(live_app, "mesure")
    sign_in(page, email)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(CHAPTER_WITH_CODE_AND_FIGURE)
    paragraph = "article.prose > p"
    expect(page.locator(paragraph).first).to_be_visible()
    lines = characters_per_line(page, paragraph)
    assert len(lines) >= 2, lines  # a paragraph of several lines measured
    assert max(lines) <= 80 and 45 <= sum(lines) / len(lines) <= 75, f"characters per line: {lines}"
    page.set_viewport_size(NARROW)
    page.goto(CHAPTER_WITH_CODE_AND_FIGURE)
    expect(page.locator("article.prose pre").first).to_be_visible()
    no_sideways_scroll(page)


def label_beside_its_box(page, box_selector: str) -> None:
    # Both read in one go: after a resize, the header's menu folding moves the page between two separate reads.
    box, label = page.evaluate("""selector => [document.querySelector(selector),
        document.querySelector(`label[for='${selector.slice(1)}']`)].map(element => {
            const rect = element.getBoundingClientRect();
            return { x: rect.x, y: rect.y, width: rect.width, height: rect.height };
        })""", box_selector)
    assert box is not None and label is not None, box_selector
    assert label["x"] >= box["x"] + box["width"], f"{box_selector}: the label is not to the right of its box"
    assert label["x"] - (box["x"] + box["width"]) < 24, f"{box_selector}: the label is far from its box"
    assert abs(label["y"] - box["y"]) < box["height"], f"{box_selector}: the label starts on another line"


@LANGUAGES
def test_each_consent_label_sits_beside_its_box_wide_and_narrow_before_and_after_an_error(page, live_app, lang):
    reach_payment_step(page, lang, live_app, "cases")
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        for consent in SOLO_CONSENTS:
            label_beside_its_box(page, consent)
    submit(page)  # no box ticked: an error above each
    arrive(page, lang, "payment")
    for consent in SOLO_CONSENTS:
        expect(page.locator(consent)).to_have_attribute("aria-invalid", "true")
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        for consent in SOLO_CONSENTS:
            label_beside_its_box(page, consent)
