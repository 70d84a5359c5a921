"""The quiz forms a learner sends: every answer right, or the first ones wrong."""

from app.models import Quiz
from app.models.quiz import QuestionKind
from app.services.learning import quizzes


def right_form(quiz: Quiz) -> dict[str, list[str]]:
    """The form a learner sends when every answer is right (numbers with a decimal comma)."""
    form = {}
    for question in quiz.questions:
        if question.kind == QuestionKind.NUMERIC:
            form[quizzes.field_name(question)] = [str(question.answer).replace(".", ",")]
        else:
            form[quizzes.field_name(question)] = [str(i) for i in sorted(question.correct_choice_ids)]
    return form


def wrong_form(quiz: Quiz, wrong: int) -> dict[str, list[str]]:
    """Every answer right but the first `wrong` ones."""
    form = right_form(quiz)
    for question in quiz.questions[:wrong]:
        if question.kind == QuestionKind.NUMERIC:
            form[quizzes.field_name(question)] = [str(question.answer + 1000)]
        else:
            wrong_choice = next(c for c in question.choices if not c.correct)
            form[quizzes.field_name(question)] = [str(wrong_choice.id)]
    return form
