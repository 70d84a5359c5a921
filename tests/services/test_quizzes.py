"""Auto-graded quizzes (CGS-DEF-1): grading each kind of question, partial answers, the pass mark boundary,
attempts and the wait after a failed one, access for subscribers only (CGS-2.1-A1), the demo quizzes."""

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from app.extensions import db
from app.models import Course, Quiz, QuizAttempt, QuizChoice, QuizQuestion
from app.models.commerce import SubscriptionStatus
from app.models.quiz import QuestionKind
from app.services import DomainError, demo
from app.services.common import clock
from app.services.learning import completion, quizzes
from tests.conftest import make_user, writes
from tests.factories import subscribe
from tests.quiz_forms import right_form, wrong_form

SLUG = "developpement-web-flask"
NOW = datetime(2026, 11, 26, 14, 0, tzinfo=UTC)


def demo_quiz() -> Quiz:
    course = db.session.query(Course).filter_by(slug=SLUG).one()
    return quizzes.course_quiz(course.id)


def choice_quiz(questions: int, pass_mark: int) -> Quiz:
    """A quiz of `questions` single-choice questions (the first choice right), on a course that has none."""
    course = db.session.query(Course).filter_by(slug="business-plan").one()
    quiz = Quiz(course_id=course.id, pass_mark_percent=pass_mark)
    for position in range(1, questions + 1):
        question = QuizQuestion(position=position, kind=QuestionKind.SINGLE, prompt_fr=f"Q{position}",
                                prompt_en=f"Q{position}")
        question.choices = [QuizChoice(position=1, text_fr="Oui", text_en="Yes", correct=True),
                            QuizChoice(position=2, text_fr="Non", text_en="No", correct=False)]
        quiz.questions.append(question)
    db.session.add(quiz)
    db.session.flush()
    return quiz


def answers_with(quiz: Quiz, right: int) -> dict[int, set[int]]:
    return {q.id: {q.choices[0].id if index < right else q.choices[1].id} for index, q in enumerate(quiz.questions)}


def question_of(quiz: Quiz, kind: QuestionKind) -> QuizQuestion:
    return next(question for question in quiz.questions if question.kind == kind)


def subscriber():
    learner = make_user()
    subscribe(learner)
    return learner


@pytest.mark.clause("CGS-DEF-1")
def test_a_single_choice_question_scores_only_with_its_correct_choice():
    quiz = demo_quiz()
    question = question_of(quiz, QuestionKind.SINGLE)
    right = next(c for c in question.choices if c.correct)
    wrong = next(c for c in question.choices if not c.correct)
    assert quizzes.grade(quiz, {question.id: {right.id}}).questions[0].right
    graded = {item.question.id: item for item in quizzes.grade(quiz, {question.id: {wrong.id}}).questions}
    assert not graded[question.id].right
    assert [c.id for c in graded[question.id].expected] == [right.id]


@pytest.mark.clause("CGS-DEF-1")
def test_a_multiple_choice_question_scores_only_with_exactly_the_correct_choices():
    quiz = demo_quiz()
    question = question_of(quiz, QuestionKind.MULTIPLE)
    correct = question.correct_choice_ids
    assert len(correct) >= 2
    wrong = next(c.id for c in question.choices if not c.correct)

    def result(chosen):
        return next(item for item in quizzes.grade(quiz, {question.id: chosen}).questions
                    if item.question.id == question.id)

    assert result(set(correct)).right
    partial = result({min(correct)})
    assert not partial.right and partial.partial  # a partial answer earns nothing...
    assert {c.id for c in partial.expected} == correct  # ...and the feedback names every expected choice
    too_many = result(set(correct) | {wrong})
    assert not too_many.right and not too_many.partial
    assert quizzes.grade(quiz, {question.id: set(correct)}).right_count == 1


@pytest.mark.clause("CGS-DEF-1")
def test_numeric_answers_accept_a_decimal_comma_or_point_within_the_tolerance():
    quiz = choice_quiz(0, 70)
    question = QuizQuestion(position=1, kind=QuestionKind.NUMERIC, prompt_fr="Contraste ?", prompt_en="Contrast?",
                            numeric_answer="4.5", numeric_tolerance="0.1", unit_fr=":1", unit_en=":1")
    quiz.questions.append(question)
    db.session.flush()

    def right(typed: str) -> bool:
        return quizzes.grade(quiz, {question.id: typed}).questions[0].right

    assert right("4,5") and right("4.5") and right(" 4,5 ") and right("4.5:1")
    assert right("4,6") and right("4.4")  # at the tolerance, both sides
    assert not right("4,61") and not right("4.39") and not right("45")
    assert quizzes.grade(quiz, {question.id: "4,58"}).score_percent == 100


def test_numbers_are_read_as_learners_type_them():
    assert quizzes.parse_number("3,5") == quizzes.parse_number("3.5") == Decimal("3.5")
    assert quizzes.parse_number("5 000") == quizzes.parse_number("5\u202f000") == Decimal(5000)
    assert quizzes.parse_number("-2") == Decimal(-2)
    assert quizzes.parse_number("320 px", "px") == Decimal(320)
    for text in ("", "abc", "3,5,1", "1.2.3", "trois", "4,5 km"):
        assert quizzes.parse_number(text, "px") is None, text


@pytest.mark.clause("CGS-DEF-1")
def test_the_pass_mark_is_reached_exactly_at_the_mark_and_missed_just_below():
    ten = choice_quiz(10, 70)
    at_mark = quizzes.grade(ten, answers_with(ten, 7))
    assert (at_mark.score_percent, at_mark.passed) == (70, True)
    below = quizzes.grade(ten, answers_with(ten, 6))
    assert (below.score_percent, below.passed) == (60, False)
    db.session.delete(ten)
    db.session.flush()
    three = choice_quiz(3, 67)
    just_below = quizzes.grade(three, answers_with(three, 2))  # 66.67 %: not 67 %, whatever the rounding
    assert (just_below.score_percent, just_below.passed) == (66, False)
    three.pass_mark_percent = 66
    assert quizzes.grade(three, answers_with(three, 2)).passed
    assert quizzes.grade(three, answers_with(three, 3)).score_percent == 100


@pytest.mark.clause("CGS-DEF-1")
def test_an_unanswered_question_or_a_value_that_is_not_a_number_is_refused_next_to_its_question():
    quiz = demo_quiz()
    numeric = question_of(quiz, QuestionKind.NUMERIC)
    single = question_of(quiz, QuestionKind.SINGLE)
    multiple = question_of(quiz, QuestionKind.MULTIPLE)
    form = right_form(quiz)
    form[quizzes.field_name(numeric)] = ["cinq mille"]
    del form[quizzes.field_name(single)]
    form[quizzes.field_name(multiple)] = []
    with pytest.raises(DomainError) as refused:
        quizzes.read_answers(quiz, form)
    errors = dict(refused.value.errors)
    assert set(errors) == {quizzes.field_name(numeric), quizzes.field_name(single), quizzes.field_name(multiple)}
    assert "cinq mille" in errors[quizzes.field_name(numeric)]
    assert errors[quizzes.field_name(single)] == "Choisissez une réponse."
    assert errors[quizzes.field_name(multiple)] == "Cochez au moins une réponse."
    two_radios = {**right_form(quiz), quizzes.field_name(single): [str(c.id) for c in single.choices[:2]]}
    with pytest.raises(DomainError):
        quizzes.read_answers(quiz, two_radios)
    foreign = {**right_form(quiz), quizzes.field_name(single): [str(multiple.choices[0].id)]}
    with pytest.raises(DomainError):
        quizzes.read_answers(quiz, foreign)


@pytest.mark.clause("CGS-DEF-1")
def test_an_attempt_is_graded_on_the_server_and_recorded_with_its_feedback():
    learner = subscriber()
    quiz = demo_quiz()
    clock.freeze(NOW)
    sent = wrong_form(quiz, 2)
    attempt = quizzes.submit(learner, quiz, sent)
    stored = db.session.get(QuizAttempt, attempt.id)
    assert (stored.user_id, stored.quiz_id, stored.submitted_at) == (learner.id, quiz.id, NOW)
    total = len(quiz.questions)
    assert (stored.right_count, stored.question_count) == (total - 2, total)
    assert stored.score_percent == (total - 2) * 100 // total and stored.passed is False
    assert stored.pass_mark_percent == quiz.pass_mark_percent == 70
    assert [stored.is_right(q.id) for q in quiz.questions] == [False, False] + [True] * (total - 2)
    feedback = quizzes.feedback(stored)
    assert [item.right for item in feedback.questions] == [stored.is_right(q.id) for q in quiz.questions]
    numeric = next(item for item in feedback.questions if item.question.kind == QuestionKind.NUMERIC)
    assert numeric.typed == sent[quizzes.field_name(numeric.question)][0]  # as typed, shown back as typed


@pytest.mark.clause("CGS-DEF-1")
def test_the_next_attempt_after_a_failed_one_opens_after_the_configured_wait(app, monkeypatch):
    learner = subscriber()
    quiz = demo_quiz()
    clock.freeze(NOW)
    quizzes.submit(learner, quiz, wrong_form(quiz, 3))
    with pytest.raises(quizzes.RetryTooSoon) as too_soon:
        quizzes.submit(learner, quiz, right_form(quiz))
    assert too_soon.value.opens_at == NOW + timedelta(minutes=10)
    assert quizzes.status(learner.id, quiz).next_attempt_at == NOW + timedelta(minutes=10)
    clock.freeze(NOW + timedelta(minutes=9, seconds=59))
    with pytest.raises(quizzes.RetryTooSoon):
        quizzes.submit(learner, quiz, right_form(quiz))
    monkeypatch.setitem(app.config, "QUIZ_RETRY_WAIT_MINUTES", 30)
    assert quizzes.status(learner.id, quiz).next_attempt_at == NOW + timedelta(minutes=30)
    monkeypatch.setitem(app.config, "QUIZ_RETRY_WAIT_MINUTES", 10)
    clock.freeze(NOW + timedelta(minutes=10))
    assert quizzes.status(learner.id, quiz).next_attempt_at is None
    assert quizzes.submit(learner, quiz, right_form(quiz)).passed
    assert db.session.query(QuizAttempt).filter_by(user_id=learner.id).count() == 2


@pytest.mark.clause("CGS-DEF-1")
def test_a_passed_attempt_sets_no_wait_and_a_zero_wait_allows_retrying_at_once(app, monkeypatch):
    learner = subscriber()
    quiz = demo_quiz()
    clock.freeze(NOW)
    quizzes.submit(learner, quiz, right_form(quiz))
    assert quizzes.status(learner.id, quiz).next_attempt_at is None
    monkeypatch.setitem(app.config, "QUIZ_RETRY_WAIT_MINUTES", 0)
    quizzes.submit(learner, quiz, wrong_form(quiz, 4))
    quizzes.submit(learner, quiz, wrong_form(quiz, 4))
    assert quizzes.status(learner.id, quiz).state == "passed"  # passed once is passed


@pytest.mark.clause("CGS-2.1-A1")
@pytest.mark.clause("CGS-DEF-1")
def test_only_a_subscription_that_gives_access_opens_the_quizzes():
    quiz = demo_quiz()
    learner = make_user()
    assert not quizzes.can_take(None) and not quizzes.can_take(learner)
    with pytest.raises(quizzes.AccessRefused):
        quizzes.open_quiz(learner, quiz)
    with pytest.raises(quizzes.AccessRefused):
        quizzes.submit(learner, quiz, right_form(quiz))
    assert db.session.query(QuizAttempt).count() == 0
    subscription = subscribe(learner)
    assert quizzes.open_quiz(learner, quiz).state == "not_taken"
    assert subscription.first_premium_access_at is not None  # an exercise is premium content
    subscription.status = SubscriptionStatus.SUSPENDED
    db.session.flush()
    with pytest.raises(quizzes.AccessRefused):
        quizzes.submit(learner, quiz, right_form(quiz))


def test_the_best_passed_attempt_is_the_highest_passing_score():
    learner = subscriber()
    quiz = demo_quiz()
    course_id = quiz.course_id
    assert quizzes.best_passed_attempt(learner.id, course_id) is None
    clock.freeze(NOW)
    quizzes.submit(learner, quiz, wrong_form(quiz, 1))
    best = quizzes.submit(learner, quiz, right_form(quiz))
    quizzes.submit(learner, quiz, wrong_form(quiz, 1))
    found = quizzes.best_passed_attempt(learner.id, course_id)
    assert found.id == best.id and found.score_percent == 100
    assert quizzes.best_passed_attempt(make_user("autre@example.org").id, course_id) is None
    assert quizzes.course_quiz(db.session.query(Course).filter_by(slug="business-plan").one().id) is None


@pytest.mark.clause("CGS-DEF-1")
def test_a_passing_attempt_records_the_course_progress_and_a_failed_one_does_not(monkeypatch):
    calls = []
    real = completion.record_progress
    monkeypatch.setattr(completion, "record_progress", lambda user, course: calls.append((user, course))
                        or real(user, course))
    learner = subscriber()
    quiz = demo_quiz()
    completion.submit_quiz(learner, quiz, wrong_form(quiz, 3))
    assert calls == []
    clock.freeze(clock.now() + timedelta(hours=1))
    completion.submit_quiz(learner, quiz, right_form(quiz))
    assert calls == [(learner, quiz.course)]


def test_every_demo_course_with_content_has_a_quiz_that_its_right_answers_pass():
    content = json.loads(demo.CONTENT_FILE.read_text(encoding="utf-8"))
    for slug, item in content.items():
        course = db.session.query(Course).filter_by(slug=slug).one()
        quiz = quizzes.course_quiz(course.id)
        assert len(quiz.questions) == len(item["quiz"]["questions"])
        assert quiz.pass_mark_percent == item["pass_mark_percent"]
        assert {q.kind for q in quiz.questions} == set(QuestionKind)
        answers = quizzes.read_answers(quiz, right_form(quiz))
        assert quizzes.grade(quiz, answers).score_percent == 100, slug


def test_loading_the_demo_twice_changes_nothing_and_an_edited_file_updates_the_quiz(tmp_path, monkeypatch,
                                                                                     statements):
    quiz = demo_quiz()
    before = [(q.id, q.prompt_fr, [(c.id, c.text_fr, c.correct) for c in q.choices]) for q in quiz.questions]
    statements.clear()
    demo.load_catalogue()
    db.session.flush()
    assert [statement for statement in writes(statements) if " quiz" in statement] == []

    content = json.loads(demo.CONTENT_FILE.read_text(encoding="utf-8"))
    edited = content[SLUG]
    edited["pass_mark_percent"] = 80
    edited["quiz"]["questions"][0]["prompt_fr"] = "Que fait `@app.route` ?"
    multiple = next(q for q in edited["quiz"]["questions"] if q["type"] == "multiple")
    multiple["choices"].pop()
    edited["quiz"]["questions"].pop()
    changed = tmp_path / "course_content.json"
    changed.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(demo, "CONTENT_FILE", changed)
    demo.load_catalogue()
    db.session.flush()
    db.session.expire_all()
    quiz = demo_quiz()
    assert quiz.pass_mark_percent == 80
    assert [q.id for q in quiz.questions] == [q_id for q_id, _, _ in before[:-1]]  # updated in place
    assert quiz.questions[0].prompt_fr == "Que fait `@app.route` ?"
    multiple_row = next(q for q in quiz.questions if q.kind == QuestionKind.MULTIPLE)
    old_choices = next(choices for q_id, _, choices in before if q_id == multiple_row.id)
    assert len(multiple_row.choices) == len(old_choices) - 1


@pytest.mark.clause("CGS-DEF-1")
def test_passing_the_quiz_of_a_course_without_an_assignment_issues_its_certificate_once():
    learner = subscriber()
    quiz = choice_quiz(4, 80)  # a course without an assignment: its quiz is all it asks
    clock.freeze(NOW)
    completion.submit_quiz(learner, quiz, {quizzes.field_name(q): [str(q.choices[index == 0].id)]
                                           for index, q in enumerate(quiz.questions)})  # 75 %
    assert completion.certificate_for(learner.id, quiz.course_id) is None
    clock.freeze(NOW + timedelta(hours=1))
    right = {quizzes.field_name(q): [str(q.choices[0].id)] for q in quiz.questions}
    completion.submit_quiz(learner, quiz, right)
    certificate = completion.certificate_for(learner.id, quiz.course_id)
    assert certificate is not None and certificate.grade_percent == 100
    completion.submit_quiz(learner, quiz, right)
    assert completion.certificate_for(learner.id, quiz.course_id).id == certificate.id
