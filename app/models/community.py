"""The subscribers' community (CGS-2.1-A3): the forum (a general forum and one per course, their threads and
posts), private conversations between two subscribers, and the reports of abusive posts or messages that
Student Success examines.

Posts and messages are plain text, stored as written and always shown escaped. Lists read denormalised
figures (a thread's post count and last activity, a learner's unread count on their account row) so that a
page renders from a few queries whatever its length.
"""

import enum
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models._i18n import Bilingual
from app.models._types import UTCDateTime, string_enum
from app.models.catalog import Course
from app.models.user import User


class ForumCategory(Bilingual, Model):
    """A forum: the general one (no course) or the one of a course."""

    __tablename__ = "forum_category"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    course_id: Mapped[int | None] = mapped_column(ForeignKey("course.id"), unique=True, nullable=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name_fr: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    description_fr: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")

    course: Mapped[Course | None] = relationship()


class ForumThread(Model):
    __tablename__ = "forum_thread"
    __table_args__ = (Index("ix_forum_thread_category_activity", "category_id", "last_activity_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("forum_category.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Kept up to date by every reply: the lists sort and show them without reading the posts.
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    post_count: Mapped[int] = mapped_column(Integer, default=1)
    # Set when Student Success hides the opening post: the title is no longer shown either.
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    category: Mapped[ForumCategory] = relationship()
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    last_author: Mapped[User] = relationship(foreign_keys=[last_author_id])


class ForumPost(Model):
    __tablename__ = "forum_post"
    __table_args__ = (Index("ix_forum_post_thread_order", "thread_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("forum_thread.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    is_opening: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    thread: Mapped[ForumThread] = relationship()
    author: Mapped[User] = relationship()


class Conversation(Model):
    """Private messages between two subscribers: one conversation per pair, `first_user_id` the smaller id."""

    __tablename__ = "private_conversation"
    __table_args__ = (
        UniqueConstraint("first_user_id", "second_user_id", name="uq_private_conversation_pair"),
        CheckConstraint("first_user_id < second_user_id", name="two_people"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    first_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    second_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_message_at: Mapped[datetime] = mapped_column(UTCDateTime())

    first_user: Mapped[User] = relationship(foreign_keys=[first_user_id])
    second_user: Mapped[User] = relationship(foreign_keys=[second_user_id])

    def includes(self, user_id: int) -> bool:
        return user_id in (self.first_user_id, self.second_user_id)

    def other(self, user_id: int) -> User:
        """The other participant, seen from `user_id`."""
        return self.second_user if user_id == self.first_user_id else self.first_user


class PrivateMessage(Model):
    __tablename__ = "private_message"
    __table_args__ = (Index("ix_private_message_unread", "recipient_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("private_conversation.id"), index=True)
    sender_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    recipient_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # When the recipient opened the conversation with this message in it: unread until then.
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    conversation: Mapped[Conversation] = relationship()
    sender: Mapped[User] = relationship(foreign_keys=[sender_id])
    recipient: Mapped[User] = relationship(foreign_keys=[recipient_id])


class ReportReason(enum.StrEnum):
    """Why a post or a message is reported, in the order the form lists them (Student Rules art. 3 and 5)."""

    ABUSE = "abuse"                  # insults, harassment, threats, discrimination
    ILLEGAL = "illegal"              # unlawful or shocking content
    PERSONAL_DATA = "personal_data"  # someone else's personal information
    SPAM = "spam"                    # advertising, spam
    OTHER = "other"


class ReportOutcome(enum.StrEnum):
    HIDDEN = "hidden"  # Student Success hid the content
    KEPT = "kept"      # examined, left as it was


class AbuseReport(Model):
    """A subscriber's report of a forum post or of a private message they received, for Student Success."""

    __tablename__ = "abuse_report"
    __table_args__ = (CheckConstraint("(post_id IS NULL) <> (message_id IS NULL)", name="one_target"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    post_id: Mapped[int | None] = mapped_column(ForeignKey("forum_post.id"), nullable=True, index=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("private_message.id"), nullable=True, index=True)
    reason: Mapped[ReportReason] = mapped_column(string_enum(ReportReason))
    details: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True, index=True)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    outcome: Mapped[ReportOutcome | None] = mapped_column(string_enum(ReportOutcome), nullable=True)

    reporter: Mapped[User] = relationship(foreign_keys=[reporter_id])
    resolved_by: Mapped[User | None] = relationship(foreign_keys=[resolved_by_id])
    post: Mapped[ForumPost | None] = relationship()
    message: Mapped[PrivateMessage | None] = relationship()

    @property
    def hid_content(self) -> bool:
        """Resolved by hiding the post or message."""
        return self.outcome == ReportOutcome.HIDDEN

    @property
    def target(self) -> ForumPost | PrivateMessage:
        if self.post is not None:
            return self.post
        if self.message is not None:
            return self.message
        raise ValueError(f"report {self.id} names neither a post nor a message")
