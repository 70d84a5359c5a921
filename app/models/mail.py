"""The mail outbox: written in the request's transaction, delivered by the job queue once it commits."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models._types import UTCDateTime, string_enum


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for its first delivery or its next attempt
    SENT = "sent"
    FAILED = "failed"  # set aside: it cannot be built, or kept failing; staff see it and may retry it


class OutboxMessage(Model):
    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(5))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    status: Mapped[OutboxStatus] = mapped_column(string_enum(OutboxStatus, 10), default=OutboxStatus.PENDING,
                                                 index=True)
    # Not before this time (the backoff after a failed attempt); None: at once.
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # The worker delivering it, until when: another worker may take it over only once the claim has expired.
    claimed_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Given once, kept across attempts: a receiver that got a message whose final OK was lost can drop the copy.
    message_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    # What the caller says this message is, for this recipient: the same key is queued only once.
    dedupe_key: Mapped[str | None] = mapped_column(String(200), nullable=True, unique=True)
    # The documents sent with it (an invoice's PDF), in the order given.
    attachments: Mapped[list["OutboxAttachment"]] = relationship(order_by="OutboxAttachment.id",
                                                                 cascade="all, delete-orphan")


class OutboxAttachment(Model):
    """A document sent with a message, copied when the message is queued: the mail says what the document said
    then. Dropped once the message is sent (the document itself stays where it was issued)."""
    __tablename__ = "outbox_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("outbox_message.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    content: Mapped[bytes] = mapped_column(LargeBinary)
