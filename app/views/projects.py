"""Projects, the learner's side: the projects of their Parcours and where they stand, one project's brief with its
criteria and what they handed in and were told, handing it in; and the file handed in, for the learner and their
mentor."""

import io

from flask import Blueprint, abort, flash, redirect, render_template, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.extensions import db
from app.forms import populate_errors, work_files
from app.forms.projects import ProjectSubmissionForm
from app.models import ProjectSubmission, Subscription
from app.models.commerce import OfferKind
from app.services import DomainError
from app.services.commerce import mentors, subscriptions
from app.services.common import markdown, uploads
from app.services.mentoring import projects
from app.services.mentoring.projects import ProjectState

bp = Blueprint("projects", __name__)


def _plus_subscription() -> Subscription:
    subscription = subscriptions.current_subscription(current_user.id, OfferKind.PLUS)
    if subscription is None or not mentors.needs_mentor(subscription):
        abort(404)
    return subscription


@bp.route("/mon-parcours/projets")
@login_required
def index() -> ResponseReturnValue:
    subscription = _plus_subscription()
    return render_template("projects/index.html", subscription=subscription,
                           progress=projects.progress(subscription), states=ProjectState)


@bp.route("/mon-parcours/projets/<int:project_id>", methods=["GET", "POST"])
@login_required
def project(project_id: int) -> ResponseReturnValue:
    subscription = _plus_subscription()
    standing = projects.standing(subscription, project_id) or abort(404)
    form = ProjectSubmissionForm()
    if standing.may_submit and form.validate_on_submit():
        upload = work_files.read(form.file)
        try:
            projects.submit(subscription, project_id, form.text.data, form.links.data or "", upload)
        except DomainError as error:
            populate_errors(form, error)
            work_files.ask_again_if_refused_elsewhere(form.file, upload)
        else:
            db.session.commit()
            flash(_("Votre projet est rendu. Votre mentor l'évalue et vous recevrez son évaluation par email."),
                  "success")
            return redirect(url_for("projects.project", project_id=project_id))
    return render_template("projects/project.html", standing=standing, form=form, states=ProjectState,
                           brief=markdown.to_html(standing.project.t("brief")),
                           deliverables=markdown.to_html(standing.project.t("deliverables")),
                           mentor=mentors.current(subscription))


@bp.route("/mon-parcours/projets/rendus/<int:submission_id>/fichier")
@login_required
def download(submission_id: int) -> ResponseReturnValue:
    """The file handed in: for the learner and their mentor now; anyone else: not found."""
    submission = db.session.get(ProjectSubmission, submission_id)
    if submission is None or submission.file_content is None or not projects.can_download(current_user, submission):
        abort(404)
    assert submission.file_type is not None
    # The mentor knows whose work it is: the file keeps its name for both.
    name = submission.file_name or f"projet-{submission.id}{uploads.EXTENSIONS[submission.file_type]}"
    response = send_file(io.BytesIO(submission.file_content), mimetype=submission.file_type, as_attachment=True,
                         download_name=name, conditional=False, etag=False, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response
