"""The quiz pages (CGS-DEF-1) and the learner's progress on the course page: a plain form of fieldsets, graded
on the server, with its correction; errors next to their question; the HTMX swap; the wait after a failed
attempt; subscribers only (CGS-2.1-A1)."""

from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import event

from app.extensions import db
from app.models import Chapter, Course, QuizAttempt
from app.models.quiz import QuestionKind
from app.services.common import clock
from app.services.learning import quizzes, reader
from tests.banners import IMPORTANT_MESSAGE
from tests.conftest import PASSWORD, make_user, soup_of, text_of
from tests.factories import subscribe
from tests.quiz_forms import right_form, wrong_form

SLUG = "developpement-web-flask"
QUIZ = f"/cours/{SLUG}/quiz"
NOW = datetime(2026, 11, 26, 13, 0, tzinfo=UTC)  # 14:00 in Paris


@pytest.fixture
def quiz():
    return quizzes.course_quiz(db.session.query(Course).filter_by(slug=SLUG).one().id)


@pytest.fixture
def subscriber(signed_in):
    subscribe(signed_in)
    db.session.commit()
    return signed_in


def attempts_of(user) -> list[QuizAttempt]:
    return db.session.query(QuizAttempt).filter_by(user_id=user.id).order_by(QuizAttempt.id).all()


@pytest.mark.clause("CGS-2.1-A1")
@pytest.mark.clause("CGS-DEF-1")
def test_the_quiz_sends_anyone_without_a_subscription_to_the_offers(client, signed_in, quiz):
    assert client.get(QUIZ).headers["Location"] == "/premium"
    assert client.post(QUIZ, data=right_form(quiz)).headers["Location"] == "/premium"
    anonymous = client.application.test_client()
    assert anonymous.get(QUIZ).headers["Location"] == "/premium"
    assert anonymous.post(QUIZ, data=right_form(quiz)).headers["Location"] == "/premium"
    assert db.session.query(QuizAttempt).count() == 0
    notices = soup_of(anonymous.get("/premium")).select(IMPORTANT_MESSAGE)
    assert any("Les quiz sont réservés aux abonnés Premium" in text_of(notice) for notice in notices)


@pytest.mark.clause("CGS-DEF-1")
def test_each_question_is_a_fieldset_with_a_legend_and_labelled_answers(page, subscriber, quiz):
    soup = page(QUIZ)
    assert text_of(soup.h1) == "Quiz : Développement web avec Flask" or text_of(soup.h1).startswith("Quiz : ")
    form = soup.select_one("form#quiz-form")
    assert form["method"] == "post" and form["action"] == QUIZ and form["hx-post"] == QUIZ
    fieldsets = form.select("fieldset")
    assert len(fieldsets) == len(quiz.questions)
    for fieldset, question in zip(fieldsets, quiz.questions, strict=True):
        legend = fieldset.find("legend")
        assert legend and f"Question {question.position} sur {len(quiz.questions)}" in text_of(legend)
        assert text_of(legend).endswith(text_of(BeautifulSoup(question.prompt_fr.replace("`", ""), "html.parser")))
        assert fieldset["aria-describedby"] == f"{fieldset['id']}-hint"
        kind = {"single": "radio", "multiple": "checkbox"}.get(question.kind)
        if kind:
            inputs = fieldset.select(f"input[type={kind}]")
            assert len(inputs) == len(question.choices)
            for field in inputs:
                assert fieldset.select_one(f"label[for='{field['id']}']")
        else:
            field = fieldset.select_one("input[type=text]")
            assert field["inputmode"] == "decimal"
            assert text_of(fieldset.select_one(f"label[for='{field['id']}']")) == "Votre réponse"
    assert text_of(form.select_one("button[type=submit]")) == "Valider mes réponses"
    assert "`" not in text_of(form) and form.select("legend code")  # inline code rendered as code
    english = page(QUIZ, lang="en")
    assert text_of(english.select_one("form#quiz-form button[type=submit]")) == "Submit my answers"
    assert quiz.questions[0].prompt_en.split("`")[0].strip() in text_of(english.select_one("legend"))


@pytest.mark.clause("CGS-DEF-1")
def test_a_submitted_quiz_shows_the_score_and_the_correction_of_each_question(client, subscriber, quiz):
    clock.freeze(NOW)
    response = client.post(QUIZ, data=wrong_form(quiz, 2))
    attempt = attempts_of(subscriber)[-1]
    assert response.status_code == 302
    assert response.headers["Location"] == f"{QUIZ}/tentatives/{attempt.id}"
    soup = soup_of(client.get(response.headers["Location"]))
    heading = soup.select_one("#quiz-result-title")
    assert text_of(heading) == "Quiz non réussi : 66 %"
    assert heading.has_attr("autofocus") and heading["tabindex"] == "-1"  # focus lands on the summary
    summary = text_of(soup.select_one("#quiz-result-summary"))
    assert "4 bonnes réponses sur 6." in summary and "Note requise : 70 %." in summary
    items = soup.select(".quiz-feedback > li")
    assert [text_of(item.h4) for item in items[:3]] == [
        "Question 1 : réponse fausse", "Question 2 : réponse fausse", "Question 3 : bonne réponse"]
    first = quiz.questions[0]
    expected = next(c for c in first.choices if c.correct)
    assert text_of(items[0].select_one(".expected")) == text_of(BeautifulSoup(expected.text_fr.replace("`", ""),
                                                                              "html.parser"))
    assert "Une route relie une URL" in text_of(items[0].select_one(".explanation"))
    assert text_of(items[1].select_one(".given")) == "6000" and text_of(items[1].select_one(".expected")) == "5 000"
    assert attempt.score_percent == 66 and not attempt.passed


@pytest.mark.clause("CGS-DEF-1")
def test_a_partial_multiple_choice_answer_earns_nothing_and_the_correction_names_every_expected_choice(
        client, subscriber, quiz):
    multiple = next(q for q in quiz.questions if q.kind == QuestionKind.MULTIPLE)
    correct = sorted(multiple.correct_choice_ids)
    form = {**right_form(quiz), quizzes.field_name(multiple): [str(correct[0])]}
    soup = soup_of(client.get(client.post(QUIZ, data=form).headers["Location"]))
    item = soup.select(".quiz-feedback > li")[quiz.questions.index(multiple)]
    assert text_of(item.h4).endswith("réponse incomplète, aucun point")
    assert len(item.select(".expected li")) == len(correct)
    assert len(item.select(".given li")) == 1
    assert text_of(soup.select_one("#quiz-result-title")) == "Quiz réussi : 83 %"


@pytest.mark.clause("CGS-DEF-1")
def test_errors_sit_next_to_their_question_and_every_other_answer_is_kept(client, subscriber, quiz):
    numeric = next(q for q in quiz.questions if q.kind == QuestionKind.NUMERIC)
    single = next(q for q in quiz.questions if q.kind == QuestionKind.SINGLE)
    multiple = next(q for q in quiz.questions if q.kind == QuestionKind.MULTIPLE)
    form = right_form(quiz)
    form[quizzes.field_name(numeric)] = ["cinq mille"]
    del form[quizzes.field_name(single)]
    response = client.post(QUIZ, data=form)
    assert response.status_code == 200
    soup = soup_of(response)
    assert soup.title.get_text().startswith("Erreur : ")
    summary = soup.select_one("#error-summary [role=alert]")
    assert [a["href"] for a in summary.select("a")] == [
        f"#{quizzes.field_name(single)}-choice-{single.choices[0].id}", f"#{quizzes.field_name(numeric)}-value"]
    numeric_set = soup.select_one(f"fieldset#{quizzes.field_name(numeric)}")
    error = numeric_set.select_one(".govuk-error-message")
    assert "« cinq mille » n'est pas un nombre" in text_of(error)
    field = numeric_set.select_one("input[type=text]")
    assert error["id"] in field["aria-describedby"].split() and field["aria-invalid"] == "true"
    assert field["value"] == "cinq mille"  # kept, to be corrected
    single_set = soup.select_one(f"fieldset#{quizzes.field_name(single)}")
    assert text_of(single_set.select_one(".govuk-error-message")) == "Erreur : Choisissez une réponse."
    assert f"{quizzes.field_name(single)}-error" in single_set["aria-describedby"].split()
    kept = {field["value"] for field in soup.select(f"fieldset#{quizzes.field_name(multiple)} input[checked]")}
    assert kept == {str(i) for i in multiple.correct_choice_ids}
    assert len(soup.select("input[checked]")) == sum(len(form[quizzes.field_name(q)]) for q in quiz.questions
                                                     if q.kind != QuestionKind.NUMERIC and
                                                     quizzes.field_name(q) in form)
    assert attempts_of(subscriber) == []
    english = soup_of(client.post(QUIZ, data=form, headers={"Accept-Language": "en"}))
    error = english.select_one(f"fieldset#{quizzes.field_name(numeric)} .govuk-error-message")
    assert "is not a number" in text_of(error)


@pytest.mark.clause("CGS-DEF-1")
def test_with_htmx_the_result_replaces_the_form_in_place(client, subscriber, quiz):
    response = client.post(QUIZ, data=right_form(quiz), headers={"HX-Request": "true"})
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    fragment = soup_of(response)
    assert fragment.find("html") is None and fragment.find("h1") is None
    result = fragment.select_one("section#quiz-result")
    assert text_of(result.select_one("#quiz-result-title")) == "Quiz réussi : 100 %"
    assert result.select_one("#quiz-result-title").has_attr("autofocus")  # htmx moves focus there
    assert fragment.select_one("#quiz-attempts")["hx-swap-oob"] == "true"
    assert len(fragment.select("#quiz-attempts tbody tr")) == 1
    status = fragment.select_one("#status")
    assert status["hx-swap-oob"] == "innerHTML" and text_of(status).startswith("Quiz réussi : 100 %")
    assert len(attempts_of(subscriber)) == 1


@pytest.mark.clause("CGS-DEF-1")
def test_with_htmx_an_invalid_form_comes_back_in_place_with_its_errors(client, subscriber, quiz):
    form = right_form(quiz)
    del form[quizzes.field_name(quiz.questions[0])]
    response = client.post(QUIZ, data=form, headers={"HX-Request": "true"})
    fragment = soup_of(response)
    assert response.status_code == 200 and fragment.find("html") is None
    assert fragment.select_one("form#quiz-form #error-summary").has_attr("autofocus")
    assert fragment.select_one(f"fieldset#{quizzes.field_name(quiz.questions[0])} .govuk-error-message")


@pytest.mark.clause("CGS-DEF-1")
def test_the_wait_after_a_failed_attempt_is_shown_in_paris_time_and_enforced(client, subscriber, quiz, page):
    clock.freeze(NOW)
    client.post(QUIZ, data=wrong_form(quiz, 4))
    french = page(QUIZ)
    assert french.select_one("form#quiz-form") is None
    assert "à partir du 26 novembre 2026 à 14:10 (heure de Paris)" in text_of(french.select_one("#quiz-next-attempt"))
    english = page(QUIZ, lang="en")
    assert "from November 26, 2026 at 14:10 (Paris time)" in text_of(english.select_one("#quiz-next-attempt"))
    result = page(f"{QUIZ}/tentatives/{attempts_of(subscriber)[0].id}")
    assert "26 novembre 2026 à 14:10" in text_of(result.select_one("#quiz-next-attempt"))
    again = client.post(QUIZ, data=right_form(quiz))
    assert again.status_code == 200 and soup_of(again).select_one("#quiz-next-attempt")
    assert len(attempts_of(subscriber)) == 1
    clock.freeze(NOW + timedelta(minutes=10))
    assert page(QUIZ).select_one("form#quiz-form")
    assert client.post(QUIZ, data=right_form(quiz)).status_code == 302
    assert [a.passed for a in attempts_of(subscriber)] == [False, True]


def test_past_attempts_are_listed_with_their_date_and_score(client, subscriber, quiz, page):
    assert text_of(page(QUIZ).select_one("#quiz-attempts p")) == "Vous n'avez pas encore passé ce quiz."
    clock.freeze(NOW)
    client.post(QUIZ, data=wrong_form(quiz, 3))
    clock.freeze(NOW + timedelta(hours=1))
    client.post(QUIZ, data=right_form(quiz))
    table = page(QUIZ).select_one("#quiz-attempts table")
    assert text_of(table.caption) == "2 tentatives, la plus récente en premier"
    assert [th.get_text() for th in table.select("thead th[scope=col]")][:2] == ["Date (heure de Paris)", "Score"]
    rows = [[text_of(cell) for cell in row.select("th, td")][:3] for row in table.select("tbody tr")]
    assert rows == [["26 novembre 2026 à 15:00", "100 % (6 sur 6)", "Réussi"],
                    ["26 novembre 2026 à 14:00", "50 % (3 sur 6)", "Non réussi"]]
    assert "Vous avez réussi ce quiz avec 100 %" in text_of(page(QUIZ).select_one("#quiz-passed"))


def test_a_learner_sees_only_their_own_attempts(client, subscriber, quiz):
    other = make_user("autre.apprenant@example.org")
    subscribe(other)
    clock.freeze(NOW)
    theirs = quizzes.submit(other, quiz, right_form(quiz))
    db.session.commit()
    assert client.get(f"{QUIZ}/tentatives/{theirs.id}").status_code == 404
    assert client.get("/cours/business-plan/quiz").status_code == 404  # a course without a quiz


# --- the course page ----------------------------------------------------------------------------------------

def test_the_course_page_shows_a_signed_in_learner_their_progress(client, subscriber, quiz, page):
    course = db.session.query(Course).filter_by(slug=SLUG).one()
    readable = [c for c in course.chapters if c.has_content]
    reader.complete_chapter(subscriber, readable[0])
    db.session.commit()
    soup = page(f"/cours/{SLUG}")
    section = soup.select_one("#course-progress")
    assert text_of(section.h2) == "Votre progression"
    assert text_of(section.select_one("#chapters-done")) == f"1 chapitre terminé sur {len(readable)}"
    assert section.select_one("#resume-link")["href"] == f"/cours/{SLUG}/reprendre"
    assert text_of(section.select_one("#resume-link")) == "Reprendre là où j'en étais"
    states = [text_of(li.select_one(".chapter-state")) for li in soup.select("ol.chapters > li")]
    assert states == ["✓ Chapitre terminé"] + ["Chapitre pas encore terminé"] * (len(readable) - 1)
    quiz_status = section.select_one("#quiz-status")
    assert "pas encore passé (note requise : 70 %)" in text_of(quiz_status)
    assert quiz_status.select_one("a")["href"] == QUIZ
    assert section.select_one("a#course-forum-link")["href"] == f"/forum/{SLUG}"

    clock.freeze(NOW)
    client.post(QUIZ, data=wrong_form(quiz, 3))
    assert "non réussi (dernier score : 50 %, note requise : 70 %)" in text_of(
        page(f"/cours/{SLUG}").select_one("#quiz-status"))
    clock.freeze(NOW + timedelta(hours=1))
    client.post(QUIZ, data=right_form(quiz))
    assert "réussi avec 100 %" in text_of(page(f"/cours/{SLUG}").select_one("#quiz-status"))
    english = page(f"/cours/{SLUG}", lang="en").select_one("#course-progress")
    assert text_of(english.h2) == "Your progress"
    assert text_of(english.select_one("#chapters-done")) == f"1 chapter done out of {len(readable)}"


def test_a_visitor_gets_the_course_page_without_anyones_progress(app, client, subscriber):
    from app.extensions import cache

    cache.init_app(app, config={"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": 300})
    try:
        assert soup_of(client.get(f"/cours/{SLUG}")).select_one("#course-progress")
        visitor = app.test_client(use_cookies=False)
        for _ in range(2):  # rendered, then from the cache
            soup = soup_of(visitor.get(f"/cours/{SLUG}"))
            assert soup.select_one("#course-progress") is None and soup.select_one(".chapter-state") is None
        assert soup_of(client.get(f"/cours/{SLUG}")).select_one("#course-progress")  # never the cached page
    finally:
        cache.clear()
        cache.init_app(app, config={"CACHE_TYPE": "NullCache"})


def test_the_signed_in_course_page_loads_everything_the_learner_stands_at_in_five_queries(app, client, user, quiz):
    """Two for the sign-in (session, account), three for the course with the learner's quiz attempts and
    certificate, the chapters with their progress, and the assignment with the latest submission: the personal
    page keeps the five queries of the public pages."""
    subscribe(user)
    chapter = db.session.query(Chapter).filter_by(course_id=quiz.course_id).first()
    reader.complete_chapter(user, chapter)
    quizzes.submit(user, quiz, wrong_form(quiz, 3))
    db.session.commit()
    client.post("/connexion", data={"email": user.email, "password": PASSWORD})
    statements = []

    def record(conn, cursor, statement, *args):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN")):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        soup = soup_of(client.get(f"/cours/{SLUG}"))
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert soup.select_one("#quiz-status") and soup.select_one(".chapter-state.done")
    assert soup.select_one("#assignment-status")  # this course has a peer-reviewed assignment
    assert len(statements) <= 5, "\n".join(statements)
