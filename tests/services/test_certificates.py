"""Certificates of achievement (CGS-2.1-A2), digital only (CGS-2.2-A3): the course-passed rule, driven through
the quiz and peer-review services; issuance exactly once; identifiers that cannot be guessed; certificates that
never change once issued; revocation by staff (service and `flask certificates revoke`); the public profile."""

import hashlib
import math
import threading
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Certificate, CertificateKind, CertificatePdf, Course, User
from app.models.quiz import QuestionKind
from app.services import DomainError
from app.services.common import clock
from app.services.learning import certificates, completion, peer_review, quizzes, reader
from tests.conftest import make_user
from tests.factories import subscriber

A2 = pytest.mark.clause("CGS-2.1-A2")
A3 = pytest.mark.clause("CGS-2.2-A3")
WITH_ASSIGNMENT = "developpement-web-flask"
WORK = "Mon application liste les cours triés par titre ; le dépôt est https://git.example.org/catalogue."
COMMENTS = "Les routes fonctionnent et le formulaire est validé ; le README pourrait détailler le déploiement."


def course_with_assignment() -> Course:
    return db.session.scalar(select(Course).where(Course.slug == WITH_ASSIGNMENT))


def course_without_assignment() -> Course:
    """A course with a quiz and no peer-reviewed assignment."""
    for course in db.session.scalars(select(Course).order_by(Course.id)):
        if quizzes.course_quiz(course.id) is not None and peer_review.course_assignment(course.id) is None:
            return course
    raise AssertionError("the demo catalogue has a course with a quiz and no assignment")




def answers(quiz, right: int) -> dict[str, list[str]]:
    """The quiz form with the first `right` questions answered correctly and the others wrongly."""
    form = {}
    for index, question in enumerate(quiz.questions):
        correct = index < right
        if question.kind == QuestionKind.NUMERIC:
            value = question.answer if correct else question.answer + 1000
            form[quizzes.field_name(question)] = [str(value)]
        else:
            chosen = [c for c in question.choices if c.correct == correct] or list(question.choices)[:1]
            if question.kind == QuestionKind.SINGLE:
                chosen = chosen[:1]
            form[quizzes.field_name(question)] = [str(c.id) for c in chosen]
    return form


def take_quiz(user, course: Course, right: int | None = None):
    quiz = quizzes.course_quiz(course.id)
    attempt = completion.submit_quiz(user, quiz, answers(quiz, len(quiz.questions) if right is None else right))
    db.session.commit()
    return attempt


def pass_assignment(user, course: Course, points_each=lambda criterion: criterion.max_points):
    """`user` hands in the assignment and a reviewer who finished the course grades it."""
    assignment = peer_review.course_assignment(course.id)
    submission = peer_review.submit(user, assignment, WORK, None)
    db.session.commit()
    reviewer = subscriber("rita.reviewer@example.org", "Rita", "Relectrice")
    for chapter in course.chapters:
        if chapter.has_content:
            reader.complete_chapter(reviewer, chapter)
    take_quiz(reviewer, course)
    assert peer_review.next_to_review(reviewer, course).id == submission.id
    completion.record_review(reviewer, submission, {c.id: points_each(c) for c in assignment.criteria}, COMMENTS)
    db.session.commit()
    return submission


def certificate_count(user) -> int:
    return db.session.scalar(select(func.count()).select_from(Certificate).where(Certificate.user_id == user.id))


# --- The course-passed rule ----------------------------------------------------------------------------------

@A2
def test_passing_the_quiz_of_a_course_without_assignment_issues_the_certificate():
    course = course_without_assignment()
    learner = subscriber("lea.martin@example.org")
    attempt = take_quiz(learner, course)
    certificate = completion.certificate_for(learner.id, course.id)
    assert certificate is not None and certificate.grade_percent == attempt.score_percent == 100
    result = completion.course_result(learner, course)
    assert result.passed and not result.has_assignment and result.submission is None
    assert result.quiz_attempt.id == attempt.id and result.grade_percent == 100
    assert certificate.learner_name == "Léa Martin" and certificate.title_fr == course.title_fr
    assert certificate.title_en == course.title_en and certificate.kind == CertificateKind.COURSE
    assert certificate.parcours_id is None and certificate.defended_on is None
    assert certificate.issuer == "OpenClassrooms" and certificate.revoked_at is None


@A2
def test_a_failed_quiz_gives_no_certificate(app):
    course = course_without_assignment()
    learner = subscriber("lea.martin@example.org")
    attempt = take_quiz(learner, course, right=0)
    assert not attempt.passed
    result = completion.course_result(learner, course)
    assert not result.passed and result.grade_percent is None and result.quiz_attempt is None
    assert completion.record_progress(learner, course) is None and certificate_count(learner) == 0


@A2
def test_with_an_assignment_the_quiz_alone_does_not_pass_the_course():
    course = course_with_assignment()
    learner = subscriber("sam.submitter@example.org", "Sam", "Soumis")
    take_quiz(learner, course)
    result = completion.course_result(learner, course)
    assert result.has_assignment and result.quiz_attempt is not None and not result.passed
    assert completion.record_progress(learner, course) is None and certificate_count(learner) == 0


@A2
def test_with_an_assignment_both_passed_issue_the_certificate_graded_on_their_mean():
    course = course_with_assignment()
    learner = subscriber("sam.submitter@example.org", "Sam", "Soumis")
    quiz = quizzes.course_quiz(course.id)
    questions = len(quiz.questions)
    right = math.ceil(course.pass_mark_percent * questions / 100)  # just at the pass mark
    attempt = take_quiz(learner, course, right=right)
    assert attempt.passed
    assert completion.certificate_for(learner.id, course.id) is None  # the assignment is still to pass
    # Graded 15 out of 20 (75 %): above the 70 % pass mark, so the assignment is passed too.
    assignment = peer_review.course_assignment(course.id)
    assert [c.max_points for c in assignment.criteria] == [5, 5, 4, 4, 2]
    scores = iter([4, 4, 3, 3, 1])
    submission = pass_assignment(learner, course, lambda criterion: next(scores))
    assert submission.passed and submission.grade_percent == 75
    certificate = completion.certificate_for(learner.id, course.id)
    assert certificate is not None and certificate.user_id == learner.id
    expected = int((attempt.score_percent + 75) / 2 + 0.5)  # the mean, rounded half up
    assert certificate.grade_percent == expected
    result = completion.course_result(learner, course)
    assert result.passed and result.submission.id == submission.id and result.grade_percent == expected


@A2
def test_a_failed_assignment_keeps_the_course_unpassed():
    course = course_with_assignment()
    learner = subscriber("sam.submitter@example.org", "Sam", "Soumis")
    take_quiz(learner, course)
    submission = pass_assignment(learner, course, lambda criterion: 0)
    assert submission.passed is False
    assert completion.record_progress(learner, course) is None and certificate_count(learner) == 0


def test_the_grade_is_the_mean_of_quiz_and_assignment_rounded_half_up():
    assert completion.combined_grade(85, None) == 85
    assert completion.combined_grade(85, 70) == 78  # 77.5
    assert completion.combined_grade(80, 70) == 75
    assert completion.combined_grade(100, 71) == 86  # 85.5
    assert completion.combined_grade(70, 70) == 70


# --- Exactly once --------------------------------------------------------------------------------------------

@A2
def test_the_certificate_is_issued_exactly_once_whatever_the_learner_does_next():
    course = course_without_assignment()
    learner = subscriber("lea.martin@example.org")
    clock.freeze(clock.now())
    take_quiz(learner, course, right=len(quizzes.course_quiz(course.id).questions) - 1)
    first = completion.certificate_for(learner.id, course.id)
    grade = first.grade_percent
    clock.advance(timedelta(days=3))
    take_quiz(learner, course)  # passed again, with a better score
    assert completion.record_progress(learner, course).id == first.id
    assert completion.record_progress(learner, course).id == first.id
    assert completion.issue(learner, course, 12).id == first.id
    assert certificate_count(learner) == 1
    again = completion.certificate_for(learner.id, course.id)
    assert again.grade_percent == grade and again.public_id == first.public_id
    assert again.issued_at == first.issued_at


@A2
def test_the_database_refuses_a_second_certificate_for_the_same_learner_and_course():
    course = course_without_assignment()
    learner = subscriber("lea.martin@example.org")
    first = completion.issue(learner, course, 90)
    duplicate = Certificate(public_id=completion.new_public_id(), kind=CertificateKind.COURSE, user_id=learner.id,
                            course_id=course.id, learner_name="Léa Martin", title_fr="x", title_en="x", issuer="x",
                            issued_at=clock.now(), grade_percent=90)
    with pytest.raises(IntegrityError):
        with db.session.begin_nested():
            db.session.add(duplicate)
    assert completion.certificate_for(learner.id, course.id).id == first.id


def test_a_second_insert_racing_the_first_writes_nothing_and_returns_the_first():
    """Two requests both saw no certificate, then both insert (`issue` is what follows the look-up): the
    loser's insert does nothing and it gets the winner's certificate."""
    course = course_without_assignment()
    learner = subscriber("lea.martin@example.org")
    first = completion.issue(learner, course, 90)
    second = completion.issue(learner, course, 95)
    assert second.id == first.id and second.grade_percent == 90 and certificate_count(learner) == 1


RACE_EMAIL = "certificate-race@example.org"


@pytest.fixture
def committed_session(app):
    """Outside the per-test rollback: a real session per app context (per thread), as in production."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises every write with its database lock (and the test engine's explicit BEGIN "
                    "makes a reader upgrading to a writer fail at once): set TEST_DATABASE_URL to PostgreSQL")
    isolated = db.session
    db.session = db._make_scoped_session({})
    try:
        yield
    finally:
        db.session.remove()
        users = select(User.id).where(User.email == RACE_EMAIL)
        db.session.execute(delete(Certificate).where(Certificate.user_id.in_(users)))
        db.session.execute(delete(User).where(User.email == RACE_EMAIL))
        db.session.commit()
        db.session.remove()
        db.session = isolated


@A2
def test_two_requests_passing_the_course_at_the_same_moment_get_one_certificate(app, committed_session):
    with app.app_context():
        learner_id = make_user(RACE_EMAIL).id
        course_id = course_without_assignment().id
    start = threading.Barrier(2)
    issued: list[tuple[int, int]] = []
    failures: list[BaseException] = []

    def request(grade: int) -> None:
        with app.app_context():
            try:
                learner, course = db.session.get(User, learner_id), db.session.get(Course, course_id)
                start.wait(timeout=10)
                certificate = completion.issue(learner, course, grade)
                db.session.commit()
                issued.append((certificate.id, certificate.grade_percent))
            except BaseException as error:  # reported below, in the test's thread
                failures.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=request, args=(grade,)) for grade in (81, 93)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not failures, failures
    assert len(issued) == 2 and issued[0] == issued[1]  # both get the same certificate, with the winner's grade
    with app.app_context():
        rows = db.session.scalars(select(Certificate).where(Certificate.user_id == learner_id)).all()
        assert [(row.id, row.grade_percent) for row in rows] == [issued[0]]


# --- Identifiers ---------------------------------------------------------------------------------------------

@A2
def test_identifiers_cannot_be_guessed():
    course_a, course_b = db.session.scalars(select(Course).order_by(Course.id).limit(2)).all()
    identifiers = [completion.new_public_id() for _ in range(300)]
    assert len(set(identifiers)) == 300
    # 28 characters of a 32-character alphabet: 140 bits from the operating system's secure generator.
    assert completion.PUBLIC_ID_LENGTH * math.log2(len(completion.PUBLIC_ID_ALPHABET)) >= 128
    assert all(certificates.PUBLIC_ID_PATTERN.match(identifier) for identifier in identifiers)
    assert all(len(identifier.replace("-", "")) == 28 for identifier in identifiers)
    # No structure: the characters spread evenly over the whole alphabet (close to 5 bits each), and identifiers
    # made one after the other do not share their beginning (by chance, about one pair in 110 runs shares the first
    # three characters of 32^3; a counter or a clock would make most pairs share it).
    letters = Counter("".join(identifiers).replace("-", ""))
    total = sum(letters.values())
    entropy = -sum(n / total * math.log2(n / total) for n in letters.values())
    assert set(letters) == set(completion.PUBLIC_ID_ALPHABET) and entropy > 4.95
    assert sum(a[:3] == b[:3] for a, b in zip(identifiers, identifiers[1:], strict=False)) <= 2
    learner = subscriber("lea.martin@example.org")
    one, two = completion.issue(learner, course_a, 80), completion.issue(learner, course_b, 80)
    assert two.id == one.id + 1 and one.public_id[:3] != two.public_id[:3]
    assert certificates.by_public_id(one.public_id).id == one.id


def test_an_identifier_typed_loosely_is_read_in_its_printed_form():
    printed = "7K3M-9QXD-2B4F-HC8N-5RTW-6Y1P-ZA0E"
    for typed in (printed, f"  {printed} ", printed.lower(), printed.replace("-", " "), printed.replace("-", ""),
                  printed.replace("0", "O").replace("1", "l"), f"https://portail.example/certificats/{printed}/"):
        assert certificates.normalise_identifier(typed) == printed, typed
    assert certificates.normalise_identifier(" pas un identifiant ") == "pas un identifiant"
    assert certificates.by_public_id("pas un identifiant") is None


# --- Issued means final --------------------------------------------------------------------------------------

@A2
def test_an_issued_certificate_keeps_the_name_and_title_it_was_issued_with():
    course = course_without_assignment()
    learner = subscriber("lea.martin@example.org")
    certificate = completion.issue(learner, course, 88)
    db.session.commit()
    learner.last_name = "Dupont"
    course.title_fr = "Un autre titre"
    db.session.commit()
    again = completion.certificate_for(learner.id, course.id)
    assert again.learner_name == "Léa Martin" and again.title_fr != "Un autre titre"
    db.session.rollback()
    certificate = completion.certificate_for(learner.id, course.id)
    certificate.grade_percent = 100
    with pytest.raises(ValueError, match="never changes"):
        db.session.flush()
    db.session.rollback()


# --- The stored PDF, one per language -----------------------------------------------------------------------

@A2
def test_a_pdf_stored_while_another_request_was_rendering_is_the_one_kept(app, monkeypatch):
    """Two first downloads in the same language: the one that stores first wins; the other's rendering is
    dropped and it serves the stored copy (insert "if absent" against the unique certificate+language)."""
    certificate = completion.issue(subscriber("lea.martin@example.org"), course_without_assignment(), 88)

    def render_while_the_other_request_stores(certificate, language, url):
        db.session.add(CertificatePdf(certificate_id=certificate.id, language=language, content=b"%PDF first",
                                      sha256=hashlib.sha256(b"%PDF first").hexdigest(), created_at=clock.now()))
        db.session.flush()
        return b"%PDF second"

    monkeypatch.setattr(certificates, "render", render_while_the_other_request_stores)
    assert certificates.stored_pdf(certificate, "en", "https://portail.example/c") == b"%PDF first"
    stored = db.session.scalars(select(CertificatePdf).where(CertificatePdf.certificate_id == certificate.id)).all()
    assert [(row.language, row.content) for row in stored] == [("en", b"%PDF first")]


@A2
def test_a_stored_pdf_never_changes():
    certificate = completion.issue(subscriber("lea.martin@example.org"), course_without_assignment(), 88)
    with app_request():
        content = certificates.stored_pdf(certificate, "fr", "https://portail.example/c")
    stored = db.session.scalar(select(CertificatePdf).where(CertificatePdf.certificate_id == certificate.id))
    assert stored.content == content and stored.sha256 == hashlib.sha256(content).hexdigest()
    stored.content = b"%PDF edited"
    with pytest.raises(ValueError, match="never changes"):
        db.session.flush()
    db.session.rollback()


def app_request():
    from flask import current_app

    return current_app.test_request_context()


# --- Revocation ----------------------------------------------------------------------------------------------

@A2
def test_staff_revoke_a_certificate_with_a_reason_once():
    course = course_without_assignment()
    certificate = completion.issue(subscriber("lea.martin@example.org"), course, 88)
    with pytest.raises(DomainError) as refused:
        certificates.revoke(certificate.public_id, "   ")
    assert dict(refused.value.errors) == {"reason": "Indiquez le motif de la révocation."}
    with pytest.raises(DomainError):
        certificates.revoke("AAAAAAAAAAAAAAAAAAAAAAAA", "Erreur")
    clock.freeze(clock.now())
    revoked = certificates.revoke(certificate.public_id, "Fraude constatée")
    assert revoked.revoked_at == clock.now()
    assert revoked.revocation_reason == "Fraude constatée" and not revoked.is_valid
    with pytest.raises(DomainError) as refused:
        certificates.revoke(certificate.public_id, "Encore")
    assert dict(refused.value.errors) == {"identifier": "Ce certificat est déjà révoqué."}


@A2
def test_the_revoke_command_revokes_and_reports(app):
    course = course_without_assignment()
    certificate = completion.issue(subscriber("lea.martin@example.org"), course, 88)
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["certificates", "revoke", certificate.public_id, "--reason", "Doublon"])
    assert result.exit_code == 0, result.output
    assert f"Certificate {certificate.public_id}" in result.output and "revoked on" in result.output
    db.session.expire_all()
    assert completion.certificate_for(certificate.user_id, course.id).revocation_reason == "Doublon"
    unknown = runner.invoke(args=["certificates", "revoke", "nope-nope-nope-nope-nope", "--reason", "x"])
    assert unknown.exit_code != 0 and "Aucun certificat" in unknown.output
    missing_reason = runner.invoke(args=["certificates", "revoke", certificate.public_id])
    assert missing_reason.exit_code != 0 and "--reason" in missing_reason.output


# --- Public profile, sharing ---------------------------------------------------------------------------------

@A2
def test_the_public_profile_is_off_by_default_and_opt_in_only():
    learner = make_user("lea.martin@example.org")
    certificate = completion.issue(learner, course_without_assignment(), 88)
    assert learner.public_profile is False and learner.public_profile_id is None
    certificates.set_public_profile(learner, True)
    address = learner.public_profile_id
    assert len(address) >= 16 and certificates.public_profile(address) == (learner, [certificate])
    certificates.set_public_profile(learner, False)
    assert certificates.public_profile(address) is None
    certificates.set_public_profile(learner, True)
    assert learner.public_profile_id == address  # the address shared earlier works again


@A2
@A3
def test_the_linkedin_address_carries_name_organisation_date_identifier_and_url(app):
    from urllib.parse import parse_qs, urlsplit

    certificate = completion.issue(make_user("lea.martin@example.org"), course_without_assignment(), 88)
    url = "https://portail.example/certificats/" + certificate.public_id
    parts = urlsplit(certificates.linkedin_url(certificate, url))
    query = {key: value[0] for key, value in parse_qs(parts.query).items()}
    issued = certificate.issued_on
    assert parts.netloc == "www.linkedin.com" and parts.path == "/profile/add"
    assert query == {"startTask": "CERTIFICATION_NAME", "name": certificate.title_fr,
                     "organizationName": "OpenClassrooms", "issueYear": str(issued.year),
                     "issueMonth": str(issued.month), "certUrl": url, "certId": certificate.public_id}
