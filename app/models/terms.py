"""Versioned legal documents (the service terms, later the Student Rules) and their stored PDFs."""

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models._i18n import Bilingual
from app.models._types import UTCDateTime


class LegalDocumentVersion(Bilingual, db.Model):
    __tablename__ = "legal_document_version"
    __table_args__ = (UniqueConstraint("document", "version", name="uq_legal_document_version_doc_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document: Mapped[str] = mapped_column(String(40))  # "cgs"
    version: Mapped[str] = mapped_column(String(40))
    effective_on: Mapped[date] = mapped_column(Date)
    # A change to duration, features or price (art. 1): subscribers get 30 days to terminate.
    material_change: Mapped[bool] = mapped_column(Boolean, default=False)
    body_fr: Mapped[str] = mapped_column(Text)  # Markdown
    body_en: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class RenderedPdf(db.Model):
    """A PDF rendered once and kept: the same bytes are served every time."""

    __tablename__ = "rendered_pdf"
    __table_args__ = (UniqueConstraint("document_version_id", "language", name="uq_rendered_pdf_version_lang"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_version_id: Mapped[int] = mapped_column(ForeignKey("legal_document_version.id"))
    language: Mapped[str] = mapped_column(String(5))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
