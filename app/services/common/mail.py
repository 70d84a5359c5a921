"""Mail: queued in the outbox inside the caller's transaction, delivered by the job queue (app/jobs.py) once it
commits, never inside a web request.

Delivery rules: a message is claimed by one worker at a time (an atomic UPDATE that only succeeds when no live
claim exists), sent with a timeout, retried with exponential backoff, and set aside (status "failed", with its
error, listed for staff at /equipe) when it cannot be built or keeps failing: it never blocks the others. A caller
may give a dedupe key (what this message is, for this recipient): the same key is queued only once.

SMTP gives no exactly-once: when the connection drops after the DATA but before the server's final OK, the
message may have been accepted, and it is sent again on the next attempt. It keeps the Message-ID it was given
when queued, so a receiving system that drops duplicates by Message-ID delivers it once.
"""

import os
import smtplib
import socket
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid, parseaddr
from pathlib import Path
from typing import Any, cast

from email_validator import EmailNotValidError, validate_email
from flask import current_app, render_template
from sqlalchemy import ColumnElement, CursorResult, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.i18n import force_language
from app.models import OutboxAttachment, OutboxMessage
from app.models.mail import OutboxStatus
from app.services.common import clock
from app.services.common.safe_text import has_control, header_safe

# The session flag that tells the request (or the command) to wake the job queue once it has committed.
QUEUED_FLAG = "mail_queued"
Settings = Mapping[str, Any]  # the application's config (the workers pass it outside a request)


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # "application/pdf"
    content: bytes


class Unbuildable(Exception):
    """The message can never be turned into a mail (a bad recipient address, a header that cannot be written):
    retrying cannot help."""


def queue(recipient: str, template: str, language: str, *, dedupe_key: str | None = None,
          attachments: Sequence[Attachment] = (), **context: Any) -> OutboxMessage:
    """Render `email/<template>.txt|.html|.subject.txt` in `language` and add it to the outbox, with copies of
    `attachments`. With a `dedupe_key`, a message already queued under that key is returned instead of a second
    one."""
    if dedupe_key is not None:
        existing = _by_dedupe_key(dedupe_key)
        if existing is not None:
            return existing
    # Links in mail are always built for the configured public address, never from the Host header of the
    # request that happens to send it (nor is there one in the billing run).
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_BASE_URL"]), force_language(language):
        # Made safe where it is written: a name with a line break must never make the mail unbuildable.
        subject = header_safe(render_template(f"email/{template}.subject.txt", **context))
        text = render_template(f"email/{template}.txt", **context)
        html = render_template(f"email/{template}.html", subject=subject, **context)
    message = OutboxMessage(recipient=recipient, subject=subject[:300], body_text=text, body_html=html,
                            language=language, created_at=clock.now(), status=OutboxStatus.PENDING, attempts=0,
                            message_id=make_msgid(domain=_sender_domain()), dedupe_key=dedupe_key,
                            attachments=[OutboxAttachment(filename=attachment.filename,
                                                          content_type=attachment.content_type,
                                                          content=attachment.content)
                                         for attachment in attachments])
    if dedupe_key is None:
        db.session.add(message)
        db.session.flush()
    else:
        try:
            # Two transactions queuing the same key at once: the unique constraint lets one win.
            with db.session.begin_nested():
                db.session.add(message)
        except IntegrityError:
            kept = _by_dedupe_key(dedupe_key)
            if kept is None:  # the unique key was taken, so its row exists once the other transaction committed
                raise
            return kept
    wake_the_queue()
    return message


def _by_dedupe_key(key: str) -> OutboxMessage | None:
    return db.session.scalar(select(OutboxMessage).where(OutboxMessage.dedupe_key == key))


def wake_the_queue() -> None:
    """Ask for a delivery once the current transaction has committed (the request or the command enqueues it)."""
    db.session.info[QUEUED_FLAG] = True


def _sender_domain() -> str:
    sender: str = current_app.config["MAIL_SENDER"]
    return parseaddr(sender)[1].rpartition("@")[2] or "portail.local"


# --- Delivery -----------------------------------------------------------------------------------------------

def worker_name() -> str:
    """Who holds a claim: the machine, the process and the thread."""
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"[:100]


def _due(now: datetime) -> tuple[ColumnElement[bool], ...]:
    return (OutboxMessage.status == OutboxStatus.PENDING,
            or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now),
            or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now))


def deliver_pending(config: Settings, worker: str | None = None) -> int:
    """Deliver every message that is due (pending, past its backoff, not claimed by a live worker), oldest
    first, each claimed before it is sent, MAIL_BATCH_SIZE read at a time. Returns how many were sent."""
    worker = worker or worker_name()
    sent, batch = 0, config["MAIL_BATCH_SIZE"]
    while True:
        due = select(OutboxMessage.id).where(*_due(clock.now())).order_by(OutboxMessage.id).limit(batch)
        ids = list(db.session.scalars(due))
        db.session.commit()  # no transaction stays open while a mail server is talked to
        # Each message leaves the due ones once tried (sent, set aside, or waiting for its next attempt).
        sent += sum(deliver_one(message_id, config, worker) for message_id in ids)
        if len(ids) < batch:
            return sent


def claim(message_id: int, config: Settings, worker: str) -> OutboxMessage | None:
    """Take the message for `worker` until the claim expires, counting the attempt; None when it is not due or
    another worker holds it. One UPDATE with the whole condition: atomic on SQLite and PostgreSQL alike."""
    now = clock.now()
    taken = cast(CursorResult[Any], db.session.execute(
        update(OutboxMessage).where(OutboxMessage.id == message_id, *_due(now))
        .values(claimed_by=worker, claimed_until=now + timedelta(seconds=config["MAIL_CLAIM_SECONDS"]),
                attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False))).rowcount
    db.session.commit()
    return db.session.get(OutboxMessage, message_id, populate_existing=True) if taken else None


def deliver_one(message_id: int, config: Settings, worker: str) -> bool:
    """Claim, build and send one message; True when it was sent.

    Every write after the claim is one UPDATE in a fresh transaction, conditioned on still holding the claim,
    and no transaction stays open while the mail server is talked to: on SQLite a read transaction held
    during a slow SMTP session would stall every writer, and a read followed by a write in one transaction
    can fail under concurrency."""
    message = claim(message_id, config, worker)
    if message is None:
        return False
    attempts = message.attempts
    try:
        email = build(message, config["MAIL_SENDER"])
    except Unbuildable as error:
        db.session.commit()
        _finish(message_id, worker, status=OutboxStatus.FAILED, last_error=str(error)[:2000])
        return False
    db.session.commit()
    try:
        _send(email, message_id, config)
    except (OSError, smtplib.SMTPException) as error:
        _attempt_failed(message_id, worker, attempts, error, config)
        return False
    _finish(message_id, worker, status=OutboxStatus.SENT, sent_at=clock.now(), last_error=None)
    # The outbox keeps no second copy of a document once it is sent: the document stays where it was issued.
    db.session.execute(delete(OutboxAttachment).where(OutboxAttachment.message_id == message_id))
    db.session.commit()
    return True


def _finish(message_id: int, worker: str, **values: Any) -> None:
    """Record the outcome of an attempt and release the claim, unless another worker has taken the message over
    (this one's claim expired): its outcome is then the one that counts."""
    db.session.execute(
        update(OutboxMessage).where(OutboxMessage.id == message_id, OutboxMessage.claimed_by == worker)
        .values(claimed_by=None, claimed_until=None, **values).execution_options(synchronize_session=False))
    db.session.commit()


def build(message: OutboxMessage, sender: str) -> EmailMessage:
    """The mail for `message`; raises Unbuildable when it can never be built (checked before any connection)."""
    check_recipient(message.recipient)
    try:
        email = EmailMessage()
        email["From"] = sender
        email["To"] = message.recipient
        email["Subject"] = message.subject
        email["Message-ID"] = message.message_id or make_msgid(domain=sender.rpartition("@")[2].strip(">"))
        email.set_content(message.body_text)
        email.add_alternative(message.body_html, subtype="html")
        for attachment in message.attachments:
            maintype, _, subtype = attachment.content_type.partition("/")
            email.add_attachment(attachment.content, maintype=maintype, subtype=subtype,
                                 filename=attachment.filename)
        # After add_alternative, which moves every Content-* header into the first part.
        email["Content-Language"] = message.language
        bytes(email)  # a header that cannot be written fails here, not in the middle of an SMTP session
    except Exception as error:  # building does no I/O: whatever fails here would fail at every attempt
        raise Unbuildable(f"{type(error).__name__}: {error}") from error
    return email


def check_recipient(address: str) -> None:
    """Raises Unbuildable for an address no mail server could accept (the syntax only: no DNS look-up)."""
    if has_control(address):
        raise Unbuildable("invalid recipient address: it holds a control character")
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError as error:
        raise Unbuildable(f"invalid recipient address: {error}") from error


def _send(email: EmailMessage, message_id: int, config: Settings) -> None:
    """SMTP when MAIL_SERVER is set, else an .eml file in the outbox folder."""
    if not config["MAIL_SERVER"]:
        folder = Path(config["MAIL_OUTBOX_DIR"])
        folder.mkdir(parents=True, exist_ok=True)
        stamp = clock.now().strftime("%Y%m%dT%H%M%S")
        (folder / f"{stamp}-{message_id:06d}.eml").write_bytes(bytes(email))
        return
    # The timeout bounds every network wait: a server that accepts and never answers costs one attempt.
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT_SECONDS"]) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(email)


def backoff(attempts: int, config: Settings) -> timedelta:
    """The wait before the next attempt: the base delay doubled at each failure, capped."""
    seconds = config["MAIL_RETRY_BASE_SECONDS"] * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, config["MAIL_RETRY_MAX_SECONDS"]))


def _attempt_failed(message_id: int, worker: str, attempts: int, error: Exception, config: Settings) -> None:
    """Retried after the backoff; set aside once MAIL_MAX_ATTEMPTS attempts have failed."""
    reason = (str(error) or type(error).__name__)[:2000]
    if attempts >= config["MAIL_MAX_ATTEMPTS"]:
        _finish(message_id, worker, status=OutboxStatus.FAILED, last_error=reason)
    else:
        _finish(message_id, worker, last_error=reason, next_attempt_at=clock.now() + backoff(attempts, config))


# --- What staff see ---------------------------------------------------------------------------------------

def set_aside() -> list[OutboxMessage]:
    """The messages set aside, the most recent first."""
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.FAILED)
                                   .order_by(OutboxMessage.id.desc())))


def set_aside_count() -> int:
    return db.session.scalar(select(func.count()).where(OutboxMessage.status == OutboxStatus.FAILED)) or 0


def can_retry(message: OutboxMessage) -> bool:
    return message.status == OutboxStatus.FAILED


def retry(message: OutboxMessage) -> None:
    """Put a set-aside message back in the queue, with its attempts counted afresh (its error stays shown until
    the next attempt)."""
    if not can_retry(message):
        return
    message.status, message.attempts, message.next_attempt_at = OutboxStatus.PENDING, 0, None
    db.session.flush()
    wake_the_queue()
