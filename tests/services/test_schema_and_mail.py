"""The schema comes only from migrations; mail leaves only after the transaction commits."""

import email
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.extensions import db
from app.models import OutboxMessage
from app.services.common import mail
from tests.conftest import make_user


def test_migrations_match_the_models():
    """A model change without its migration fails here (the test database is built by the migrations)."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.Model.metadata)
    assert differences == []


def test_queued_mail_is_not_delivered_when_the_transaction_rolls_back(app):
    user = make_user()
    with app.test_request_context():
        mail.queue(user.email, "password_reset", "fr", user=user, link="https://x/reset", minutes=60)
    db.session.rollback()
    assert db.session.query(OutboxMessage).count() == 0
    assert mail.deliver_pending(app.config) == 0


def test_outbox_writes_an_eml_file_without_a_mail_server(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_OUTBOX_DIR", str(tmp_path))  # only this test's files
    user = make_user()
    with app.test_request_context():
        message = mail.queue(user.email, "password_reset", "en", user=user, link="https://x/reset", minutes=60)
    db.session.commit()
    assert mail.deliver_pending(app.config) == 1
    assert message.sent_at is not None
    files = sorted(Path(app.config["MAIL_OUTBOX_DIR"]).glob(f"*-{message.id:06d}.eml"))
    parsed = email.message_from_bytes(files[-1].read_bytes(), policy=email.policy.default)
    assert parsed["Subject"] == "Choose a new password"
    assert parsed["Content-Language"] == "en"
    assert "https://x/reset" in parsed.get_body(("plain",)).get_content()
    assert parsed.get_body(("html",)) is not None
    assert mail.deliver_pending(app.config) == 0  # sent once


def test_a_failing_mail_server_keeps_the_message_for_later(app, monkeypatch):
    user = make_user()
    with app.test_request_context():
        message = mail.queue(user.email, "password_reset", "fr", user=user, link="https://x/reset", minutes=60)
    db.session.commit()
    config = {**app.config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": 1}
    assert mail.deliver_pending(config) == 0
    assert message.sent_at is None and message.attempts == 1 and message.last_error
