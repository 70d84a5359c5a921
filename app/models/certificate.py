"""Certificates of achievement (CGS-2.1-A2), digital only (CGS-2.2-A3).

A certificate is issued once per learner and course, when the course is passed. Everything it shows (the
learner's name, the course title, the grade) is copied onto the row at issue time, so a later change of name
or of course title never alters an issued certificate. Its public identifier is random (not derived from the
row id), long enough that it cannot be guessed, and is the key of the public verification page. The PDF is
rendered once, stored with its SHA-256 and served as stored forever after. A certificate is never deleted nor
edited: staff may only revoke it (with a reason), which the verification page then says.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint, event, inspect
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from app.extensions import db
from app.models._i18n import Bilingual
from app.models._types import UTCDateTime
from app.models.catalog import Course
from app.models.user import User

PARIS = ZoneInfo("Europe/Paris")

# Columns that may still change after issue: the revocation, and the PDF stored once on first download.
MUTABLE_AFTER_ISSUE = {"revoked_at", "revocation_reason"}
WRITE_ONCE_AFTER_ISSUE = {"pdf", "pdf_sha256"}


class Certificate(Bilingual, db.Model):
    __tablename__ = "certificate"
    # Exactly one certificate per learner and course, even when two requests pass the course at once.
    __table_args__ = (UniqueConstraint("user_id", "course_id", name="uq_certificate_user_course"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The public identifier printed on the certificate and in its verification address.
    public_id: Mapped[str] = mapped_column(String(40), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)
    learner_name: Mapped[str] = mapped_column(String(210))
    course_title_fr: Mapped[str] = mapped_column(String(200))
    course_title_en: Mapped[str] = mapped_column(String(200))
    issuer: Mapped[str] = mapped_column(String(200))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    grade_percent: Mapped[int] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(5))  # the learner's language at issue time: the PDF's
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    revocation_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary, nullable=True))
    pdf_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)

    user: Mapped[User] = relationship()
    course: Mapped[Course] = relationship()

    @property
    def course_title(self) -> str:
        """The course title (as issued) in the reader's language."""
        return self.t("course_title")

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
def _an_issued_certificate_never_changes(mapper, connection, target: Certificate) -> None:
    """Only the revocation may be added later, and the PDF stored once; everything printed stays as issued."""
    state = inspect(target)
    pdf_stored_now = list(state.attrs.pdf_sha256.history.deleted) == [None]
    for column in mapper.column_attrs:
        if not state.attrs[column.key].history.has_changes() or column.key in MUTABLE_AFTER_ISSUE:
            continue
        if column.key in WRITE_ONCE_AFTER_ISSUE and pdf_stored_now:
            continue
        raise ValueError(f"certificate {target.public_id} is issued: {column.key} never changes")
