"""The exports of a person's data (GDPR art. 15 and 20): asked from Mes paramètres, prepared by the job queue."""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models._types import UTCDateTime
from app.models.user import User


class DataExport(Model):
    """One export asked for: the ZIP is kept until it is downloaded once or its link expires, then deleted (the
    row stays, as the history the page shows)."""

    __tablename__ = "data_export"

    id: Mapped[int] = mapped_column(primary_key=True)
    # In the download address instead of the id: an address that cannot be guessed from another one.
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    language: Mapped[str] = mapped_column(String(5))  # of the archive's read-me and of the mail
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ready_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Read only to hand it over: the page that shows the export's state never loads the megabytes.
    archive: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, deferred=True)
    size_bytes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    downloaded_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)  # the archive, not the row

    user: Mapped[User] = relationship()
