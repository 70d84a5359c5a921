"""The service terms as versioned content: loading, the version in force, HTML and the stored PDF."""

from collections.abc import Callable
from datetime import date
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.models import LegalDocumentVersion, RenderedPdf
from app.services import DomainError
from app.services.common import clock

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
    return row


def publish_terms_from_files(version: str, effective_on: date, material_change: bool = False) -> LegalDocumentVersion:
    return publish_version(TERMS, version, effective_on, material_change,
                           (CONTENT_DIR / "cgs.fr.md").read_text(encoding="utf-8"),
                           (CONTENT_DIR / "cgs.en.md").read_text(encoding="utf-8"))


RULES = "rules"
RULES_DIR = CONTENT_DIR.parent / "rules"


def publish_rules_from_files(version: str, effective_on: date, material_change: bool = False) -> LegalDocumentVersion:
    """The Student Rules (Règlement intérieur étudiant) that Premium Plus learners accept (art. 2.2 of the terms)."""
    return publish_version(RULES, version, effective_on, material_change,
                           (RULES_DIR / "reglement-interieur.fr.md").read_text(encoding="utf-8"),
                           (RULES_DIR / "reglement-interieur.en.md").read_text(encoding="utf-8"))


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


def version_to_accept(document: str = TERMS) -> LegalDocumentVersion:
    """The version a box ticked today accepts. A consent that cannot name its version proves nothing, so none
    is recorded without one: the learner is told, and nothing is ordered or approved."""
    version = version_in_force(document)
    if version is None:
        raise DomainError([(None, str(_l("Ce document n'est pas encore publié : il ne peut pas être accepté pour "
                                         "le moment. Réessayez plus tard ou contactez-nous.")))])
    return version


def stored_pdf(version: LegalDocumentVersion, language: str, render: Callable[[], bytes]) -> bytes:
    """The PDF of this version in this language, rendered by `render()` the first time only."""
    row = db.session.scalar(select(RenderedPdf).where(
        RenderedPdf.document_version_id == version.id, RenderedPdf.language == language))
    if row is None:
        row = RenderedPdf(document_version_id=version.id, language=language, content=render(),
                          created_at=clock.now())
        db.session.add(row)
        db.session.flush()
    return row.content
