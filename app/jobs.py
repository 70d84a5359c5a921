"""The job queue: everything slow or retried runs here, in a worker, never in a web request.

Huey, on the storage that JOB_QUEUE_URL names: by default a SQLite file in the instance folder (one machine,
nothing to install); `redis://...` or `postgresql://...` when several machines share the work. A web request
only writes rows and enqueues; `flask worker` runs the jobs.

- `deliver_outbox`: enqueued once a transaction that queued mail has committed; delivers what is due.
- `sweep_outbox` (periodic, OUTBOX_SWEEP_MINUTES): the same delivery, so that a message is never lost when an
  enqueue was missed, a worker died holding a claim, or a message waits for its next attempt.
- `render_invoices`: enqueued once a transaction that issued invoices has committed (the billing run: every
  ENQUEUE_EVERY renewals, in batches); renders and stores their PDFs, and mails each to its learner.
- `sweep_invoices` (periodic, OUTBOX_SWEEP_MINUTES too): renders the invoices still without their PDF once their
  job has had SWEEP_AFTER_SECONDS (as every sweep of documents: `_made_before`, `_swept`).
- `render_terms_pdfs`: enqueued once a version of the terms is published; renders its PDF in each language.
- `sweep_terms_pdfs` (periodic, OUTBOX_SWEEP_MINUTES): the versions of the terms still missing a PDF.
- `render_document_audio`: enqueued once a version of the terms or of the Student Rules is published; reads each
  section aloud into an MP3, in each language; `sweep_document_audio` (periodic) makes any still missing.
- `prepare_data_exports`: enqueued once a learner's request for their data has committed; builds the archive and
  mails its link.
- `sweep_data_exports` (periodic, OUTBOX_SWEEP_MINUTES): the exports still waiting, and the archives whose link
  has expired, deleted.
- `sweep_closures` (periodic, OUTBOX_SWEEP_MINUTES): completes the closures of accounts whose 30 days have passed.
- `render_contracts`: enqueued once a Premium Plus signature has committed; renders the signed contract's PDF
  and mails it; `sweep_contracts` (periodic, OUTBOX_SWEEP_MINUTES) renders any still missing.
- `billing_schedule` (periodic, BILLING_SCHEDULE_MINUTES): what `flask billing run` does.
The periodic jobs are safe to run from several workers at once: mail is claimed per message, an invoice's PDF
is stored only where none is, and the billing run claims its rows.
"""

import functools
import logging
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask, current_app, has_app_context, url_for
from huey import Huey, crontab
from huey.consumer_options import ConsumerConfig
from huey.storage import MemoryStorage, PostgresStorage, RedisStorage, SqliteStorage
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import db
from app.processes import spread
from app.services import payments
from app.services.billing import invoice_mail, invoices, renewals
from app.services.commerce import contract_pdf, contracts
from app.services.common import clock, mail
from app.services.legal import audio, documents
from app.services.privacy import closure, exports

# What the transactions committed since the last `enqueue_committed_jobs` asked for: {flag: True or ids}.
COMMITTED = "jobs_committed"

# In memory until init_app() gives it the configured storage (the decorators below need the instance first).
huey = Huey("portal", results=False, utc=True, storage_class=MemoryStorage)
logger = logging.getLogger(__name__)
_app: Flask | None = None


def _worker_app() -> Flask:
    """The application a job runs in when its caller has none (the worker's): init_app() must have been called."""
    if _app is None:
        raise RuntimeError("jobs.init_app(app) was not called: the job queue has no application to run in")
    return _app


def storage_for(config) -> tuple[type, dict]:
    """The Huey storage class and its arguments for JOB_QUEUE_URL."""
    url = config["JOB_QUEUE_URL"]
    if not url:
        return SqliteStorage, {"filename": f"{config['INSTANCE_PATH']}/jobs.sqlite3"}
    scheme = url.partition("://")[0]
    if scheme == "memory":
        return MemoryStorage, {}
    if scheme.startswith("sqlite"):
        return SqliteStorage, {"filename": url.partition(":///")[2]}
    if scheme in ("redis", "rediss"):
        return RedisStorage, {"url": url}
    if scheme.startswith("postgres"):
        # The SQLAlchemy spelling (postgresql+psycopg://) names a driver that psycopg itself does not take.
        return PostgresStorage, {"dsn": "postgresql://" + url.partition("://")[2]}
    raise ValueError(f"JOB_QUEUE_URL: unknown scheme {scheme!r} (memory, sqlite, redis, postgresql)")


def init_app(app: Flask) -> None:
    global _app
    _app = app
    if not app.config["JOB_QUEUE_IMMEDIATE"]:
        huey.storage_class, huey.storage_kwargs = storage_for(app.config)
        huey.storage = huey.create_storage()


def _enqueue(job, *args) -> None:
    """Enqueue `job`; with JOB_QUEUE_IMMEDIATE, run it here and now instead. Decided by the application that
    enqueues, not by the queue's global state: a process may hold several applications (the tests do)."""
    if current_app.config["JOB_QUEUE_IMMEDIATE"]:
        job.call_local(*args)
    else:
        job(*args)


@event.listens_for(Session, "after_commit")
def _note_committed_work(session: Session) -> None:
    """A service marks its session (session.info[flag]: True, or a set of ids) with work for the queue; the
    services never import the queue. Only a commit turns the marks into jobs: nothing runs before the rows
    it needs are visible to a worker."""
    _merge_marks(session.info.setdefault(COMMITTED, {}),
                 {flag: session.info.pop(flag, None) for flag in AFTER_COMMIT})


def _merge_marks(into: dict, marks: dict) -> None:
    """Add `marks` ({flag: True or ids}) to those already waiting in `into`."""
    for flag, marked in marks.items():
        if marked is True:
            into[flag] = True
        elif marked:
            into.setdefault(flag, set()).update(marked)


def enqueue_committed_jobs() -> int:
    """Enqueue the jobs that the transactions committed since the last call asked for (mail to deliver, invoices
    to render); the request, the command or the billing run that committed calls it. It never runs them: a
    worker does. Returns how many were enqueued."""
    enqueued = 0
    for flag, marked in db.session.info.pop(COMMITTED, {}).items():
        job = AFTER_COMMIT[flag]
        for args in ([()] if marked is True else [(batch,) for batch in _batches(sorted(marked))]):
            try:
                _enqueue(job, *args)
            except Exception:  # whatever the storage (or an immediate job) raises: the rows are committed
                logger.exception("%s%s not enqueued (its periodic sweep will do it)", job.name, args)
                continue
            enqueued += 1
    return enqueued


# Ids per job: one job for a request's invoice, a few hundred for a billing run's, shared between workers.
JOB_BATCH = 50


def _batches(ids: list[int]) -> list[list[int]]:
    return [ids[start:start + JOB_BATCH] for start in range(0, len(ids), JOB_BATCH)]


def _in_app(job):
    """Run the job in an application context: the caller's when it has one (immediate mode), else the worker's."""

    @functools.wraps(job)
    def run(*args, **kwargs):
        if has_app_context():
            return job(*args, **kwargs)
        with _worker_app().app_context():
            return job(*args, **kwargs)

    return run


def _every(setting: str):
    """A periodic schedule read from the configuration when the scheduler asks (crontab minute field)."""

    def due(timestamp) -> bool:
        config = current_app.config if has_app_context() else _worker_app().config
        return crontab(minute=config[setting])(timestamp)

    return due


@huey.task()
@_in_app
def deliver_outbox() -> int:
    return mail.deliver_pending(current_app.config)


@huey.periodic_task(_every("OUTBOX_SWEEP_MINUTES"))
@_in_app
def sweep_outbox() -> int:
    return mail.deliver_pending(current_app.config)


def _in_transaction(work: Callable[[], int | bool]) -> int:
    """`work()`, then a commit; a failure rolls back, so that the next item starts on a clean session."""
    try:
        done = int(work())
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return done


def _store_each(ids: Iterable[int], store: Callable[[int], int | bool], what: str,
                until: float | None = None) -> tuple[int, list[int]]:
    """Render and store each item's PDF in a transaction of its own; one failure is logged and stops none of
    the others. A sweep stops starting items once `until` (a `time.monotonic()`) has passed: the next sweep goes
    on. Returns how many were stored, and the ids that failed."""
    stored, failed = 0, list[int]()
    for started, item_id in enumerate(ids):
        if until is not None and started and time.monotonic() >= until:
            break
        try:
            stored += _in_transaction(functools.partial(store, item_id))
        except Exception:
            logger.exception("%s %s: not done (its job is retried, and the periodic sweep catches it)",
                             what, item_id)
            failed.append(item_id)
    return stored, failed


class RenderingFailed(Exception):
    """Items a rendering job could not render (logged one by one): the job is retried for them."""


def _all_or_retried(ids: list[int], store: Callable[[int], int | bool], what: str) -> int:
    stored, failed = _store_each(ids, store, what)
    if failed:
        raise RenderingFailed(failed)
    return stored


def _each_then_mail(ids: Iterable[int], store: Callable[[int], int | bool], what: str, retried: bool) -> int:
    """Store each item (`_all_or_retried` for a job the queue retries, `_swept` for a sweep), then enqueue the mail
    their transactions queued, whatever happened to the others."""
    try:
        return _all_or_retried(list(ids), store, what) if retried else _swept(ids, store, what)
    finally:
        enqueue_committed_jobs()


# A sweep renders what its job missed, not what its job is about to render: it takes only what was made
# SWEEP_AFTER_SECONDS ago or more, newest first, for SWEEP_SECONDS at most. While the jobs work through a backlog
# (the billing run's invoices) from its oldest end, a sweep starts from the other end, so that the two meet once
# instead of rendering the same documents side by side; and a sweep ends well before the next one starts (every
# minute by default), so that two sweeps never follow each other through the same list either.
SWEEP_SECONDS = 30


def _made_before() -> datetime:
    """What a sweep may take: made at this moment or before (its job has had SWEEP_AFTER_SECONDS)."""
    return clock.now() - timedelta(seconds=current_app.config["SWEEP_AFTER_SECONDS"])


def _swept(ids: Iterable[int], store: Callable[[int], int | bool], what: str) -> int:
    return _store_each(ids, store, what, until=time.monotonic() + SWEEP_SECONDS)[0]


@huey.task(retries=3, retry_delay=60)
@_in_app
def render_invoices(invoice_ids: list[int]) -> int:
    """The PDFs of invoices whose transaction has committed (a request's one, or a batch of the billing run's),
    skipping those stored already, each mailed to its learner once stored; returns how many were stored."""
    return _each_then_mail(invoice_ids, invoice_mail.render_and_send, "Invoice", retried=True)


@huey.periodic_task(_every("OUTBOX_SWEEP_MINUTES"))
@_in_app
def sweep_invoices() -> int:
    """Every invoice still without its PDF (an enqueue missed, a worker died, a rendering failed its retries)."""
    return _each_then_mail(invoices.waiting_for_pdf(_made_before()), invoice_mail.render_and_send, "Invoice",
                           retried=False)


@huey.task(retries=3, retry_delay=60)
@_in_app
def render_terms_pdfs(version_ids: list[int]) -> int:
    """The PDFs of versions of the terms just published, in every language (never rendered on a request)."""
    return _all_or_retried(version_ids, documents.store_pdfs, "Terms version")


@huey.periodic_task(_every("OUTBOX_SWEEP_MINUTES"))
@_in_app
def sweep_terms_pdfs() -> int:
    """Every published version of the terms still missing a PDF (an enqueue missed, a rendering failed)."""
    return _swept(documents.waiting_for_pdf(_made_before()), documents.store_pdfs, "Terms version")


@huey.task(retries=3, retry_delay=60)
@_in_app
def render_document_audio(version_ids: list[int]) -> int:
    """The sections of documents just published, read aloud in every language (where a synthesiser is installed)."""
    return _all_or_retried(audio.waiting_among(version_ids), audio.store_audio, "Document version (audio)")


@huey.periodic_task(_every("OUTBOX_SWEEP_MINUTES"))
@_in_app
def sweep_document_audio() -> int:
    """Every published document still without its audio in some language (an enqueue missed, a failure)."""
    return _swept(audio.waiting(_made_before()), audio.store_audio, "Document version (audio)")


@huey.task(retries=3, retry_delay=60)
@_in_app
def render_contracts(subscription_ids: list[int]) -> int:
    """The PDFs of contracts just signed, each mailed to its learner once stored."""
    return _each_then_mail(subscription_ids, contract_pdf.render_and_send, "Contract", retried=True)


@huey.periodic_task(_every("OUTBOX_SWEEP_MINUTES"))
@_in_app
def sweep_contracts() -> int:
    """Every signed contract still without its PDF (an enqueue missed, a rendering failed its retries)."""
    return _each_then_mail(contract_pdf.waiting(_made_before()), contract_pdf.render_and_send, "Contract",
                           retried=False)


def _prepare_export(export_id: int) -> bool:
    # The links in the archive and in the mail are built for the public address, as in any mail.
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_BASE_URL"]):
        return exports.prepare(
            export_id, lambda export: url_for("privacy.download", public_id=export.public_id, _external=True),
            lambda certificate: url_for("certificates.verify", public_id=certificate.public_id, _external=True))


@huey.task(retries=3, retry_delay=60)
@_in_app
def prepare_data_exports(export_ids: list[int]) -> int:
    """The archives of exports just asked for, each mailed to its learner once stored (retried while one of the
    learner's invoices still waits for its PDF)."""
    return _each_then_mail(export_ids, _prepare_export, "Data export", retried=True)


@huey.periodic_task(_every("OUTBOX_SWEEP_MINUTES"))
@_in_app
def sweep_data_exports() -> int:
    """Every export still waiting (an enqueue missed, retries exhausted); then the expired archives deleted."""
    prepared = _each_then_mail(exports.waiting(_made_before()), _prepare_export, "Data export", retried=False)
    _in_transaction(exports.delete_expired)
    return prepared


@huey.periodic_task(_every("OUTBOX_SWEEP_MINUTES"))
@_in_app
def sweep_closures() -> int:
    """The closures that can no longer be undone, completed: each account anonymised, its last mail queued."""
    return _each_then_mail(closure.due(), closure.complete, "Account closure", retried=False)


# The job that each flag of `_note_committed_work` asks for.
AFTER_COMMIT = {mail.QUEUED_FLAG: deliver_outbox, invoices.RENDER_FLAG: render_invoices,
                documents.PDF_FLAG: render_terms_pdfs, documents.AUDIO_FLAG: render_document_audio,
                exports.PREPARE_FLAG: prepare_data_exports,
                contracts.CONTRACT_RENDER_FLAG: render_contracts}


@dataclass(frozen=True)
class BillingOutcome:
    invited: int
    report: renewals.RunReport


def run_billing(progress=None, processes: int = 1) -> BillingOutcome:
    """Everything due at clock.now(): Premium Plus learners invited to sign, then renewals and their retries,
    suspensions and ends. Commits as it goes; the mail it queues is delivered by the queue. The renewals are
    shared between `processes` processes (see `billing_processes`)."""
    config = current_app.config
    progress = progress or (lambda _step, _done, _total: None)
    with current_app.test_request_context(base_url=config["PUBLIC_BASE_URL"]):
        invited = contracts.invite_to_sign_when_due(
            lambda subscription: url_for("contract.sign", subscription_id=subscription.id, _external=True))
        db.session.commit()
        report = renewals.run(payments.gateway(), renewals.DunningPolicy.from_config(config), _committer(),
                             progress, _renewals_in_processes(processes, progress) if processes > 1 else None)
    enqueue_committed_jobs()
    return BillingOutcome(invited, report)


def billing_processes(requested: int | None) -> int:
    """How many processes share a billing run's renewals: as asked, else BILLING_PROCESSES, else one per CPU;
    always one on SQLite, whose writers wait for one another (more processes would only wait)."""
    if db.engine.dialect.name == "sqlite":
        return 1
    return max(1, requested or current_app.config["BILLING_PROCESSES"] or os.cpu_count() or 1)


def _renewals_in_processes(processes: int, progress) -> Callable[[list[int]], renewals.RunReport]:
    def renew_chunk(subscription_ids: list[int]) -> tuple[renewals.RunReport, dict]:  # in a forked process
        report = renewals.RunReport()
        renewals.renew(subscription_ids, payments.gateway(), renewals.DunningPolicy.from_config(current_app.config),
                       db.session.commit, report)
        return report, db.session.info.pop(COMMITTED, {})

    def renew_all(subscription_ids: list[int]) -> renewals.RunReport:
        total, finished = renewals.RunReport(), 0
        db.session.commit()  # nothing of this process's transaction is left open while the others work

        def chunk_done(chunk: list[int], result: tuple[renewals.RunReport, dict]) -> None:
            nonlocal finished
            report, committed = result
            total.add(report)
            _merge_marks(db.session.info.setdefault(COMMITTED, {}), committed)
            enqueue_committed_jobs()  # a chunk's invoices are rendered while the run goes on
            finished += len(chunk)
            progress("renewals", finished, len(subscription_ids))

        spread(subscription_ids, processes, renew_chunk, chunk_done)
        return total

    return renew_all


# The billing run hands its invoices to the queue every so many commits: the first learners' PDFs are ready
# long before the run ends, and the queue is written once per batch rather than once per invoice.
ENQUEUE_EVERY = 200


def _committer():
    commits = 0

    def commit() -> None:
        nonlocal commits
        db.session.commit()
        commits += 1
        if commits % ENQUEUE_EVERY == 0:
            enqueue_committed_jobs()

    return commit


@huey.periodic_task(_every("BILLING_SCHEDULE_MINUTES"))
@_in_app
def billing_schedule() -> None:
    run_billing()


def run_worker(workers: int, periodic: bool) -> None:
    """Run the consumer for the current application, in this process, until it is stopped (SIGINT, SIGTERM)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # the proxy's documented way to the app
    if app.config["JOB_QUEUE_IMMEDIATE"] or storage_for(app.config)[0] is MemoryStorage:
        raise RuntimeError("a worker needs a shared queue: set JOB_QUEUE_URL to a file, Redis or PostgreSQL")
    init_app(app)  # its jobs run in this application
    config = ConsumerConfig(workers=workers, periodic=periodic, worker_type="thread")
    config.validate()
    config.setup_logger(logging.getLogger("huey"))
    huey.create_consumer(**config.values).run()
