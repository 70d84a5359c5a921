"""The service terms as versioned content: loading, the version in force, HTML and the stored PDF.

The PDF of a version of the terms is rendered once per language, by the job queue, as soon as the version is
published (PDF_FLAG marks the session; the queue runs `store_pdfs` after the commit, and a periodic sweep catches
any it missed); a request only ever serves the stored bytes."""

from datetime import date, datetime
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.extensions import db
from app.i18n import force_language
from app.models import LegalDocumentVersion, RenderedPdf
from app.services import DomainError
from app.services.common import clock, markdown, pdf, rows

TERMS = "cgs"
CONTENT_DIR = Path(__file__).resolve().parent.parent.parent / "content" / "terms"


def body_without_title(markdown_text: str) -> str:
    """The document minus its `# title` line: the page supplies its own h1."""
    lines = markdown_text.splitlines()
    return "\n".join(line for line in lines if not line.startswith("# "))


def title_of(markdown_text: str) -> str:
    return next(line[2:].strip() for line in markdown_text.splitlines() if line.startswith("# "))


def publish_version(document: str, version: str, effective_on: date, material_change: bool,
                    body_fr: str, body_en: str) -> LegalDocumentVersion:
    """Record a version; publishing the same version again changes nothing (a version is immutable)."""
    existing = published_version(document, version)
    if existing is not None:
        return existing
    row = LegalDocumentVersion(document=document, version=version, effective_on=effective_on,
                               material_change=material_change, body_fr=body_fr, body_en=body_en,
                               created_at=clock.now())
    db.session.add(row)
    db.session.flush()
    if document == TERMS:
        db.session.info.setdefault(PDF_FLAG, set()).add(row.id)
    db.session.info.setdefault(AUDIO_FLAG, set()).add(row.id)
    return row


def _publish_from_files(document: str, version: str, effective_on: date, material_change: bool, folder: Path,
                        name: str) -> LegalDocumentVersion:
    return publish_version(document, version, effective_on, material_change,
                           (folder / f"{name}.fr.md").read_text(encoding="utf-8"),
                           (folder / f"{name}.en.md").read_text(encoding="utf-8"))


def publish_terms_from_files(version: str, effective_on: date, material_change: bool = False,
                             folder: Path = CONTENT_DIR) -> LegalDocumentVersion:
    """The terms from `folder` (the text as it stands; a published version's own copy lies in a sub-folder)."""
    return _publish_from_files(TERMS, version, effective_on, material_change, folder, "cgs")


RULES = "rules"
RULES_DIR = CONTENT_DIR.parent / "rules"


def publish_rules_from_files(version: str, effective_on: date, material_change: bool = False,
                             folder: Path = RULES_DIR) -> LegalDocumentVersion:
    """The Student Rules (Règlement intérieur étudiant) that Premium Plus learners accept (art. 2.2 of the terms)."""
    return _publish_from_files(RULES, version, effective_on, material_change, folder, "reglement-interieur")


def published_version(document: str, version: str) -> LegalDocumentVersion | None:
    return db.session.scalar(select(LegalDocumentVersion).where(
        LegalDocumentVersion.document == document, LegalDocumentVersion.version == version))


def version_in_force(document: str = TERMS, on: date | None = None) -> LegalDocumentVersion | None:
    on = on or clock.today_in_paris()
    return db.session.scalar(
        select(LegalDocumentVersion)
        .where(LegalDocumentVersion.document == document, LegalDocumentVersion.effective_on <= on)
        .order_by(LegalDocumentVersion.effective_on.desc(), LegalDocumentVersion.id.desc())
        .limit(1)
    )


def previous_version(version: LegalDocumentVersion) -> LegalDocumentVersion | None:
    """The version of the same document that this one follows (the latest to take effect before it)."""
    return db.session.scalar(
        select(LegalDocumentVersion)
        .where(LegalDocumentVersion.document == version.document, LegalDocumentVersion.id != version.id,
               LegalDocumentVersion.effective_on <= version.effective_on,
               (LegalDocumentVersion.effective_on < version.effective_on) | (LegalDocumentVersion.id < version.id))
        .order_by(LegalDocumentVersion.effective_on.desc(), LegalDocumentVersion.id.desc())
        .limit(1))


def version_to_accept(document: str = TERMS) -> LegalDocumentVersion:
    """The version a box ticked today accepts. A consent that cannot name its version proves nothing, so none
    is recorded without one: the learner is told, and nothing is ordered or approved."""
    version = version_in_force(document)
    if version is None:
        raise DomainError([(None, str(_l("Ce document n'est pas encore publié : il ne peut pas être accepté pour "
                                         "le moment. Réessayez plus tard ou contactez-nous.")))])
    return version


# --- The terms' PDF: rendered at publication, served as stored ------------------------------------------------

PDF_FLAG = "legal_pdfs_to_render"
# Every document is read aloud too (services/legal/audio.py makes it, after the commit, as for the PDF).
AUDIO_FLAG = "legal_audio_to_render"


def stored_pdf(version: LegalDocumentVersion, language: str) -> bytes | None:
    """The stored PDF of this version in this language; None while the job queue is still rendering it."""
    content: bytes | None = db.session.scalar(select(RenderedPdf.content).where(
        RenderedPdf.document_version_id == version.id, RenderedPdf.language == language))
    return content


def render_pdf(version: LegalDocumentVersion, language: str) -> bytes:
    """The tagged PDF of a version of the terms, in `language`, without a request (the job queue renders it)."""
    with force_language(language):
        body = version.t("body")
        # The Jinja environment directly: no request, hence no context processor.
        html = current_app.jinja_env.get_template("pdf/terms.html").render(
            version=version, title=title_of(body),
            html=markdown.to_html(body_without_title(body), link_base=current_app.config["PUBLIC_BASE_URL"]),
            language=language, company=current_app.config["COMPANY"])
    return pdf.render_pdf(html)


def store_pdfs(version_id: int) -> int:
    """Render and store the PDFs of a published version of the terms that has none yet, in every language;
    returns how many were stored. Safe when two workers do it at once: the first copy stored is kept."""
    version = db.session.get(LegalDocumentVersion, version_id)
    if version is None or version.document != TERMS:
        return 0
    stored = 0
    for language in current_app.config["LANGUAGES"]:
        if stored_pdf(version, language) is None:
            rows.insert_if_absent(RenderedPdf, {
                "document_version_id": version.id, "language": language,
                "content": render_pdf(version, language), "created_at": clock.now()},
                ["document_version_id", "language"])
            stored += 1
    return stored


def waiting_for_pdf(published_before: datetime) -> list[int]:
    """The versions of the terms published by `published_before` that miss a PDF in some language, newest first
    (for the periodic sweep)."""
    complete = (select(RenderedPdf.document_version_id).group_by(RenderedPdf.document_version_id)
                .having(func.count(RenderedPdf.id) >= len(current_app.config["LANGUAGES"])))
    return list(db.session.scalars(select(LegalDocumentVersion.id).where(
        LegalDocumentVersion.document == TERMS, LegalDocumentVersion.id.not_in(complete),
        LegalDocumentVersion.created_at <= published_before)
        .order_by(LegalDocumentVersion.id.desc())))
