"""Diplomas (CGS-DEF-3): staff record the jury's decision at a learner's final defence of a Parcours
(`/equipe/soutenances`). The diploma itself is shown, downloaded and verified as a certificate (views/certificates)."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.extensions import db
from app.forms import populate_errors
from app.forms.diplomas import DefenceDecisionForm
from app.services import DomainError, diplomas
from app.views.support import _staff_only

bp = Blueprint("diplomas", __name__)


def form_prefix(candidate: diplomas.Candidate) -> str:
    """Each learner's form has its own field ids and names on the page."""
    return f"defence-{candidate.user.id}-{candidate.parcours.id}"


@bp.route("/equipe/soutenances", methods=["GET", "POST"])
def staff_defences():
    """The learners who completed a Parcours and await the jury's decision, with a form for each."""
    _staff_only()
    candidates = diplomas.awaiting_decision()
    forms = {form_prefix(c): DefenceDecisionForm(prefix=form_prefix(c)) for c in candidates}
    if request.method == "POST":
        key = f"defence-{request.form.get('user_id', type=int)}-{request.form.get('parcours_id', type=int)}"
        candidate = next((c for c in candidates if form_prefix(c) == key), None) or abort(404)
        form = forms[key]
        if form.validate_on_submit():
            try:
                decision = diplomas.record_decision(candidate.user, candidate.parcours, current_user,
                                                    form.defended_on.data, form.decision.data == "favourable",
                                                    form.comments.data)
            except DomainError as error:
                populate_errors(form, error)
            else:
                db.session.commit()
                if decision.diploma is not None:
                    flash(_("Avis favorable enregistré : le diplôme %(id)s du Parcours %(parcours)s est délivré à "
                            "%(name)s, qui en est informé par email.", id=decision.diploma.public_id,
                            parcours=candidate.parcours.t("title"), name=candidate.user.full_name), "success")
                else:
                    flash(_("Avis défavorable enregistré pour %(name)s (Parcours %(parcours)s), qui en est informé "
                            "par email.", name=candidate.user.full_name, parcours=candidate.parcours.t("title")),
                          "success")
                return redirect(url_for("diplomas.staff_defences"))
    return render_template("diplomas/staff_defences.html", candidates=candidates, forms=forms,
                           form_prefix=form_prefix)
