"""Mail delivery by the job queue, against a real (fake) SMTP server on 127.0.0.1: a server that hangs, refuses
or drops the connection, a worker killed in the middle, two workers at once, a message that cannot be built.
Nothing is lost, nothing blocks the other messages, and a web request never talks to a mail server."""

import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from huey.storage import MemoryStorage
from jinja2 import ChoiceLoader, DictLoader

from app import config as settings
from app import create_app, jobs
from app.extensions import db
from app.models import OutboxMessage
from app.models.mail import OutboxStatus
from app.services.common import clock, mail
from tests import checkout_flow as flow
from tests.conftest import make_database, make_user, text_of
from tests.fakes.smtp_server import FakeSMTPServer

SECONDS = timedelta(seconds=1)


@pytest.fixture(autouse=True)
def now():
    clock.freeze(datetime(2026, 12, 4, 22, 0, tzinfo=clock.PARIS))


@pytest.fixture
def smtp():
    with FakeSMTPServer() as server:
        yield server


@pytest.fixture
def config(app, smtp):
    return {**app.config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp.port, "MAIL_USE_TLS": False,
            "MAIL_USERNAME": "", "MAIL_TIMEOUT_SECONDS": 0.5, "MAIL_MAX_ATTEMPTS": 3, "MAIL_RETRY_BASE_SECONDS": 60,
            "MAIL_CLAIM_SECONDS": 300}


@pytest.fixture
def worker_queue(app, monkeypatch):
    """The queue as in production: what a request enqueues waits for a worker (in memory, for this test)."""
    monkeypatch.setitem(app.config, "JOB_QUEUE_IMMEDIATE", False)
    monkeypatch.setattr(jobs.huey, "storage", MemoryStorage("portal"))
    return jobs.huey


def run_the_worker(huey) -> int:
    """What a worker does with the queue, here and now: every job enqueued, once."""
    done = 0
    while (task := huey.dequeue()) is not None:
        huey.execute(task)
        done += 1
    return done


def queued(app, email: str = "lea.martin@example.org", **options) -> OutboxMessage:
    user = make_user(email)
    with app.test_request_context():
        message = mail.queue(user.email, "password_reset", "fr", user=user, link="https://x/reset", minutes=60,
                             **options)
    db.session.commit()
    return message


def test_a_hanging_mail_server_costs_one_timeout_per_message_and_the_worker_moves_on(app, config, smtp):
    smtp.mode = "hang"  # accepts, never answers: it held a web request 40 s before
    first, second = queued(app), queued(app, "noe.petit@example.org")
    started = time.monotonic()
    assert mail.deliver_pending(config) == 0
    assert time.monotonic() - started < 5  # two timeouts of 0.5 s, not a server's patience
    assert smtp.connections == 2
    for message in (first, second):
        assert message.status == OutboxStatus.PENDING and message.attempts == 1
        assert "timed out" in message.last_error
        assert message.next_attempt_at == clock.now() + 60 * SECONDS
        assert message.claimed_by is None
    assert mail.deliver_pending(config) == 0 and smtp.connections == 2  # not due yet: nobody is called
    smtp.mode = "accept"
    clock.advance(61 * SECONDS)
    assert mail.deliver_pending(config) == 2
    assert sorted(received["To"] for received in smtp.received) == ["lea.martin@example.org",
                                                                    "noe.petit@example.org"]
    assert first.status == OutboxStatus.SENT and first.last_error is None


def test_a_refusing_mail_server_is_retried_with_backoff_then_the_message_is_set_aside(app, config, smtp):
    smtp.mode = "refuse"
    message = queued(app)
    waits = []
    for _attempt in range(config["MAIL_MAX_ATTEMPTS"]):
        assert mail.deliver_pending(config) == 0
        if message.status == OutboxStatus.PENDING:
            waits.append(message.next_attempt_at - clock.now())
            clock.advance(waits[-1])
    assert waits == [60 * SECONDS, 120 * SECONDS]  # doubled at each failure
    assert message.status == OutboxStatus.FAILED and message.attempts == 3
    assert "554" in message.last_error
    clock.advance(timedelta(days=1))
    assert mail.deliver_pending(config) == 0 and smtp.connections == 3  # set aside: never tried again alone
    assert mail.set_aside() == [message]


def test_a_connection_dropped_before_the_final_ok_is_retried_with_the_same_message_id(app, config, smtp):
    """SMTP cannot tell whether a message whose final OK was lost arrived: it is sent again, under the same
    Message-ID, so that a receiving system that drops duplicates delivers it once."""
    smtp.mode = "drop"
    message = queued(app)
    assert mail.deliver_pending(config) == 0
    assert message.status == OutboxStatus.PENDING and message.attempts == 1
    smtp.mode = "accept"
    clock.advance(61 * SECONDS)
    assert mail.deliver_pending(config) == 1
    dropped, accepted = smtp.received
    assert dropped["Message-ID"] == accepted["Message-ID"] == message.message_id
    assert message.status == OutboxStatus.SENT and message.attempts == 2


def test_a_worker_killed_mid_delivery_leaves_the_message_to_another_once_its_claim_expires(app, config, smtp):
    message = queued(app)
    # A worker claims the message, then is killed before it has told anything: its claim stays behind.
    assert mail.claim(message.id, config, "worker-killed") is not None
    assert mail.deliver_pending(config, worker="worker-b") == 0 and smtp.connections == 0
    clock.advance((config["MAIL_CLAIM_SECONDS"] - 1) * SECONDS)
    assert mail.deliver_pending(config, worker="worker-b") == 0  # still held
    clock.advance(2 * SECONDS)
    assert mail.deliver_pending(config, worker="worker-b") == 1
    assert len(smtp.received) == 1
    assert message.status == OutboxStatus.SENT and message.attempts == 2 and message.claimed_by is None


def test_two_workers_never_deliver_the_same_message_twice(app, config, smtp):
    messages = [queued(app, f"apprenant{n}@example.org") for n in range(3)]
    # Both workers read the same due list, then interleave message by message, as two processes would.
    for message in messages:
        assert mail.deliver_one(message.id, config, "worker-a") is True
        assert mail.deliver_one(message.id, config, "worker-b") is False
    held = queued(app, "noe.petit@example.org")
    assert mail.claim(held.id, config, "worker-a") is not None
    assert mail.claim(held.id, config, "worker-b") is None  # one UPDATE decides: the claim is held
    assert mail.deliver_pending(config, worker="worker-b") == 0
    assert len(smtp.received) == 3
    assert all(message.attempts == 1 for message in messages)


def test_two_workers_at_once_on_their_own_connections_deliver_each_message_once(tmp_path, smtp, monkeypatch):
    """The same, with real threads and connections, on a database file of their own (SQLite's locking is the
    strictest: no read transaction is held while a mail server is talked to)."""
    # Sessions of their own, one per thread, instead of the test's rolled-back transaction.
    monkeypatch.setattr(db, "session", db._make_scoped_session({}))
    config = settings.TestConfig(f"sqlite:///{tmp_path / 'workers.sqlite3'}")
    config.MAIL_SERVER, config.MAIL_PORT, config.MAIL_USE_TLS = "127.0.0.1", smtp.port, False
    other = create_app(config)
    make_database(other)
    recipients = [f"apprenant{n}@example.org" for n in range(20)]
    with other.app_context():
        db.session.add_all(OutboxMessage(recipient=recipient, subject="Bonjour", body_text="x", body_html="<p>x</p>",
                                         language="fr", created_at=clock.now()) for recipient in recipients)
        db.session.commit()
    sent = []

    def worker(name: str) -> None:
        with other.app_context():
            sent.append(mail.deliver_pending(other.config, worker=name))

    threads = [threading.Thread(target=worker, args=(f"worker-{n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(sent) == 20
    assert sorted(received["To"] for received in smtp.received) == sorted(recipients)
    with other.app_context():
        assert {message.status for message in db.session.query(OutboxMessage)} == {OutboxStatus.SENT}
        db.engine.dispose()


def test_one_delivery_goes_through_the_whole_outbox_batch_by_batch(app, config, smtp):
    """The mass mail of a change of the terms is delivered by one job, however many messages it holds."""
    for n in range(5):
        queued(app, f"abonne{n}@example.org")
    assert mail.deliver_pending({**config, "MAIL_BATCH_SIZE": 2}) == 5
    assert len(smtp.received) == 5


def test_a_late_worker_never_overwrites_the_outcome_of_the_one_that_took_over(app, config, smtp):
    message = queued(app)
    assert mail.claim(message.id, config, "worker-slow") is not None
    clock.advance((config["MAIL_CLAIM_SECONDS"] + 1) * SECONDS)
    assert mail.deliver_one(message.id, config, "worker-b") is True
    mail._finish(message.id, "worker-slow", status=OutboxStatus.FAILED, last_error="late")
    assert message.status == OutboxStatus.SENT and message.last_error is None


def test_a_line_break_in_a_stored_subject_never_stops_the_mail(app, config, smtp):
    """Finding 1: a message that cannot be built (here, stored before subjects were made safe, and one with an
    invalid address) is set aside with its error; the messages after it still go."""
    now = clock.now()
    broken = [OutboxMessage(recipient="parent@example.org", subject="Eve\nX demande votre accord pour s'abonner",
                            body_text="x", body_html="<p>x</p>", language="fr", created_at=now),
              OutboxMessage(recipient="pas une adresse", subject="Bonjour", body_text="x", body_html="<p>x</p>",
                            language="fr", created_at=now)]
    db.session.add_all(broken)
    db.session.commit()
    after = queued(app)
    assert mail.deliver_pending(config) == 1
    assert [received["To"] for received in smtp.received] == ["lea.martin@example.org"]
    assert after.status == OutboxStatus.SENT
    assert [message.status for message in broken] == [OutboxStatus.FAILED, OutboxStatus.FAILED]
    assert "linefeed" in broken[0].last_error
    assert "invalid recipient address" in broken[1].last_error
    assert mail.set_aside_count() == 2


@pytest.mark.parametrize("first_name", ["Eve\nX", "Eve\u2028X", "Eve\x0bX"])
def test_a_line_break_in_a_first_name_never_stops_the_mail(app, config, smtp, monkeypatch, first_name):
    """Finding 1: the name reached the guardian request's subject ("<name> demande votre accord…"), building the
    mail raised, and the message, first in the outbox, stopped every later one. Subjects are made safe when
    queued, whatever template puts a name in them."""
    named = DictLoader({"email/named.subject.txt": "{{ learner.first_name }} demande votre accord pour s'abonner",
                        "email/named.txt": "{{ learner.first_name }}", "email/named.html": "<p>x</p>"})
    monkeypatch.setattr(app.jinja_env, "loader", ChoiceLoader([named, app.jinja_env.loader]))
    learner = make_user("eve@example.org")
    learner.first_name = first_name  # as stored before names were checked at sign-up
    with app.test_request_context():
        mail.queue("parent@example.org", "named", "fr", learner=learner)
    db.session.commit()
    after = queued(app)
    assert mail.deliver_pending(config) == 2
    assert [received["Subject"] for received in smtp.received] == [
        "Eve X demande votre accord pour s'abonner", "Choisir un nouveau mot de passe"]
    assert after.status == OutboxStatus.SENT


def test_a_message_queued_twice_under_one_dedupe_key_is_sent_once(app, config, smtp):
    first = queued(app, dedupe_key="guardian-request:1:0")
    user = make_user("autre@example.org")
    with app.test_request_context():
        second = mail.queue(first.recipient, "password_reset", "fr", user=user, link="https://x/other",
                            minutes=60, dedupe_key="guardian-request:1:0")
    db.session.commit()
    assert second.id == first.id
    assert mail.deliver_pending(config) == 1 and len(smtp.received) == 1


def test_two_requests_queuing_one_dedupe_key_at_once_leave_one_message(app, monkeypatch):
    """The other transaction's row is not visible yet when this one looks: the unique constraint decides."""
    first = queued(app, dedupe_key="same-link")
    looked_up = []

    def not_seen_the_first_time(key):
        looked_up.append(key)
        return None if len(looked_up) == 1 else db.session.query(OutboxMessage).filter_by(dedupe_key=key).one()

    monkeypatch.setattr(mail, "_by_dedupe_key", not_seen_the_first_time)
    user = make_user("autre@example.org")
    with app.test_request_context():
        second = mail.queue(first.recipient, "password_reset", "fr", user=user, link="https://x/other",
                            minutes=60, dedupe_key="same-link")
    db.session.commit()
    assert second.id == first.id
    assert db.session.query(OutboxMessage).filter_by(dedupe_key="same-link").count() == 1


def test_a_hanging_mail_server_never_holds_a_web_request(app, client, smtp, monkeypatch, worker_queue):
    """Finding 9: the request writes the message and enqueues its delivery; the worker talks to the server."""
    smtp.mode = "hang"
    for key, value in {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp.port, "MAIL_USE_TLS": False,
                       "MAIL_TIMEOUT_SECONDS": 0.5}.items():
        monkeypatch.setitem(app.config, key, value)
    user = make_user()
    started = time.monotonic()
    response = client.post("/mot-de-passe-oublie", data={"email": user.email})
    assert time.monotonic() - started < 2
    assert text_of(BeautifulSoup(response.get_data(as_text=True), "html.parser").h1) == "Vérifiez votre messagerie"
    assert smtp.connections == 0
    assert worker_queue.pending_count() == 1
    message = db.session.query(OutboxMessage).filter_by(recipient=user.email).one()
    assert message.status == OutboxStatus.PENDING and message.attempts == 0
    smtp.mode = "accept"
    assert run_the_worker(worker_queue) == 1
    assert [received["To"] for received in smtp.received] == [user.email]
    assert message.status == OutboxStatus.SENT


def test_an_unreachable_queue_never_fails_the_request_and_the_sweep_delivers(app, client, monkeypatch,
                                                                             worker_queue):
    def unreachable(_task):
        raise ConnectionError("Connection refused")

    monkeypatch.setattr(worker_queue, "enqueue", unreachable)
    user = make_user()
    response = client.post("/mot-de-passe-oublie", data={"email": user.email})
    assert text_of(BeautifulSoup(response.get_data(as_text=True), "html.parser").h1) == "Vérifiez votre messagerie"
    message = db.session.query(OutboxMessage).filter_by(recipient=user.email).one()
    assert message.status == OutboxStatus.PENDING
    assert jobs.sweep_outbox.call_local() == 1
    assert message.status == OutboxStatus.SENT


def test_a_request_that_queues_no_mail_enqueues_nothing(client, worker_queue):
    assert client.get("/cours").status_code == 200
    assert worker_queue.pending_count() == 0


def test_the_mass_mail_of_a_material_change_of_the_terms_goes_through_the_queue(app, client, smtp, monkeypatch,
                                                                              worker_queue):
    clock.freeze(datetime(2027, 1, 20, 10, 0, tzinfo=clock.PARIS))
    flow.buy_solo(client)
    run_the_worker(worker_queue)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", smtp.port)
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
    output = app.test_cli_runner().invoke(
        args=["terms", "publish", "2099-01", "--effective-on", "2099-01-01", "--material"]).output
    assert "subscribers told: 1" in output
    assert smtp.connections == 0  # the command only enqueued
    assert run_the_worker(worker_queue) == 3  # the mails, the new version's PDFs, and its audio (off in the tests)
    assert [received["Subject"] for received in smtp.received] == ["Nos conditions générales changent le "
                                                                   "1 janvier 2099"]


def test_the_worker_sweeps_the_outbox_and_runs_the_billing_schedule(app, config, smtp, monkeypatch):
    """A message whose enqueue was lost (a worker died, Redis restarted) is delivered by the periodic sweep;
    the billing run is scheduled in the worker, as `flask billing run`."""
    for key in ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS", "MAIL_TIMEOUT_SECONDS"):
        monkeypatch.setitem(app.config, key, config[key])
    message = queued(app)
    assert jobs.sweep_outbox.call_local() == 1
    assert message.status == OutboxStatus.SENT
    monkeypatch.setitem(app.config, "BILLING_SCHEDULE_MINUTES", "*/15")
    schedule = jobs.billing_schedule.task_class()
    assert schedule.validate_datetime(datetime(2026, 12, 4, 22, 15))
    assert not schedule.validate_datetime(datetime(2026, 12, 4, 22, 10))
    outcome = jobs.run_billing()
    assert outcome.invited == 0 and outcome.report.renewed == 0


def test_the_queue_storage_follows_the_configuration(app):
    from huey.storage import PostgresStorage, RedisStorage, SqliteStorage

    base = {"INSTANCE_PATH": "/srv/portal/instance"}
    assert jobs.storage_for({**base, "JOB_QUEUE_URL": ""}) == (
        SqliteStorage, {"filename": str(Path("/srv/portal/instance") / "jobs.sqlite3")})
    assert jobs.storage_for({**base, "JOB_QUEUE_URL": "redis://cache:6379/2"}) == (
        RedisStorage, {"url": "redis://cache:6379/2"})
    assert jobs.storage_for({**base, "JOB_QUEUE_URL": "postgresql+psycopg://u:p@db/portal"}) == (
        PostgresStorage, {"dsn": "postgresql://u:p@db/portal"})
    assert jobs.storage_for({**base, "JOB_QUEUE_URL": "memory://"}) == (MemoryStorage, {})
    with pytest.raises(ValueError):
        jobs.storage_for({**base, "JOB_QUEUE_URL": "amqp://broker"})


def test_a_worker_refuses_to_start_on_a_queue_only_this_process_can_see(app):
    result = app.test_cli_runner().invoke(args=["worker"])
    assert result.exit_code != 0 and "JOB_QUEUE_URL" in result.output
