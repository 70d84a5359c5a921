"""A peer-reviewed assignment in a real browser, in French and in English, by keyboard alone (CGS-DEF-1): a
subscriber hands in a text and a file (a file that is not what its name says is refused first, the text kept);
another subscriber who finished the course reviews it criterion by criterion; the submitter sees the grade and
the comments, never who reviewed. axe finds nothing on any page or state reached.

The two learners are set up in the live server's database (a subscription; for the reviewer, every chapter
read and the quiz passed); everything else happens in the browser.
"""

import re

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import Course, User
from app.services.learning import quizzes, reader
from tests.assignments import PDF, right_answers
from tests.banners import SUCCESS_MESSAGE
from tests.browser.checkout_steps import mails_to, text_of
from tests.browser.keyboard import focused_matches, tab_to
from tests.browser.learners import arrive, sign_in, subscribed

SLUG = "developpement-web-flask"
PAGE = f"/cours/{SLUG}/devoir"
REVIEW = f"/cours/{SLUG}/evaluer"
AT_PAGE, AT_REVIEW = re.escape(PAGE), re.escape(REVIEW)  # for arrive, which takes a regular expression
WORK = {"fr": "Mon application Flask liste les cours ; le rapport joint détaille le déploiement.",
        "en": "My Flask application lists the courses; the attached report explains the deployment."}
COMMENTS = {"fr": "Les routes et le formulaire sont solides ; le README mériterait plus d'exemples.",
            "en": "The routes and the form are solid; the README would deserve more examples."}
SCORES = [5, 4, 4, 3, 1]  # 17 points out of 20: 85 %


def finished_the_course(live_app, user_id: int) -> None:
    """The learner read every chapter of the course and passed its quiz, in the live server's database."""
    with live_app.app_context():
        user = db.session.get(User, user_id)
        course = db.session.query(Course).filter_by(slug=SLUG).one()
        for chapter in course.chapters:
            if chapter.has_content:
                reader.complete_chapter(user, chapter)
        quiz = quizzes.course_quiz(course.id)
        quizzes.submit(user, quiz, right_answers(quiz))
        db.session.commit()


def catch_file_choosers(page) -> list:
    """The file choosers the page opens, caught from now on (listening long before the key is pressed: a
    chooser opened before Playwright intercepts them is lost)."""
    choosers = []
    page.on("filechooser", lambda chooser: choosers.append(chooser))
    return choosers


def choose_file_by_keyboard(page, choosers: list, name: str, content: bytes, mime: str) -> None:
    """Tab to the file field, open its chooser with Space, and pick the file there."""
    tab_to(page, "#file")
    page.keyboard.press("Space")
    for _ in range(100):
        if choosers:
            break
        page.wait_for_timeout(100)
    assert choosers, "Space on the file field opened no file chooser"
    choosers.pop().set_files(files=[{"name": name, "mimeType": mime, "buffer": content}])


def send_by_keyboard(page, button: str) -> None:
    tab_to(page, button)
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.mark.clause("CGS-DEF-1")
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_learner_hands_in_another_reviews_and_the_grade_comes_back_anonymously(open_page, live_app, lang, say):
    submitter_email, _ = subscribed(live_app, f"devoir-{lang}", "Sacha", "Soumis")
    reviewer_email, reviewer_id = subscribed(live_app, f"relecture-{lang}", "Rita", "Relectrice")
    finished_the_course(live_app, reviewer_id)

    # 1. The submitter: instructions, rubric and form; a false PDF is refused, the text kept; then handed in.
    submitter = open_page(lang)
    choosers = catch_file_choosers(submitter)
    sign_in(submitter, submitter_email)
    submitter.goto(PAGE)
    arrive(submitter, lang, AT_PAGE)
    expect(submitter.locator("table.rubric caption")).to_contain_text("20")
    expect(submitter.locator("#file-hint")).to_contain_text("5")
    tab_to(submitter, "#text")
    submitter.keyboard.type(WORK[lang])
    choose_file_by_keyboard(submitter, choosers, "rapport.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    send_by_keyboard(submitter, "form[enctype='multipart/form-data'] button[type=submit]")
    arrive(submitter, lang, AT_PAGE)
    expect(submitter.locator("#error-summary")).to_be_focused()
    expect(submitter.locator("#file-error")).to_contain_text("PDF")
    expect(submitter.locator("#text")).to_have_value(WORK[lang])
    choose_file_by_keyboard(submitter, choosers, "rapport.pdf", PDF, "application/pdf")
    send_by_keyboard(submitter, "form[enctype='multipart/form-data'] button[type=submit]")
    arrive(submitter, lang, AT_PAGE)
    expect(submitter.locator("#submission-status")).to_have_text(say("En attente d'évaluation"))
    expect(submitter.locator("form[enctype='multipart/form-data']")).to_have_count(0)

    # 2. The reviewer: from the assignment page to the review page, one group of radios per criterion.
    reviewer = open_page(lang)
    sign_in(reviewer, reviewer_email)
    reviewer.goto(PAGE)
    arrive(reviewer, lang, AT_PAGE)
    send_by_keyboard(reviewer, f"a[href='{REVIEW}']")
    arrive(reviewer, lang, AT_REVIEW)
    expect(reviewer.locator("h1")).to_have_text(say("Évaluer le travail d'un autre apprenant"))
    work = reviewer.locator("section[aria-labelledby=work-title]")
    expect(work).to_contain_text(WORK[lang])
    for identity in ("Sacha", "Soumis", submitter_email):
        assert identity not in reviewer.content()
    fieldsets = reviewer.locator("form fieldset")
    expect(fieldsets).to_have_count(len(SCORES))
    for index, score in enumerate(SCORES):
        first_radio = f"#{fieldsets.nth(index).get_attribute('id')}-0"
        tab_to(reviewer, first_radio)  # a group of radios is one tab stop; none checked yet: the first one
        reviewer.keyboard.press("Space")
        for _ in range(score):
            reviewer.keyboard.press("ArrowDown")
        assert focused_matches(reviewer, f"{first_radio[:-2]}-{score}:checked")
    tab_to(reviewer, "#comments")
    reviewer.keyboard.type(COMMENTS[lang])
    send_by_keyboard(reviewer, "form[action$='/evaluer'] button[type=submit]")
    arrive(reviewer, lang, AT_PAGE)
    expect(reviewer.locator(SUCCESS_MESSAGE)).to_contain_text(
        say("Merci, votre évaluation est enregistrée. L'apprenant reçoit sa note, sans savoir qui l'a évalué."))

    # 3. The submitter sees the grade, the points of each criterion and the comments, not who reviewed.
    submitter.reload()
    arrive(submitter, lang, AT_PAGE)
    expect(submitter.locator("#submission-status")).to_have_text(say("Évalué : réussi"))
    section = submitter.locator("section[aria-labelledby=your-work]")
    expect(section).to_contain_text(
        say("Votre note : %(grade)s %% (%(points)s points sur %(total)s). Devoir réussi.", grade=85, points=17,
            total=20))
    assert [text_of(cell) for cell in section.locator("table tbody td:nth-child(2)").all()] == [
        str(score) for score in SCORES]
    expect(section).to_contain_text(COMMENTS[lang])
    for identity in ("Rita", "Relectrice", reviewer_email):
        assert identity not in submitter.content()
    mail = mails_to(live_app, submitter_email)[-1]
    assert "85" in mail and all(identity not in mail for identity in ("Rita", "Relectrice", reviewer_email))
