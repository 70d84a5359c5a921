"""Certificates of achievement (CGS-2.1-A2) and diplomas (CGS-DEF-3) once issued: looking them up, their
stored PDF in each language, verification, revocation by staff, the "add to LinkedIn" address and the
learner's opt-in public profile.

Issuing them is `completion.record_progress` (a course passed) and `diplomas.record_decision` (a favourable
jury decision). Both are digital only (CGS-2.2-A3): a PDF and a public verification address, never a paper
copy.

Functions flush and never commit: the caller commits once.
"""

import hashlib
import re
import secrets
from urllib.parse import urlencode

import segno
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.i18n import force_language
from app.models import Certificate, CertificatePdf, User
from app.services import DomainError
from app.services.common import clock, pdf, rows
from app.services.learning.completion import PUBLIC_ID_ALPHABET, PUBLIC_ID_GROUP, PUBLIC_ID_LENGTH

LINKEDIN_ADD_TO_PROFILE = "https://www.linkedin.com/profile/add"
MAX_REASON_LENGTH = 500
# What an identifier looks like (see completion.new_public_id); anything else is unknown without a query.
_GROUP = f"[{PUBLIC_ID_ALPHABET}]{{{PUBLIC_ID_GROUP}}}"
PUBLIC_ID_PATTERN = re.compile(f"^{_GROUP}(?:-{_GROUP}){{{PUBLIC_ID_LENGTH // PUBLIC_ID_GROUP - 1}}}$")
# A public profile's address: 12 random bytes, URL-safe (16 characters). Nobody types it: it is a link.
PROFILE_ID_BYTES = 12
PROFILE_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16}$")
# What a reader may type by mistake for a character of the identifier's alphabet.
_LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


# --- Look-ups ------------------------------------------------------------------------------------------------

def normalise_identifier(text: str | None) -> str:
    """An identifier as a person typed or pasted it, in its printed form: a whole verification address reduced
    to its last segment; case, spaces and hyphens ignored; O, I and L read as 0, 1 and 1. What cannot be an
    identifier is returned as typed (stripped), to be reported unknown."""
    value = (text or "").strip().rstrip("/").rsplit("/", 1)[-1].strip()
    compact = re.sub(r"[\s\-\u00a0\u202f]", "", value).upper().translate(_LOOK_ALIKES)
    if len(compact) != PUBLIC_ID_LENGTH or any(character not in PUBLIC_ID_ALPHABET for character in compact):
        return value
    return "-".join(compact[i:i + PUBLIC_ID_GROUP] for i in range(0, PUBLIC_ID_LENGTH, PUBLIC_ID_GROUP))


def by_public_id(public_id: str) -> Certificate | None:
    if not PUBLIC_ID_PATTERN.match(public_id or ""):
        return None
    return db.session.scalar(select(Certificate).where(Certificate.public_id == public_id))


def for_user(user_id: int) -> list[Certificate]:
    """The learner's certificates and diplomas, newest first."""
    return list(db.session.scalars(select(Certificate).where(Certificate.user_id == user_id)
                                   .order_by(Certificate.issued_at.desc(), Certificate.id.desc())))


def owned_by(user_id: int, public_id: str) -> Certificate | None:
    """The learner's own certificate; anyone else's is as good as unknown."""
    certificate = by_public_id(public_id)
    return certificate if certificate is not None and certificate.user_id == user_id else None


# --- The PDF -------------------------------------------------------------------------------------------------

def qr_code_data_uri(url: str) -> str:
    """The verification address as a QR code (PNG, inline), for the PDF."""
    return segno.make(url, error="m").png_data_uri(scale=5, border=4, dark="#111111")


def document_title(certificate: Certificate) -> str:
    """"Certificat de réussite — <course>" or "Diplôme — <Parcours>" in the current language."""
    if certificate.is_diploma:
        return str(_("Diplôme — %(parcours)s", parcours=certificate.title))
    return str(_("Certificat de réussite — %(course)s", course=certificate.title))


def render(certificate: Certificate, language: str, verification_url: str) -> bytes:
    """The PDF in `language`: tagged PDF/UA-1, with a QR code to the verification address."""
    with force_language(language):
        html = current_app.jinja_env.get_template("pdf/certificate.html").render(
            certificate=certificate, title=document_title(certificate), verification_url=verification_url,
            qr_code=qr_code_data_uri(verification_url), language=language)
    return pdf.render_pdf(html, "pdf/ua-1")


def stored_pdf(certificate: Certificate, language: str, verification_url: str) -> bytes:
    """The certificate's PDF in `language` (the page's), rendered the first time that language is asked for and
    then served as stored. Two first downloads at once may both render, but only the first copy stored is kept
    (an insert "if absent" against the unique certificate+language constraint) and both get it."""
    stored = _stored(certificate.id, language)
    if stored is None:
        content = render(certificate, language, verification_url)
        rows.insert_if_absent(CertificatePdf, {
            "certificate_id": certificate.id, "language": language, "content": content,
            "sha256": hashlib.sha256(content).hexdigest(), "created_at": clock.now(),
        }, ["certificate_id", "language"])
        stored = _stored(certificate.id, language)
        assert stored is not None  # written just now, or by whoever was first
    return stored.content


def _stored(certificate_id: int, language: str) -> CertificatePdf | None:
    return db.session.scalar(select(CertificatePdf).where(CertificatePdf.certificate_id == certificate_id,
                                                          CertificatePdf.language == language))


def pdf_filename(certificate: Certificate) -> str:
    return f"{'diplome' if certificate.is_diploma else 'certificat'}-{certificate.public_id}.pdf"


# --- Sharing -------------------------------------------------------------------------------------------------

def linkedin_url(certificate: Certificate, verification_url: str) -> str:
    """LinkedIn's public "add to profile" address for a certification: its name (the course or the Parcours),
    the issuing organisation, the month and year of issue, the identifier and the verification address."""
    issued = certificate.issued_on
    return LINKEDIN_ADD_TO_PROFILE + "?" + urlencode({
        "startTask": "CERTIFICATION_NAME",
        "name": certificate.title,
        "organizationName": certificate.issuer,
        "issueYear": issued.year,
        "issueMonth": issued.month,
        "certUrl": verification_url,
        "certId": certificate.public_id,
    })


# --- Revocation (staff) --------------------------------------------------------------------------------------

def revoke(public_id: str, reason: str) -> Certificate:
    """Revoke a certificate or a diploma (staff only: the command line). It stays, and its verification page
    says it was revoked, when, and why."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError([("reason", _("Indiquez le motif de la révocation."))])
    if len(reason) > MAX_REASON_LENGTH:
        raise DomainError([("reason", _("Le motif doit contenir au plus %(n)s caractères.", n=MAX_REASON_LENGTH))])
    certificate = by_public_id(public_id)
    if certificate is None:
        raise DomainError([("identifier", _("Aucun certificat ne porte l'identifiant %(id)s.", id=public_id))])
    if certificate.revoked_at is not None:
        raise DomainError([("identifier", _("Ce diplôme est déjà révoqué.") if certificate.is_diploma
                            else _("Ce certificat est déjà révoqué."))])
    certificate.revoked_at = clock.now()
    certificate.revocation_reason = reason
    db.session.flush()
    return certificate


# --- The public profile (opt-in) -----------------------------------------------------------------------------

def set_public_profile(user: User, visible: bool) -> User:
    """Show or hide the learner's public profile. Its address is given at the first opt-in and kept, so a link
    shared earlier works again when the learner opts back in."""
    user.public_profile = bool(visible)
    if visible and user.public_profile_id is None:
        user.public_profile_id = secrets.token_urlsafe(PROFILE_ID_BYTES)
    db.session.flush()
    return user


def public_profile(profile_id: str) -> tuple[User, list[Certificate]] | None:
    """The learner behind a public profile address and their valid certificates and diplomas; None unless they
    opted in."""
    if not PROFILE_ID_PATTERN.match(profile_id or ""):
        return None
    user = db.session.scalar(select(User).where(User.public_profile_id == profile_id))
    if user is None or not user.public_profile:
        return None
    return user, [certificate for certificate in for_user(user.id) if certificate.is_valid]
