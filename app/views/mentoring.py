"""The mentor's space: the Premium Plus learners a mentor accompanies now, the sessions booked with them, and the
weekly slots and video-call address the mentor offers."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.extensions import db
from app.forms import EmptyForm, populate_errors
from app.forms.mentoring import WEEKDAYS, SlotForm, VideoCallForm
from app.services import DomainError
from app.services.accounts import roles
from app.services.commerce import mentors
from app.services.mentoring import availability, sessions

bp = Blueprint("mentoring", __name__)


def _mentor_only() -> None:
    # Like the back office, the space does not tell anyone else that it exists.
    if not roles.has(current_user, roles.Role.MENTOR):
        abort(404)


@bp.route("/mentor")
@login_required
def home() -> ResponseReturnValue:
    _mentor_only()
    return render_template("mentoring/home.html", assignments=mentors.learners_of(current_user),
                           upcoming=sessions.upcoming_of_mentor(current_user))


@bp.route("/mentor/disponibilites", methods=["GET", "POST"])
@login_required
def availability_page() -> ResponseReturnValue:
    _mentor_only()
    slot_form = SlotForm(prefix="slot", time_zones=availability.time_zones(),
                         data={"time_zone": availability.DEFAULT_TIME_ZONE})
    video_form = VideoCallForm(prefix="video", data={"video_call_url": current_user.video_call_url or ""})
    if request.method == "POST":
        form = slot_form if "slot-weekday" in request.form else video_form
        if form.validate_on_submit():
            try:
                if form is slot_form:
                    availability.add_slot(current_user, int(slot_form.weekday.data), slot_form.starts_at.data,
                                          slot_form.time_zone.data)
                else:
                    availability.set_video_url(current_user, video_form.video_call_url.data.strip())
            except DomainError as error:
                populate_errors(form, error)
            else:
                db.session.commit()
                flash(_("Créneau ajouté : les apprenants peuvent le réserver.") if form is slot_form
                      else _("Adresse de visioconférence enregistrée."), "success")
                return redirect(url_for("mentoring.availability_page"))
    return render_template("mentoring/availability.html", slot_form=slot_form, video_form=video_form,
                           slots=availability.slots_of(current_user), weekdays=WEEKDAYS, form=EmptyForm())


@bp.route("/mentor/disponibilites/<int:slot_id>/retirer", methods=["POST"])
@login_required
def remove_slot(slot_id: int) -> ResponseReturnValue:
    _mentor_only()
    if not EmptyForm().validate_on_submit() or not availability.remove_slot(current_user, slot_id):
        abort(404)
    db.session.commit()
    flash(_("Créneau retiré. Les séances déjà réservées sont maintenues."), "success")
    return redirect(url_for("mentoring.availability_page"))
