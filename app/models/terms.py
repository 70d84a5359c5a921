"""Versioned legal documents (the service terms, the Student Rules), their stored PDFs and audio."""

import enum
from datetime import date, datetime, timedelta

from sqlalchemy import Boolean, Date, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models._i18n import Bilingual
from app.models._types import UTCDateTime, string_enum
from app.time_zone import PARIS


class LegalDocumentVersion(Bilingual, Model):
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


class RenderedPdf(Model):
    """A PDF rendered once and kept: the same bytes are served every time."""

    __tablename__ = "rendered_pdf"
    __table_args__ = (UniqueConstraint("document_version_id", "language", name="uq_rendered_pdf_version_lang"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_version_id: Mapped[int] = mapped_column(ForeignKey("legal_document_version.id"))
    language: Mapped[str] = mapped_column(String(5))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class RenderedAudio(Model):
    """One section of a published document, read by the speech synthesiser in one language: made once, at
    publication, and served as stored (the same text heard without JavaScript or a voice in the browser)."""

    __tablename__ = "rendered_audio"
    __table_args__ = (UniqueConstraint("document_version_id", "language", "anchor", name="uq_rendered_audio_section"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_version_id: Mapped[int] = mapped_column(ForeignKey("legal_document_version.id"))
    language: Mapped[str] = mapped_column(String(5))
    anchor: Mapped[str] = mapped_column(String(200))  # the section's h2 id (markdown.INTRO before the first)
    position: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)  # MP3
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class TermsDecision(enum.StrEnum):
    ACCEPTED = "accepted"  # "J'accepte les nouvelles conditions"
    ACCEPTED_BY_USE = "accepted_by_use"  # used the platform after the 30 days (art. 1)
    REFUSED = "refused"  # terminated within the 30 days to refuse them


class TermsChangeNotice(Model):
    """A subscriber told of a material change of the terms (art. 1): 30 days from the notice to terminate and
    refuse them; using the platform after that counts as acceptance."""

    __tablename__ = "terms_change_notice"
    __table_args__ = (UniqueConstraint("subscription_id", "version_id", name="uq_terms_change_notice"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscription.id"))
    version_id: Mapped[int] = mapped_column(ForeignKey("legal_document_version.id"))
    notified_at: Mapped[datetime] = mapped_column(UTCDateTime())
    window_ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decision: Mapped[TermsDecision | None] = mapped_column(string_enum(TermsDecision), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    decided_ip: Mapped[str | None] = mapped_column(String(64), nullable=True)

    version: Mapped[LegalDocumentVersion] = relationship()

    @property
    def is_refused(self) -> bool:
        """Refused by terminating within the 30 days."""
        return self.decision == TermsDecision.REFUSED

    @property
    def is_accepted_explicitly(self) -> bool:
        """Accepted with "J'accepte les nouvelles conditions" (not by using the platform after the 30 days)."""
        return self.decision == TermsDecision.ACCEPTED

    @property
    def last_day(self) -> date:
        """The last day, in Paris, on which the learner may still refuse: the window ends at its midnight."""
        return (self.window_ends_at.astimezone(PARIS) - timedelta(microseconds=1)).date()
