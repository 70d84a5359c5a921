"""The peer-reviewed assignment of the Flask course: its texts, a PDF, a reviewer who finished the course."""

from app.extensions import db
from app.models import Course
from app.models.quiz import QuestionKind
from app.services.learning import completion, quizzes, reader
from tests.factories import subscriber

SLUG = "developpement-web-flask"
WORK = "Mon application liste les cours triés par titre ; le dépôt est https://git.example.org/catalogue."
COMMENTS = "Les routes fonctionnent et le formulaire est bien validé, mais le README est trop court."
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n"


def course() -> Course:
    return db.session.query(Course).filter_by(slug=SLUG).one()


def right_answers(quiz) -> dict[str, list[str]]:
    answers = {}
    for question in quiz.questions:
        if question.kind == QuestionKind.NUMERIC:
            answers[quizzes.field_name(question)] = [question.numeric_answer]
        else:
            answers[quizzes.field_name(question)] = [str(c.id) for c in question.choices if c.correct]
    return answers


def read_every_chapter(user, the_course: Course) -> None:
    for chapter in the_course.chapters:
        if chapter.has_content:
            reader.complete_chapter(user, chapter)


def finish(user, the_course: Course | None = None) -> None:
    """Every chapter completed and the course quiz passed."""
    the_course = the_course or course()
    read_every_chapter(user, the_course)
    completion.submit_quiz(user, quizzes.course_quiz(the_course.id), right_answers(quizzes.course_quiz(the_course.id)))
    db.session.commit()


def reviewer(email: str = "rita.reviewer@example.org"):
    user = subscriber(email, "Rita", "Relectrice")
    finish(user)
    return user
