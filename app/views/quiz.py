"""A course's quiz: a plain form graded on the server, its result and correction, the learner's attempts.

With HTMX the form posts in place: the result (or the form with its errors) replaces the form, the list of
attempts and the status region are updated out of band, and focus moves to the result's heading.
"""

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markdown_it import MarkdownIt
from markupsafe import Markup

from app.extensions import db
from app.services import DomainError
from app.services.catalog import browse
from app.services.learning import completion, quizzes
from app.views._navigation import ask_before_first_access
from app.views._render import page_or_fragment, wants_fragment, whole_page_redirect

bp = Blueprint("quiz", __name__)

_INLINE = MarkdownIt("commonmark", {"html": False})


@bp.app_template_filter("inline_markdown")
def inline_markdown(text: str) -> Markup:
    """Question texts and choices carry inline code (`like this`): rendered inline, raw HTML never allowed."""
    return Markup(_INLINE.renderInline(text or ""))


def _quiz_or_404(slug: str):
    course = browse.course_by_slug(slug) or abort(404)
    quiz = quizzes.course_quiz(course.id) or abort(404)
    return course, quiz


def _learner():
    return current_user if current_user.is_authenticated else None


def _to_the_offers():
    flash(_("Les quiz sont réservés aux abonnés Premium, comme les chapitres en texte. Déjà abonné ? "
            "Connectez-vous pour passer le quiz."), "info")
    return whole_page_redirect(url_for("checkout.offers"))


@bp.route("/cours/<slug>/quiz", methods=["GET", "POST"])
def take(slug: str) -> ResponseReturnValue:
    course, quiz = _quiz_or_404(slug)
    if (asking := ask_before_first_access(course, _("Quiz"), _("Ouvrir le quiz"))) is not None:
        return asking  # reached by a link from another site: opening it may end the withdrawal right
    try:
        status = quizzes.open_quiz(_learner(), quiz)
    except quizzes.AccessRefused:
        return _to_the_offers()
    errors, given = {}, {}
    if request.method == "POST":
        given = request.form.to_dict(flat=False)
        try:
            attempt = completion.submit_quiz(current_user, quiz, given)
        except quizzes.RetryTooSoon:
            pass  # the page says when the next attempt opens
        except DomainError as error:
            errors = dict(error.errors)
        else:
            db.session.commit()
            if not wants_fragment():
                return redirect(url_for("quiz.attempt", slug=slug, attempt_id=attempt.id))
            return page_or_fragment("quiz/attempt.html", "quiz/_result_swap.html", course=course, quiz=quiz,
                                    attempt=attempt, result=quizzes.feedback(attempt),
                                    status=quizzes.status(current_user.id, quiz))
        status = quizzes.status(current_user.id, quiz)
    db.session.commit()
    return page_or_fragment("quiz/take.html", "quiz/_take.html", course=course, quiz=quiz, status=status,
                            errors=errors, given=given)


@bp.route("/cours/<slug>/quiz/tentatives/<int:attempt_id>")
@login_required
def attempt(slug: str, attempt_id: int):
    course, quiz = _quiz_or_404(slug)
    try:
        status = quizzes.open_quiz(current_user, quiz)
    except quizzes.AccessRefused:
        return _to_the_offers()
    found = quizzes.attempt_of(current_user.id, quiz, attempt_id) or abort(404)
    db.session.commit()
    return page_or_fragment("quiz/attempt.html", "quiz/_result.html", course=course, quiz=quiz, attempt=found,
                            result=quizzes.feedback(found), status=status)
