"""Student Success: "Nous contacter" (form, confirmation) and the staff's back office of requests."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.extensions import db, limiter
from app.forms import EmptyForm, populate_errors
from app.forms.parcours_change import ParcoursChangeDecisionForm
from app.forms.support import AnswerForm, ContactForm
from app.i18n import current_language
from app.models import ContactQuestion, ForceMajeureRequest, OutboxMessage, ParcoursChangeRequest
from app.request_guard import posted_id
from app.services import DomainError, catalog, community, diplomas, force_majeure, mail, parcours_changes, support
from app.views._limits import mail_form_limit

bp = Blueprint("support", __name__)

# The request just sent from this browser, for the confirmation page after the redirect.
SENT_KEY = "contact_request_sent"


@bp.route("/contact", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SIGNIN_RATE_LIMIT"], methods=["POST"])
@mail_form_limit
def contact():
    parcours_by_slug = {parcours.slug: parcours for parcours in catalog.all_parcours()}
    prefill = {}
    if current_user.is_authenticated:
        prefill = {"name": current_user.full_name, "email": current_user.email}
    form = ContactForm(parcours_choices=[(slug, p.t("title")) for slug, p in parcours_by_slug.items()], **prefill)
    if request.method == "GET" and request.args.get("parcours") in parcours_by_slug:
        # Sent from a Parcours page: the question is about that Parcours.
        form.parcours.data = request.args["parcours"]
        form.question.data = ContactQuestion.PARCOURS.value
    elif request.method == "GET" and request.args.get("sujet") == ContactQuestion.COMPLAINT.value:
        form.question.data = ContactQuestion.COMPLAINT.value  # "Faire une réclamation" links
    if form.validate_on_submit():
        parcours = parcours_by_slug.get(form.parcours.data or "")
        if form.parcours.data and parcours is None:
            form.parcours.errors = [_("Choisissez le Parcours dans la liste.")]
        else:
            data = support.ContactData(
                name=form.name.data, email=form.email.data, phone=form.phone.data, question=form.question.data,
                message=form.message.data, parcours_id=parcours.id if parcours else None,
                user_id=current_user.id if current_user.is_authenticated else None, language=current_language())
            try:
                sent = support.submit_contact_request(data)
            except DomainError as error:
                populate_errors(form, error)
            else:
                db.session.commit()
                session[SENT_KEY] = sent.id
                return redirect(url_for("support.contact_sent"))
    return render_template("support/contact.html", form=form)


@bp.route("/contact/demande-envoyee")
def contact_sent():
    sent = support.get_request(session.get(SENT_KEY) or 0)
    if sent is None:
        return redirect(url_for("support.contact"))
    return render_template("support/contact_sent.html", contact=sent,
                           question=support.question_label(sent.question),
                           tracking_token=support.tracking_token(sent) if sent.is_complaint else None,
                           mediation_opens_at=support.mediation_opens_at(sent))


@bp.route("/contact/reclamation/<token>")
def complaint(token: str):
    """A complaint followed from the link in its acknowledgement: status, answer, and the mediator when due."""
    contact = support.complaint_by_token(token) or abort(404)
    return render_template("support/complaint.html", contact=contact,
                           question=support.question_label(contact.question),
                           mediation_available=support.mediation_available(contact),
                           mediation_opens_at=support.mediation_opens_at(contact))


def _staff_only() -> None:
    """Anyone but staff gets "page not found": the back office does not reveal that it exists."""
    if not (current_user.is_authenticated and current_user.is_staff):
        abort(404)


@bp.route("/equipe")
def staff_home():
    """The back office's front page: each queue and how many items wait in it."""
    _staff_only()
    queues = [
        (_("Demandes et réclamations"), url_for("support.staff_requests"), len(support.list_open_requests())),
        (_("Résiliations pour force majeure"), url_for("support.staff_force_majeure"), len(force_majeure.pending())),
        (_("Changements de Parcours"), url_for("support.staff_parcours_changes"), len(parcours_changes.pending())),
        (_("Signalements du forum et des messages"), url_for("community.staff_reports"),
         len(community.open_reports())),
        (_("Soutenances et diplômes"), url_for("diplomas.staff_defences"), len(diplomas.awaiting_decision())),
        (_("Mails en échec"), url_for("support.staff_failed_mail"), mail.set_aside_count()),
    ]
    return render_template("support/staff_home.html", queues=queues)


@bp.route("/equipe/demandes")
def staff_requests():
    _staff_only()
    return render_template("support/staff_requests.html", open_requests=support.list_open_requests(),
                           answered_requests=support.list_answered_requests(),
                           question_label=support.question_label)


@bp.route("/equipe/demandes/<int:request_id>", methods=["GET", "POST"])
def staff_request(request_id: int):
    _staff_only()
    contact = support.get_request(request_id) or abort(404)
    form = AnswerForm()
    if not contact.is_answered and form.validate_on_submit():
        try:
            support.answer_request(contact, current_user, form.answer.data)
        except DomainError as error:
            populate_errors(form, error)
        else:
            db.session.commit()
            flash(_("Réponse à la demande %(reference)s envoyée par email à %(email)s.",
                    reference=contact.reference, email=contact.email), "success")
            return redirect(url_for("support.staff_requests"))
    return render_template("support/staff_request.html", contact=contact, form=form,
                           question=support.question_label(contact.question))


@bp.route("/equipe/force-majeure", methods=["GET", "POST"])
def staff_force_majeure():
    """Student Success decides the pending force majeure requests (accepted: no indemnity)."""
    _staff_only()
    form = EmptyForm()
    if form.validate_on_submit():
        request_row = db.session.get(ForceMajeureRequest, posted_id("request_id"))
        if request_row is None:
            abort(404)
        try:
            force_majeure.decide(request_row, current_user, accept="accept" in request.form)
        except DomainError as error:
            flash(error.errors[0][1], "alert")
        else:
            db.session.commit()
            flash(_("Décision enregistrée et envoyée par email."), "success")
        return redirect(url_for("support.staff_force_majeure"))
    return render_template("support/staff_force_majeure.html", requests=force_majeure.pending(), form=form)


@bp.route("/equipe/changements-de-parcours", methods=["GET", "POST"])
def staff_parcours_changes():
    """Student Success answers the requests to change Parcours, in writing (art. 2.2 c)."""
    _staff_only()
    pending = parcours_changes.pending()
    forms = {change.id: ParcoursChangeDecisionForm(prefix=f"change-{change.id}") for change in pending}
    if request.method == "POST":
        change = db.session.get(ParcoursChangeRequest, posted_id("request_id")) or abort(404)
        form = forms.get(change.id) or abort(404)
        if form.validate_on_submit():
            try:
                parcours_changes.decide(change, current_user, approve="approve" in request.form,
                                        message=form.message.data)
            except DomainError as error:
                populate_errors(form, error)
            else:
                db.session.commit()
                flash(_("Réponse à la demande %(reference)s envoyée par email.", reference=change.reference),
                      "success")
                return redirect(url_for("support.staff_parcours_changes"))
    return render_template("support/staff_parcours_changes.html", requests=pending, forms=forms)


@bp.route("/equipe/mails-en-echec", methods=["GET", "POST"])
def staff_failed_mail():
    """The mail set aside by the job queue (it could not be built, or kept failing), and a retry for each."""
    _staff_only()
    form = EmptyForm()
    if form.validate_on_submit():
        message = db.session.get(OutboxMessage, request.form.get("message_id", type=int) or 0) or abort(404)
        if mail.can_retry(message):
            mail.retry(message)
            db.session.commit()
            flash(_("Le mail à %(recipient)s est remis dans la file d'envoi.", recipient=message.recipient),
                  "success")
        return redirect(url_for("support.staff_failed_mail"))
    return render_template("support/staff_failed_mail.html", messages=mail.set_aside(), form=form)
