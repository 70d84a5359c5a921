"""Certificates of achievement (CGS-2.1-A2) and diplomas (CGS-DEF-3), digital only (CGS-2.2-A3).

A certificate of achievement is issued once per learner and course, when the course is passed. A diploma is
issued once per learner and Parcours, when the learner has passed every course of it and a jury gave a
favourable opinion at the final defence (soutenance). Both are rows of one table (`kind`), so that a diploma
has everything a certificate has: the public identifier and verification page, the stored accessible PDF,
the LinkedIn link, the public profile and revocation.

Everything a certificate shows (the learner's name, the title of the course or Parcours, the grade or the date
of the defence) is copied onto the row at issue time, so a later change of name or of title never alters an
issued certificate. Its public identifier is random (not derived from the row id), long enough that it cannot
be guessed, and is the key of the public verification page. Its PDF is rendered once per language, the first
time that language is asked for, stored with its SHA-256 and served as stored forever after. A certificate is
never deleted nor edited: staff may only revoke it (with a reason), which the verification page then says.
"""

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
    inspect,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, Mapper, mapped_column, relationship

from app.extensions import Model
from app.models._i18n import Bilingual
from app.models._types import UTCDateTime, string_enum
from app.models.catalog import Course, Parcours
from app.models.user import User
from app.time_zone import PARIS

# The only columns that may change after issue: the revocation.
MUTABLE_AFTER_ISSUE = {"revoked_at", "revocation_reason"}


class CertificateKind(enum.StrEnum):
    COURSE = "course"  # a certificate of achievement: one course passed, with its grade
    DIPLOMA = "diploma"  # a diploma: a whole Parcours completed and defended before a jury


class Certificate(Bilingual, Model):
    __tablename__ = "certificate"
    __table_args__ = (
        # Exactly one certificate per learner and course, and one diploma per learner and Parcours, even when
        # two requests issue it at once (NULLs are distinct: the other kind never conflicts).
        UniqueConstraint("user_id", "course_id", name="uq_certificate_user_course"),
        UniqueConstraint("user_id", "parcours_id", name="uq_certificate_user_parcours"),
        # A course certificate has a course and a grade; a diploma a Parcours and the date of its defence.
        CheckConstraint("(kind = 'course' AND course_id IS NOT NULL AND parcours_id IS NULL "
                        "AND grade_percent IS NOT NULL AND defended_on IS NULL) OR "
                        "(kind = 'diploma' AND parcours_id IS NOT NULL AND course_id IS NULL "
                        "AND grade_percent IS NULL AND defended_on IS NOT NULL)", name="one_subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The public identifier printed on the certificate and in its verification address.
    public_id: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[CertificateKind] = mapped_column(string_enum(CertificateKind))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    course_id: Mapped[int | None] = mapped_column(ForeignKey("course.id"), index=True, nullable=True)
    parcours_id: Mapped[int | None] = mapped_column(ForeignKey("parcours.id"), index=True, nullable=True)
    learner_name: Mapped[str] = mapped_column(String(210))
    # The course's or the Parcours's title, as it was at issue time.
    title_fr: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    issuer: Mapped[str] = mapped_column(String(200))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    grade_percent: Mapped[int | None] = mapped_column(Integer, nullable=True)  # course certificates
    defended_on: Mapped[date | None] = mapped_column(Date, nullable=True)  # diplomas: the day of the defence
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    revocation_reason: Mapped[str | None] = mapped_column(Text, nullable=True)

    user: Mapped[User] = relationship()
    course: Mapped[Course | None] = relationship()
    parcours: Mapped[Parcours | None] = relationship()

    @property
    def is_diploma(self) -> bool:
        return self.kind == CertificateKind.DIPLOMA

    @property
    def title(self) -> str:
        """The course's or Parcours's title (as issued) in the reader's language."""
        title: str = self.t("title")
        return title

    @property
    def issued_on(self) -> date:
        """The issue date as printed (Europe/Paris)."""
        return self.issued_at.astimezone(PARIS).date()

    @property
    def revoked_on(self) -> date | None:
        return self.revoked_at.astimezone(PARIS).date() if self.revoked_at else None

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None


@event.listens_for(Certificate, "before_update")
def _an_issued_certificate_never_changes(mapper: Mapper[Certificate], connection: Connection,
                                          target: Certificate) -> None:
    """Only the revocation may be added later; everything printed stays as issued."""
    state = inspect(target)
    for column in mapper.column_attrs:
        if state.attrs[column.key].history.has_changes() and column.key not in MUTABLE_AFTER_ISSUE:
            raise ValueError(f"certificate {target.public_id} is issued: {column.key} never changes")


class CertificatePdf(Model):
    """A certificate's PDF in one language: rendered the first time that language is asked for, then served
    as stored (the same bytes, whose SHA-256 is kept beside them)."""

    __tablename__ = "certificate_pdf"
    __table_args__ = (UniqueConstraint("certificate_id", "language", name="uq_certificate_pdf_certificate_language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificate.id"))
    language: Mapped[str] = mapped_column(String(5))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


@event.listens_for(CertificatePdf, "before_update")
def _a_stored_pdf_never_changes(mapper: Mapper[CertificatePdf], connection: Connection,
                                target: CertificatePdf) -> None:
    raise ValueError(f"the stored PDF {target.id} of a certificate never changes")


class DefenceDecision(Model):
    """The jury's decision at a learner's final defence of a Parcours (CGS-DEF-3), as recorded by staff. A
    favourable one issued the diploma (`diploma_id`); after an unfavourable one the learner may defend again,
    which is another row."""

    __tablename__ = "defence_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    parcours_id: Mapped[int] = mapped_column(ForeignKey("parcours.id"))
    defended_on: Mapped[date] = mapped_column(Date)
    favourable: Mapped[bool] = mapped_column(Boolean)
    comments: Mapped[str] = mapped_column(Text)  # the jury's, as sent to the learner
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    diploma_id: Mapped[int | None] = mapped_column(ForeignKey("certificate.id"), nullable=True)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    parcours: Mapped[Parcours] = relationship()
    recorded_by: Mapped[User] = relationship(foreign_keys=[recorded_by_id])
    diploma: Mapped[Certificate | None] = relationship()


@event.listens_for(DefenceDecision, "before_update")
def _a_recorded_decision_never_changes(mapper: Mapper[DefenceDecision], connection: Connection,
                                       target: DefenceDecision) -> None:
    raise ValueError(f"the jury decision {target.id} is recorded: it never changes")
