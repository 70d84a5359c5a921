"""A course's quiz in a real browser, in French and in English (CGS-DEF-1): a subscriber takes it by keyboard
alone, fails, waits (the live server's clock moved on), then passes. With HTMX the result replaces the form and
focus lands on its summary; without JavaScript the form posts and the result page focuses the same summary.
axe finds nothing on the quiz, the wait, the failed result and the passed result.

Texts asserted are msgstr of app/translations/en/LC_MESSAGES/messages.po (and their French msgid).
"""

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import Course
from app.models.quiz import QuestionKind
from app.services.common import clock
from app.services.learning import quizzes
from tests.browser.checkout_steps import axe_scriptless, text_of
from tests.browser.conftest import axe_check
from tests.browser.keyboard import focused_matches, tab_to
from tests.browser.learners import sign_in, subscribed

LANGUAGES = pytest.mark.parametrize("lang", ["fr", "en"])
SLUG = "developpement-web-flask"
QUIZ = f"/cours/{SLUG}/quiz"
FAILED = {"fr": "Quiz non réussi : 50 %", "en": "Quiz not passed: 50%"}
PASSED = {"fr": "Quiz réussi : 100 %", "en": "Quiz passed: 100%"}
WAIT = {"fr": "(heure de Paris)", "en": "(Paris time)"}
COURSE_PASSED = {"fr": "réussi avec 100 %", "en": "passed with 100%"}
NOT_A_NUMBER = {"fr": "n'est pas un nombre", "en": "is not a number"}


@dataclass(frozen=True)
class Question:
    field: str  # the fieldset's id, the field's name
    kind: QuestionKind
    choice_ids: list[int]  # in the order shown
    correct_ids: set[int]
    answer: str  # numeric questions: the right answer written with a decimal comma

    def first_input(self) -> str:
        if self.kind == QuestionKind.NUMERIC:
            return f"#{self.field}-value"
        return f"#{self.field}-choice-{self.choice_ids[0]}"


@pytest.fixture
def questions(live_app) -> list[Question]:
    with live_app.app_context():
        quiz = quizzes.course_quiz(db.session.query(Course).filter_by(slug=SLUG).one().id)
        return [Question(quizzes.field_name(q), q.kind, [c.id for c in q.choices], q.correct_choice_ids,
                         str(q.answer).replace(".", ",") if q.answer is not None else "") for q in quiz.questions]


@pytest.fixture
def subscriber_email(live_app) -> str:
    """A new subscriber of Premium Solo, in the live server's database."""
    email, _ = subscribed(live_app, "quiz")
    return email


def answer_by_keyboard(page, questions: list[Question], wrong: int = 0) -> None:
    """Answer every question with Tab, Space, the arrow keys and typing; the first `wrong` ones wrongly."""
    keyboard = page.keyboard
    for index, question in enumerate(questions):
        right = index >= wrong
        tab_to(page, question.first_input())
        if question.kind == QuestionKind.NUMERIC:
            keyboard.press("Control+A")
            keyboard.type(question.answer if right else "12,5")
        elif question.kind == QuestionKind.SINGLE:
            target = next(i for i, c in enumerate(question.choice_ids) if (c in question.correct_ids) == right)
            keyboard.press("Space")  # the group's first radio
            for _ in range(target):
                keyboard.press("ArrowDown")  # moves to the next radio and checks it
            expect(page.locator(f"#{question.field}-choice-{question.choice_ids[target]}")).to_be_checked()
        else:
            wanted = question.correct_ids if right else {question.choice_ids[0]} ^ question.correct_ids
            for position, choice_id in enumerate(question.choice_ids):
                if position:
                    keyboard.press("Tab")
                assert focused_matches(page, f"#{question.field}-choice-{choice_id}")
                if (choice_id in wanted) != page.locator(f"#{question.field}-choice-{choice_id}").is_checked():
                    keyboard.press("Space")


def submit_by_keyboard(page) -> None:
    tab_to(page, "#quiz-form button[type=submit]")
    page.keyboard.press("Enter")


@LANGUAGES
@pytest.mark.clause("CGS-DEF-1")
def test_a_subscriber_fails_waits_and_passes_the_quiz_by_keyboard(page, lang, subscriber_email, questions,
                                                                   frozen_clock):
    sign_in(page, subscriber_email)
    page.goto(QUIZ)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("#quiz-form fieldset legend")).to_have_count(len(questions))
    axe_check(page)

    answer_by_keyboard(page, questions, wrong=3)
    submit_by_keyboard(page)
    heading = page.locator("#quiz-result-title")
    expect(heading).to_have_text(FAILED[lang])
    expect(page).to_have_url(re.compile(f"{QUIZ}$"))  # answered in place, the form replaced
    expect(page.locator("#quiz-form")).to_have_count(0)
    expect(page.locator("#quiz-result-title:focus")).to_have_count(1)  # focus on the summary
    expect(page.locator("#status")).to_contain_text(FAILED[lang])  # and announced
    expect(page.locator("#quiz-attempts tbody tr")).to_have_count(1)
    expect(page.locator("#quiz-next-attempt")).to_contain_text(WAIT[lang])
    expect(page.locator(".quiz-feedback > li.wrong")).to_have_count(3)
    axe_check(page)

    page.goto(QUIZ)  # the wait runs: no form, the time it opens
    expect(page.locator("#quiz-form button")).to_have_count(0)
    expect(page.locator("#quiz-next-attempt")).to_contain_text(WAIT[lang])
    axe_check(page)

    clock.freeze(frozen_clock + timedelta(minutes=10))
    page.goto(QUIZ)
    answer_by_keyboard(page, questions)
    submit_by_keyboard(page)
    expect(heading).to_have_text(PASSED[lang])
    expect(page.locator("#quiz-result-title:focus")).to_have_count(1)
    expect(page.locator("#quiz-attempts tbody tr")).to_have_count(2)
    expect(page.locator(".quiz-feedback > li.right")).to_have_count(len(questions))
    axe_check(page)

    page.goto(f"/cours/{SLUG}")  # the course page says it too
    assert COURSE_PASSED[lang] in text_of(page.locator("#quiz-status"))
    axe_check(page)


@LANGUAGES
@pytest.mark.clause("CGS-DEF-1")
def test_without_javascript_the_quiz_is_a_plain_form_with_errors_then_a_result_page(
        page_nojs, lang, open_page, subscriber_email, questions):
    page = page_nojs
    sign_in(page, subscriber_email)
    page.goto(QUIZ)
    numeric = next(q for q in questions if q.kind == QuestionKind.NUMERIC)
    page.fill(f"#{numeric.field}-value", "beaucoup")
    page.locator("#quiz-form button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator(f"#{numeric.field} .govuk-error-message")).to_contain_text(NOT_A_NUMBER[lang])
    expect(page.locator(f"#{numeric.field}-value")).to_have_value("beaucoup")
    axe_scriptless(page, open_page)

    for question in questions:
        if question.kind == QuestionKind.NUMERIC:
            page.fill(f"#{question.field}-value", question.answer)
        else:
            for choice_id in question.choice_ids:
                page.locator(f"#{question.field}-choice-{choice_id}").set_checked(choice_id in question.correct_ids)
    page.locator("#quiz-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"{QUIZ}/tentatives/[0-9]+$"))
    expect(page.locator("#quiz-result-title")).to_have_text(PASSED[lang])
    expect(page.locator("#quiz-result-title:focus")).to_have_count(1)  # autofocus on the page's summary
    axe_scriptless(page, open_page)
