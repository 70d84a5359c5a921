"""Certificates of achievement (CGS-2.1-A2) and diplomas (CGS-DEF-3), digital only (CGS-2.2-A3): the learner's
"Certificats" tab, the HTML view and stored PDF in the page's language (owner only), the public verification page
and the opt-in public profile."""

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.extensions import db, limiter
from app.forms.certificates import PublicProfileForm, VerifyForm
from app.i18n import current_language
from app.services.learning import certificates
from app.views._render import public_url

bp = Blueprint("certificates", __name__)

# One budget per address for every public look-up: the verification page, its form and the public profiles.
public_lookup_limit = limiter.shared_limit(lambda: current_app.config["CERTIFICATE_VERIFY_RATE_LIMIT"],
                                           scope="certificate-lookup")


def _limited_read(view):
    """Rate-limited even on GET (the limiter skips other page views)."""
    limited = public_lookup_limit(view)
    limited.limits_reads = True
    return limited


def verification_url(certificate) -> str:
    return public_url(url_for("certificates.verify", public_id=certificate.public_id))


def _own_certificate_or_404(public_id: str):
    """Anyone else's certificate is as good as unknown here: 404 (its public page is the verification one)."""
    return certificates.owned_by(current_user.id, public_id) or abort(404)


@bp.route("/compte/parametres/certificats")
@login_required
def settings():
    owned = certificates.for_user(current_user.id)
    form = PublicProfileForm(public_profile=current_user.public_profile)
    return render_template("certificates/settings.html", form=form,
                           diplomas=[c for c in owned if c.is_diploma],
                           certificates=[c for c in owned if not c.is_diploma],
                           urls={c.public_id: verification_url(c) for c in owned},
                           linkedin={c.public_id: certificates.linkedin_url(c, verification_url(c)) for c in owned},
                           profile_url=_profile_url(current_user))


def _profile_url(user) -> str | None:
    if not user.public_profile or not user.public_profile_id:
        return None
    return public_url(url_for("certificates.profile", profile_id=user.public_profile_id))


@bp.route("/compte/parametres/certificats/profil-public", methods=["POST"])
@login_required
def set_public_profile():
    form = PublicProfileForm()
    if not form.validate_on_submit():
        abort(400)
    certificates.set_public_profile(current_user, form.public_profile.data)
    db.session.commit()
    if current_user.public_profile:
        flash(_("Votre profil public est visible à l'adresse %(url)s.", url=_profile_url(current_user)), "success")
    else:
        flash(_("Votre profil public est masqué : son adresse affiche désormais « Page introuvable »."), "success")
    return redirect(url_for("certificates.settings") + "#public-profile-title")


@bp.route("/compte/certificats/<public_id>")
@login_required
def certificate(public_id: str):
    owned = _own_certificate_or_404(public_id)
    url = verification_url(owned)
    return render_template("certificates/certificate.html", certificate=owned, verification_url=url,
                           linkedin_url=certificates.linkedin_url(owned, url),
                           title=certificates.document_title(owned))


@bp.route("/compte/certificats/<public_id>.pdf")
@login_required
def certificate_pdf(public_id: str):
    owned = _own_certificate_or_404(public_id)
    language = current_language()
    content = certificates.stored_pdf(owned, language, verification_url(owned))
    db.session.commit()
    return Response(content, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{certificates.pdf_filename(owned)}"',
                             "Content-Language": language, "Cache-Control": "private, no-cache"})


@bp.route("/certificats")
@_limited_read
def verify_form():
    """"Vérifier un certificat": the identifier typed (or the address pasted) leads to its verification page."""
    form = VerifyForm(request.args)
    if "identifiant" in request.args and form.validate():
        identifier = certificates.normalise_identifier(form.identifiant.data)
        if identifier:
            return redirect(url_for("certificates.verify", public_id=identifier))
        form.identifiant.errors = [_("Indiquez l'identifiant du certificat.")]
    return render_template("certificates/verify_form.html", form=form)


@bp.route("/certificats/<public_id>")
@_limited_read
def verify(public_id: str):
    """The public verification page: no account needed. An unknown identifier is a 404 that says so."""
    canonical = certificates.normalise_identifier(public_id)
    if canonical != public_id and certificates.PUBLIC_ID_PATTERN.match(canonical):
        return redirect(url_for("certificates.verify", public_id=canonical))  # e.g. typed in lower case
    found = certificates.by_public_id(public_id)
    form = VerifyForm(identifiant=public_id)
    if found is None:
        return render_template("certificates/unknown.html", identifier=public_id, form=form), 404
    return render_template("certificates/verify.html", certificate=found, verification_url=verification_url(found),
                           form=VerifyForm(formdata=None))


@bp.route("/profils/<profile_id>")
@_limited_read
def profile(profile_id: str):
    """A learner's public profile, only when they opted in (otherwise the address is unknown: 404)."""
    found = certificates.public_profile(profile_id) or abort(404)
    learner, valid = found
    return render_template("certificates/profile.html", learner=learner,
                           diplomas=[c for c in valid if c.is_diploma],
                           certificates=[c for c in valid if not c.is_diploma])


@bp.errorhandler(429)
def too_many_lookups(error):
    db.session.rollback()
    return render_template("errors/error.html", code=429, title=_("Trop de vérifications"),
                           message=_("Vous avez consulté trop de certificats en peu de temps. Patientez quelques "
                                     "minutes, puis réessayez.")), 429
