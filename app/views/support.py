"""Student Success: "Nous contacter" (form, confirmation), following a complaint, and the learner's own requests
in Mes paramètres (adding to one that waits for its answer). The staff answer in the back office
(views/staff.py)."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.extensions import db, limiter
from app.forms import populate_errors
from app.forms.support import AdditionForm, ContactForm
from app.i18n import current_language
from app.models import ContactQuestion, ContactRequest
from app.request_guard import posted_id
from app.services import DomainError
from app.services.catalog import browse
from app.services.guardianship import acts
from app.services.support import requests
from app.views._limits import mail_form_limit

bp = Blueprint("support", __name__)

# The request just sent from this browser, for the confirmation page after the redirect.
SENT_KEY = "contact_request_sent"


@bp.route("/contact", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SIGNIN_RATE_LIMIT"], methods=["POST"])
@mail_form_limit
def contact():
    parcours_by_slug = {parcours.slug: parcours for parcours in browse.all_parcours()}
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
            data = requests.ContactData(
                name=form.name.data, email=form.email.data, phone=form.phone.data, question=form.question.data,
                message=form.message.data, parcours_id=parcours.id if parcours else None,
                user_id=current_user.id if current_user.is_authenticated else None, language=current_language())
            try:
                sent = requests.submit_contact_request(data)
            except DomainError as error:
                populate_errors(form, error)
            else:
                db.session.commit()
                session[SENT_KEY] = sent.id
                return redirect(url_for("support.contact_sent"))
    return render_template("support/contact.html", form=form)


@bp.route("/contact/demande-envoyee")
def contact_sent():
    sent = requests.get_request(session.get(SENT_KEY) or 0)
    if sent is None:
        return redirect(url_for("support.contact"))
    return render_template("support/contact_sent.html", contact=sent,
                           question=requests.question_label(sent.question),
                           tracking_token=requests.tracking_token(sent) if sent.is_complaint else None,
                           mediation_opens_at=requests.mediation_opens_at(sent))


@bp.route("/contact/reclamation/<token>")
def complaint(token: str):
    """A complaint followed from the link in its acknowledgement: status, answer, and the mediator when due."""
    contact = requests.complaint_by_token(token) or abort(404)
    return render_template("support/complaint.html", contact=contact,
                           question=requests.question_label(contact.question),
                           mediation_available=requests.mediation_available(contact),
                           mediation_opens_at=requests.mediation_opens_at(contact))


def _addition_form(contact: ContactRequest) -> AdditionForm:
    form = AdditionForm(prefix=f"demande-{contact.id}")
    form.message.label.text = _("Ajouter à la demande %(reference)s", reference=contact.reference)
    return form


def _my_requests(sent: tuple[int, AdditionForm] | None = None):
    """The page, with the form just sent (and its errors, its text) in place of that request's empty one."""
    contacts = requests.of_learner(current_user)
    forms = {contact.id: _addition_form(contact) for contact in contacts if requests.can_add_to(contact)}
    if sent is not None:
        forms[sent[0]] = sent[1]
    return render_template("support/my_requests.html", contacts=contacts, forms=forms,
                           question_label=requests.question_label, tracking_token=requests.tracking_token,
                           guardian_acts=acts.of_learner(current_user.id),
                           **({"form": sent[1]} if sent else {}))


@bp.route("/compte/parametres/demandes", methods=["GET", "POST"])
@login_required
@mail_form_limit
def my_requests():
    """Mes paramètres > Mes demandes: what the learner wrote to Student Success, with its state and answer; each
    request still waiting for its answer has a form to add to it (which one: the hidden `demande` field)."""
    if request.method == "GET":
        return _my_requests()
    contact = requests.learners_request(current_user, posted_id("demande")) or abort(404)
    form = _addition_form(contact)
    if form.validate_on_submit():
        try:
            requests.add_to(contact, form.message.data)
        except DomainError as error:
            populate_errors(form, error)
        else:
            db.session.commit()
            flash(_("Votre complément à la demande %(reference)s est transmis à Student Success. Un accusé de "
                    "réception vous est envoyé par email.", reference=contact.reference), "success")
            return redirect(url_for("support.my_requests"))  # the outcome, focused, at the top
    return _my_requests(sent=(contact.id, form))
