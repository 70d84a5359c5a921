"""What a learner has read: the chapters done and where to pick up again."""

from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model
from app.models._types import UTCDateTime


class ChapterProgress(Model):
    __tablename__ = "chapter_progress"
    __table_args__ = (UniqueConstraint("user_id", "chapter_id", name="uq_chapter_progress_user_chapter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    chapter_id: Mapped[int] = mapped_column(ForeignKey("chapter.id"))
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)
    last_opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
