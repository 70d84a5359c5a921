"""Peer-reviewed assignments (CGS-DEF-1): the assignment page of a course (instructions, rubric, handing in, the
grade), the page where a learner who finished the course reviews another learner's work, and the file download
(submitter and assigned reviewer only). Plain forms: everything works without JavaScript."""

import io

from flask import Blueprint, abort, flash, redirect, render_template, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.extensions import db
from app.forms import populate_errors, work_files
from app.forms.assignments import SubmissionForm, points_of, review_form
from app.models import AssignmentSubmission, ProjectSubmission
from app.request_guard import posted_id
from app.services import DomainError
from app.services.catalog import browse
from app.services.common import markdown, uploads
from app.services.learning import completion, peer_review
from app.views._navigation import ask_before_first_access

bp = Blueprint("assignments", __name__)

FILE_KINDS = {uploads.PDF: _l("PDF"), uploads.PNG: _l("image PNG"), uploads.JPEG: _l("image JPEG"),
              uploads.TEXT: _l("texte brut"), uploads.ZIP: _l("archive ZIP")}


@bp.app_template_global()
def file_summary(submission: AssignmentSubmission | ProjectSubmission) -> str:
    """ "PDF, 1,2 Mo": the kind of an attached file and its size, in the reader's language."""
    size = submission.file_size or 0
    if size >= 1024 * 1024:
        amount = _("%(size)s Mo", size=format_decimal(round(size / (1024 * 1024), 1), format="#,##0.#"))
    else:
        amount = _("%(size)s ko", size=format_decimal(max(1, round(size / 1024))))
    kind = submission.file_type or ""
    return f"{FILE_KINDS.get(kind, kind)}, {amount}"


def _course_and_assignment_or_404(slug: str):
    course = browse.course_by_slug(slug) or abort(404)
    assignment = peer_review.course_assignment(course.id) or abort(404)
    return course, assignment


def _subscribers_only():
    """Assignments are exercises: non-subscribers are sent to the offers, as for a premium chapter."""
    if not peer_review.open_assignment(current_user):
        flash(_("Les devoirs sont réservés aux abonnés Premium."), "info")
        return redirect(url_for("checkout.offers"))
    db.session.commit()  # the first premium access, if this is it
    return None


@bp.route("/cours/<slug>/devoir", methods=["GET", "POST"])
@login_required
def assignment(slug: str):
    course, assignment = _course_and_assignment_or_404(slug)
    if (asking := ask_before_first_access(course, _("Devoir"), _("Ouvrir le devoir"))) is not None:
        return asking  # reached by a link from another site: opening it may end the withdrawal right
    if (refused := _subscribers_only()) is not None:
        return refused
    form = SubmissionForm()
    if form.validate_on_submit():
        upload = work_files.read(form.file)
        try:
            peer_review.submit(current_user, assignment, form.text.data, upload)
        except DomainError as error:
            populate_errors(form, error)
            work_files.ask_again_if_refused_elsewhere(form.file, upload)
        else:
            db.session.commit()
            flash(_("Votre travail est rendu. Un autre apprenant qui a terminé ce cours va l'évaluer ; vous "
                    "recevrez un email avec votre note."), "success")
            return redirect(url_for("assignments.assignment", slug=slug, _anchor="your-work"))
    latest = peer_review.latest_submission(current_user.id, assignment)
    return render_template(
        "assignments/assignment.html", course=course, assignment=assignment, form=form, latest=latest,
        may_submit=latest is None or not peer_review.is_active(latest),
        instructions=markdown.to_html(assignment.t("instructions")),
        can_review=peer_review.can_review(current_user, course),
        waiting=peer_review.waiting_count(current_user, course))


@bp.route("/cours/<slug>/evaluer", methods=["GET", "POST"])
@login_required
def review(slug: str) -> ResponseReturnValue:
    course, assignment = _course_and_assignment_or_404(slug)
    if (refused := _subscribers_only()) is not None:
        return refused
    if not peer_review.can_review(current_user, course):
        return render_template("assignments/review.html", course=course, assignment=assignment,
                               allowed=False, submission=None), 403
    form = review_form(assignment)
    if form.validate_on_submit():
        submission = db.session.get(AssignmentSubmission, posted_id(form.submission_id.name))
        if submission is None or submission.assignment_id != assignment.id:
            abort(404)
        try:
            completion.record_review(current_user, submission, points_of(form, assignment), form.comments.data)
        except DomainError as error:
            refusal = next((message for field, message in error.errors if field is None), None)
            if refusal is not None:  # not theirs to review: nothing on the form to correct
                return render_template("errors/error.html", code=403, title=_("Évaluation refusée"),
                                       message=refusal), 403
            populate_errors(form, error)
            return _review_page(course, assignment, submission, form)
        db.session.commit()
        flash(_("Merci, votre évaluation est enregistrée. L'apprenant reçoit sa note, sans savoir qui l'a "
                "évalué."), "success")
        return redirect(url_for("assignments.assignment", slug=slug, _anchor="review-others"))
    submission = peer_review.next_to_review(current_user, course)
    db.session.commit()  # the submission is now given to this reviewer
    return _review_page(course, assignment, submission, form)


def _review_page(course, assignment, submission, form):
    if submission is not None:
        form.submission_id.data = str(submission.id)
    return render_template("assignments/review.html", course=course, assignment=assignment, allowed=True,
                           submission=submission, form=form,
                           instructions=markdown.to_html(assignment.t("instructions")))


@bp.route("/cours/<slug>/devoir/rendus/<int:submission_id>/fichier")
@login_required
def download(slug: str, submission_id: int):
    """The file of a submission: for its submitter and the reviewer it is given to; anyone else: not found."""
    _course, assignment = _course_and_assignment_or_404(slug)
    submission = db.session.get(AssignmentSubmission, submission_id)
    if submission is None or submission.assignment_id != assignment.id or submission.file_content is None \
            or not peer_review.can_download(current_user, submission):
        abort(404)
    mimetype = submission.file_type  # a text/* type gets "; charset=utf-8" added, once, by Werkzeug
    # Always as an attachment (never shown inline on this site), its name encoded for any language.
    response = send_file(io.BytesIO(submission.file_content), mimetype=mimetype, as_attachment=True,
                         download_name=peer_review.download_name(current_user, submission), conditional=False,
                         etag=False, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response
