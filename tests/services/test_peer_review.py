"""Peer-reviewed assignments (CGS-DEF-1): handing in, who may review, anonymous reviews that grade the work."""

from datetime import timedelta

import pytest

from app.extensions import db
from app.models import Assignment, AssignmentSubmission, Certificate, Course, OutboxMessage, PeerReview
from app.models.assignment import SubmissionStatus
from app.services import DomainError, demo
from app.services.commerce import subscriptions
from app.services.common import clock
from app.services.common.uploads import Upload
from app.services.learning import completion, peer_review, quizzes
from tests.assignments import COMMENTS, PDF, SLUG, WORK, course, finish, read_every_chapter, reviewer, right_answers
from tests.conftest import make_user
from tests.factories import subscriber


def points(assignment: Assignment, *values: int) -> dict[int, int]:
    return {criterion.id: value for criterion, value in zip(assignment.criteria, values, strict=True)}


def full_marks(assignment: Assignment) -> dict[int, int]:
    return {criterion.id: criterion.max_points for criterion in assignment.criteria}


@pytest.fixture
def assignment() -> Assignment:
    found = peer_review.course_assignment(course().id)
    assert found is not None
    return found


@pytest.fixture
def learner():
    return subscriber("sam.submitter@example.org", "Sam", "Soumis")


def test_the_demo_loads_the_assignments_of_two_courses_idempotently():
    assignments = db.session.query(Assignment).all()
    assert {a.course.slug for a in assignments} == {"developpement-web-flask", "accessibilite-numerique"}
    flask = peer_review.course_assignment(course().id)
    assert flask.title_en == "Build a small course catalogue with Flask"
    assert [c.max_points for c in flask.criteria] == [5, 5, 4, 4, 2] and flask.max_points == 20
    assert flask.pass_mark_percent == course().pass_mark_percent == 70
    ids = [c.id for c in flask.criteria]
    demo.load_catalogue()
    db.session.commit()
    assert db.session.query(Assignment).count() == 2 and [c.id for c in flask.criteria] == ids


@pytest.mark.clause("CGS-DEF-1")
def test_a_subscriber_hands_in_a_text_alone(assignment, learner):
    submission = peer_review.submit(learner, assignment, f"  {WORK}  ", None)
    assert submission.text == WORK and submission.status == SubmissionStatus.AWAITING_REVIEW
    assert submission.attempt == 1 and not submission.has_file and submission.passed is None


@pytest.mark.clause("CGS-DEF-1")
@pytest.mark.parametrize(("name", "content", "kind"), [
    ("rapport.pdf", PDF, "application/pdf"),
    ("capture.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png"),
    ("capture.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64, "image/jpeg"),
    ("notes.txt", "Déploiement : gunicorn derrière nginx.\n".encode(), "text/plain"),
])
def test_a_file_is_accepted_by_its_content(assignment, learner, name, content, kind):
    submission = peer_review.submit(learner, assignment, WORK, Upload(f"C:\\Users\\sam\\{name}", content))
    assert (submission.file_name, submission.file_type, submission.file_size) == (name, kind, len(content))
    assert submission.file_content == content


def errors_of(call) -> dict:
    with pytest.raises(DomainError) as refused:
        call()
    return dict(refused.value.errors)


def test_the_text_is_required(assignment, learner):
    assert "Écrivez votre travail" in errors_of(lambda: peer_review.submit(learner, assignment, "   ", None))["text"]


def test_a_file_bigger_than_the_limit_is_refused(app, assignment, learner, monkeypatch):
    monkeypatch.setitem(app.config, "ASSIGNMENT_MAX_BYTES", 1024 * 1024)
    big = Upload("rapport.pdf", PDF + b"0" * 1024 * 1024)
    assert "dépasse 1 Mo" in errors_of(lambda: peer_review.submit(learner, assignment, WORK, big))["file"]
    assert peer_review.submit(learner, assignment, WORK, Upload("rapport.pdf", PDF)).has_file


def test_the_default_limit_is_five_megabytes(app):
    assert app.config["ASSIGNMENT_MAX_BYTES"] == 5 * 1024 * 1024


@pytest.mark.parametrize("content", [b"MZ\x90\x00\x03 not a pdf at all", b"", b"\x00\x01\x02binary"])
def test_a_pdf_that_is_not_a_pdf_is_refused(assignment, learner, content):
    errors = errors_of(lambda: peer_review.submit(learner, assignment, WORK, Upload("rapport.pdf", content)))
    assert set(errors) == {"file"}
    assert db.session.query(AssignmentSubmission).count() == 0


def test_assignments_are_for_subscribers_only(assignment):
    visitor = make_user("no.subscription@example.org")
    assert "réservés aux abonnés" in errors_of(lambda: peer_review.submit(visitor, assignment, WORK, None))[None]


@pytest.mark.clause("CGS-DEF-1")
def test_one_active_submission_per_learner_and_assignment(assignment, learner):
    peer_review.submit(learner, assignment, WORK, None)
    assert "déjà rendu" in errors_of(lambda: peer_review.submit(learner, assignment, WORK, None))[None]
    assert db.session.query(AssignmentSubmission).count() == 1


@pytest.mark.clause("CGS-DEF-1")
def test_only_a_subscriber_who_finished_the_course_may_review(learner):
    rita = subscriber("rita.reviewer@example.org")
    the_course = course()
    assert not peer_review.can_review(rita, the_course)
    read_every_chapter(rita, the_course)
    assert not peer_review.can_review(rita, the_course)  # the quiz is not passed yet
    quiz = quizzes.course_quiz(the_course.id)
    quizzes.submit(rita, quiz, right_answers(quiz))
    assert peer_review.can_review(rita, the_course)
    learning_only = subscriber("quiz.only@example.org")
    quizzes.submit(learning_only, quiz, right_answers(quiz))
    assert not peer_review.can_review(learning_only, the_course)  # chapters not all read
    rita_subscription = subscriptions.current_subscription(rita.id)
    subscriptions.transition(rita_subscription, subscriptions.S.ENDED)
    assert not peer_review.can_review(rita, the_course)  # no subscription giving access any more


@pytest.mark.clause("CGS-DEF-1")
def test_a_reviewer_who_has_not_finished_the_course_is_refused(assignment, learner):
    submission = peer_review.submit(learner, assignment, WORK, None)
    newcomer = subscriber("new.comer@example.org")
    assert peer_review.next_to_review(newcomer, course()) is None
    submission.reviewer_id = newcomer.id  # even if it were given to them
    errors = errors_of(lambda: peer_review.record_review(newcomer, submission, full_marks(assignment), COMMENTS))
    assert "terminé ce cours" in errors[None]
    assert db.session.query(PeerReview).count() == 0


@pytest.mark.clause("CGS-DEF-1")
def test_a_learner_never_reviews_their_own_work(assignment):
    rita = reviewer()
    own = peer_review.submit(rita, assignment, WORK, None)
    assert peer_review.next_to_review(rita, course()) is None  # never offered their own
    own.reviewer_id = rita.id  # even if the request were forged
    errors = errors_of(lambda: peer_review.record_review(rita, own, full_marks(assignment), COMMENTS))
    assert errors[None] == "Vous ne pouvez pas évaluer votre propre travail."
    assert db.session.query(PeerReview).count() == 0 and own.status == SubmissionStatus.AWAITING_REVIEW


@pytest.mark.clause("CGS-DEF-1")
def test_the_next_submission_is_the_oldest_awaiting_one_of_the_course_given_to_the_reviewer(assignment):
    first, second = subscriber("first@example.org"), subscriber("second@example.org")
    older = peer_review.submit(first, assignment, WORK, None)
    clock.freeze(clock.now() + timedelta(minutes=5))
    peer_review.submit(second, assignment, WORK, None)
    other_course_assignment = peer_review.course_assignment(
        db.session.query(Course).filter_by(slug="accessibilite-numerique").one().id)
    peer_review.submit(subscriber("elsewhere@example.org"), other_course_assignment, WORK, None)
    rita, ravi = reviewer(), reviewer("ravi.reviewer@example.org")
    given = peer_review.next_to_review(rita, course())
    assert given.id == older.id and given.reviewer_id == rita.id
    assert peer_review.next_to_review(rita, course()).id == older.id  # the same until reviewed
    assert peer_review.waiting_count(ravi, course()) == 1  # the other one is held for Rita
    assert peer_review.next_to_review(ravi, course()).id != older.id
    assert peer_review.waiting_count(rita, course()) == 1 and peer_review.waiting_count(ravi, course()) == 1


def test_a_submission_held_too_long_is_offered_to_another_reviewer(app, assignment, learner):
    submission = peer_review.submit(learner, assignment, WORK, None)
    rita, ravi = reviewer(), reviewer("ravi.reviewer@example.org")
    assert peer_review.next_to_review(rita, course()).id == submission.id
    assert peer_review.next_to_review(ravi, course()) is None
    clock.freeze(clock.now() + timedelta(hours=app.config["PEER_REVIEW_HOLD_HOURS"], minutes=1))
    assert peer_review.next_to_review(ravi, course()).id == submission.id
    errors = errors_of(lambda: peer_review.record_review(rita, submission, full_marks(assignment), COMMENTS))
    assert "autre évaluateur" in errors[None]


@pytest.mark.clause("CGS-DEF-1")
def test_every_criterion_is_scored_within_its_range_and_comments_are_required(assignment, learner):
    submission = peer_review.submit(learner, assignment, WORK, None)
    rita = reviewer()
    peer_review.next_to_review(rita, course())
    given = points(assignment, 6, 5, 4, 4, 2)
    del given[assignment.criteria[4].id]
    given[assignment.criteria[1].id] = -1
    errors = errors_of(lambda: peer_review.record_review(rita, submission, given, "  "))
    first, second, fifth = (peer_review.criterion_field(c.id) for c in
                            (assignment.criteria[0], assignment.criteria[1], assignment.criteria[4]))
    assert errors[first] == "Critère 1 : choisissez une note de 0 à 5 points."
    assert second in errors and fifth in errors
    assert "Expliquez votre note" in errors["comments"]
    assert db.session.query(PeerReview).count() == 0


@pytest.mark.clause("CGS-DEF-1")
def test_a_review_grades_the_work_and_the_pass_mark_decides(assignment, learner):
    submission = peer_review.submit(learner, assignment, WORK, None)
    rita = reviewer()
    peer_review.next_to_review(rita, course())
    review = peer_review.record_review(rita, submission, points(assignment, 4, 4, 3, 2, 1), COMMENTS)  # 14/20
    assert review.points == 14 and [s.points for s in review.scores] == [4, 4, 3, 2, 1]
    assert submission.status == SubmissionStatus.REVIEWED
    assert (submission.grade_percent, submission.passed) == (70, True)  # exactly the pass mark
    assert peer_review.passed_submission(learner.id, course().id).grade_percent == 70
    assert "déjà été évalué" in errors_of(
        lambda: peer_review.record_review(rita, submission, full_marks(assignment), COMMENTS))[None]


@pytest.mark.clause("CGS-DEF-1")
def test_one_point_under_the_pass_mark_fails(assignment, learner):
    submission = peer_review.submit(learner, assignment, WORK, None)
    rita = reviewer()
    peer_review.next_to_review(rita, course())
    peer_review.record_review(rita, submission, points(assignment, 4, 4, 3, 1, 1), COMMENTS)  # 13/20
    assert (submission.grade_percent, submission.passed) == (65, False)
    assert peer_review.passed_submission(learner.id, course().id) is None


def test_the_assignment_may_have_its_own_pass_mark(assignment, learner):
    assignment.own_pass_mark_percent = 80
    submission = peer_review.submit(learner, assignment, WORK, None)
    rita = reviewer()
    peer_review.next_to_review(rita, course())
    peer_review.record_review(rita, submission, points(assignment, 5, 5, 3, 2, 0), COMMENTS)  # 15/20
    assert (submission.grade_percent, submission.passed) == (75, False)


@pytest.mark.clause("CGS-DEF-1")
def test_a_failed_submission_can_be_handed_in_again_and_reviewed_anew(assignment, learner):
    failed = peer_review.submit(learner, assignment, WORK, None)
    rita = reviewer()
    peer_review.next_to_review(rita, course())
    peer_review.record_review(rita, failed, points(assignment, 1, 1, 1, 1, 0), COMMENTS)
    again = peer_review.submit(learner, assignment, WORK + " Version corrigée.", None)
    assert again.attempt == 2 and again.status == SubmissionStatus.AWAITING_REVIEW
    assert peer_review.next_to_review(rita, course()).id == again.id
    peer_review.record_review(rita, again, full_marks(assignment), COMMENTS)
    assert again.passed and peer_review.latest_submission(learner.id, assignment).id == again.id
    assert "déjà rendu" in errors_of(lambda: peer_review.submit(learner, assignment, WORK, None))[None]


@pytest.mark.clause("CGS-DEF-1")
def test_the_graded_submitter_gets_a_mail_that_never_names_the_reviewer(assignment, learner):
    submission = peer_review.submit(learner, assignment, WORK, None)
    rita = reviewer()
    peer_review.next_to_review(rita, course())
    peer_review.record_review(rita, submission, full_marks(assignment), COMMENTS)
    mails = db.session.query(OutboxMessage).filter_by(recipient=learner.email).all()
    assert len(mails) == 1
    message = mails[0]
    assert "Devoir réussi" in message.subject and "100 %" in message.body_text
    assert f"/cours/{SLUG}/devoir" in message.body_text
    for body in (message.subject, message.body_text, message.body_html):
        for identity in ("Rita", "Relectrice", rita.email):
            assert identity not in body
    assert db.session.query(OutboxMessage).filter_by(recipient=rita.email).count() == 0


def test_the_mail_is_in_the_submitters_language(assignment, learner):
    learner.locale = "en"
    submission = peer_review.submit(learner, assignment, WORK, None)
    rita = reviewer()
    peer_review.next_to_review(rita, course())
    peer_review.record_review(rita, submission, points(assignment, 1, 1, 1, 1, 0), COMMENTS)
    message = db.session.query(OutboxMessage).filter_by(recipient=learner.email).one()
    assert message.language == "en" and "Build a small course catalogue with Flask" in message.subject


@pytest.mark.clause("CGS-DEF-1")
def test_a_passed_assignment_completes_the_course_and_its_certificate(assignment, learner):
    finish(learner)
    assert completion.certificate_for(learner.id, course().id) is None  # the assignment is not passed yet
    submission = peer_review.submit(learner, assignment, WORK, None)
    rita = reviewer()
    peer_review.next_to_review(rita, course())
    completion.record_review(rita, submission, points(assignment, 5, 5, 4, 4, 0), COMMENTS)  # 90 %
    certificate = db.session.query(Certificate).filter_by(user_id=learner.id).one()
    assert certificate.course_id == course().id


def test_only_the_submitter_and_the_reviewer_given_the_work_may_download_its_file(assignment, learner):
    submission = peer_review.submit(learner, assignment, WORK, Upload("sam-soumis-rapport.pdf", PDF))
    rita, ravi = reviewer(), reviewer("ravi.reviewer@example.org")
    assert peer_review.can_download(learner, submission)
    assert not peer_review.can_download(rita, submission)
    peer_review.next_to_review(rita, course())
    assert peer_review.can_download(rita, submission) and not peer_review.can_download(ravi, submission)
    assert peer_review.download_name(learner, submission) == "sam-soumis-rapport.pdf"
    assert peer_review.download_name(rita, submission) == f"travail-{submission.id}.pdf"  # the name may say who
