"""Learners (and staff) and their signed-in sessions."""

from datetime import date, datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models._types import UTCDateTime


class User(UserMixin, Model):  # type: ignore[misc]  # flask-login has no type information
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    # None until the learner sets one (accounts created at checkout receive a link to set it).
    password_hash: Mapped[str | None] = mapped_column(String(255), nullable=True)
    # Bumped whenever the password changes: a reset link carries it, which makes the link single use.
    credential_version: Mapped[int] = mapped_column(Integer, default=0)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    date_of_birth: Mapped[date] = mapped_column(Date)
    country: Mapped[str] = mapped_column(String(2))
    under_legal_protection: Mapped[bool] = mapped_column(Boolean, default=False)
    locale: Mapped[str] = mapped_column(String(5), default="fr")
    is_staff: Mapped[bool] = mapped_column(Boolean, default=False)
    # Accompanies Premium Plus learners of the Parcours listed in MentorParcours (the mentor's space: /mentor).
    is_mentor: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # A mentor's video-call address, given with each session they are booked for.
    video_call_url: Mapped[str | None] = mapped_column(String(300), nullable=True)
    # The zone a person reads mentoring sessions' times in (an IANA name); Paris when not chosen.
    time_zone: Mapped[str | None] = mapped_column(String(60), nullable=True)
    # The undecided notice of a material change of the terms, if any: read with the user, so that pages
    # need no query of their own to know whether to show the notice (no foreign key: the two tables would
    # reference each other).
    pending_terms_notice_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Shared in the referral link (art. 4): a referred subscription rewards this learner.
    referral_code: Mapped[str | None] = mapped_column(String(20), unique=True, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The public profile listing the learner's certificates (CGS-2.1-A2): off until the learner opts in. Its
    # address uses a random identifier, given at the first opt-in and kept, never the account id.
    public_profile: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    public_profile_id: Mapped[str | None] = mapped_column(String(40), unique=True, nullable=True)
    # Private messages received and not read yet (CGS-2.1-A3), kept by services/community: read with the user,
    # so that the navigation shows the count without a query of its own.
    unread_messages: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    # When the owner of the address opened the link mailed to it (at sign-up, a checkout, a password reset, a
    # change of address): a first order waits for it.
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Closing the account (GDPR art. 17): asked at `closing_since`, undoable for 30 days; then anonymised, at
    # `closed_at` (the row stays: invoices and consents kept by law refer to it).
    closing_since: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    sessions: Mapped[list["UserSession"]] = relationship(back_populates="user", cascade="all, delete-orphan")

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class UserSession(Model):
    """One signed-in browser. The cookie holds `token`; deleting the row signs that browser out."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # "Rester connecté" was ticked: the session lasts SESSION_LIFETIME_SECONDS from its sign-in, whatever the
    # idle time; otherwise it also ends after SESSION_IDLE_TIMEOUT_SECONDS without activity.
    remember: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    user: Mapped[User] = relationship(back_populates="sessions")
