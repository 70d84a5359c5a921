"""The chapter reader: previous/next, a table of contents, progress, transcripts and captions."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.extensions import db
from app.forms import EmptyForm
from app.services.catalog import browse
from app.services.commerce import access
from app.services.common import markdown
from app.services.learning import reader
from app.views._navigation import ask_before_first_access
from app.views._render import safe_next

bp = Blueprint("reader", __name__)


def _chapter_or_404(slug: str, position: int):
    course = browse.course_by_slug(slug) or abort(404)
    chapter = reader.chapter_at(course, position)
    if chapter is None or not chapter.has_content:
        abort(404)
    return course, chapter


def _reader():
    return current_user if current_user.is_authenticated else None


@bp.route("/cours/<slug>/chapitres/<int:position>")
def chapter(slug: str, position: int):
    course, chapter = _chapter_or_404(slug, position)
    known = access.premium_access(_reader()) if access.is_premium(chapter) else None
    # A link on another site (or a browser that does not say where it comes from) must not end the Solo
    # withdrawal right behind the learner's back: the learner opens the chapter with a button.
    if known is not None and (asking := ask_before_first_access(
            course, chapter.t("title"), _("Ouvrir le chapitre"), known)) is not None:
        return asking
    opening = reader.open_chapter(_reader(), chapter, known)
    if not opening.allowed:
        flash(_("Ce chapitre est réservé aux abonnés Premium. Les chapitres en vidéo restent libres d'accès."),
              "info")
        return redirect(url_for("checkout.offers"))
    readable = [c for c in course.chapters if c.has_content]
    index = readable.index(chapter)
    body = chapter.t("body") if chapter.body_fr else chapter.t("transcript")
    # Rendered before the commit, which would otherwise expire what the page shows and read it all again.
    page = render_template("reader/chapter.html", course=course, chapter=chapter, chapters=readable,
                           done=opening.done, previous=readable[index - 1] if index else None,
                           following=readable[index + 1] if index + 1 < len(readable) else None,
                           html=markdown.to_html(body), form=EmptyForm())
    db.session.commit()
    return page


@bp.route("/acces-premium/ouvrir", methods=["POST"])
@login_required
def open_premium():
    """"Ouvrir": the explicit action that records the first premium access, then the content asked for."""
    if not EmptyForm(prefix="open").validate_on_submit():
        abort(400)
    access.record_premium_access(current_user)
    db.session.commit()
    return redirect(safe_next(request.form.get("next"), url_for("main.home")))


@bp.route("/cours/<slug>/chapitres/<int:position>/terminer", methods=["POST"])
@login_required
def complete(slug: str, position: int):
    course, chapter = _chapter_or_404(slug, position)
    if not EmptyForm().validate_on_submit() or not reader.open_chapter(current_user, chapter).allowed:
        abort(403)
    reader.complete_chapter(current_user, chapter)
    db.session.commit()
    flash(_("Chapitre terminé."), "success")
    following = next((c for c in course.chapters if c.position > position and c.has_content), None)
    target = following or chapter
    return redirect(url_for("reader.chapter", slug=slug, position=target.position))


@bp.route("/cours/<slug>/chapitres/<int:position>/sous-titres.<language>.vtt")
def captions(slug: str, position: int, language: str):
    """The caption track: free like the video itself."""
    _, chapter = _chapter_or_404(slug, position)
    track = getattr(chapter, f"captions_{language}", None) if language in ("fr", "en") else None
    if not track:
        abort(404)
    return Response(track, mimetype="text/vtt", headers={"Cache-Control": "public, max-age=3600"})


@bp.route("/cours/<slug>/reprendre")
@login_required
def resume(slug: str) -> ResponseReturnValue:
    course = browse.course_by_slug(slug) or abort(404)
    target = reader.resume(current_user, course).chapter or abort(404)
    return redirect(url_for("reader.chapter", slug=slug, position=target.position))
