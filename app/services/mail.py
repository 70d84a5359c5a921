"""Mail: queued in the outbox inside the caller's transaction, delivered only after it commits."""

import smtplib
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from flask import current_app, render_template
from sqlalchemy import select

from app.extensions import db
from app.i18n import force_language
from app.models import OutboxMessage
from app.services import clock


def queue(recipient: str, template: str, language: str, **context) -> OutboxMessage:
    """Render `email/<template>.txt|.html|.subject.txt` in `language` and add it to the outbox."""
    # Links in mail are always built for the configured public address, never from the Host header of the
    # request that happens to send it (nor is there one in the billing run).
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_BASE_URL"]), force_language(language):
        subject = render_template(f"email/{template}.subject.txt", **context).strip()
        text = render_template(f"email/{template}.txt", **context)
        html = render_template(f"email/{template}.html", subject=subject, **context)
    message = OutboxMessage(recipient=recipient, subject=subject, body_text=text, body_html=html,
                            language=language, created_at=clock.now())
    db.session.add(message)
    db.session.flush()
    # Tells the request wiring to deliver once the transaction has committed.
    db.session.info["mail_queued"] = True
    return message


def _as_email(message: OutboxMessage, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(domain="portail.local")
    email.set_content(message.body_text)
    email.add_alternative(message.body_html, subtype="html")
    # After add_alternative, which moves every Content-* header into the first part.
    email["Content-Language"] = message.language
    return email


def deliver_pending(config) -> int:
    """Send every unsent message: SMTP when MAIL_SERVER is set, else an .eml file in the outbox folder."""
    pending = list(db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.sent_at.is_(None)).order_by(OutboxMessage.id)
    ))
    sent = 0
    for message in pending:
        email = _as_email(message, config["MAIL_SENDER"])
        message.attempts += 1
        try:
            if config["MAIL_SERVER"]:
                _send_smtp(email, config)
            else:
                folder = Path(config["MAIL_OUTBOX_DIR"])
                folder.mkdir(parents=True, exist_ok=True)
                stamp = clock.now().strftime("%Y%m%dT%H%M%S")
                (folder / f"{stamp}-{message.id:06d}.eml").write_bytes(bytes(email))
        except (OSError, smtplib.SMTPException) as error:
            message.last_error = str(error)[:2000]
            continue
        message.sent_at = clock.now()
        message.last_error = None
        sent += 1
    db.session.commit()
    return sent


def _send_smtp(email: EmailMessage, config) -> None:
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=20) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(email)
