"""Invoice PDFs rendered by the job queue: the number under the lock in the invoice's transaction, the PDF after
the commit, once, off the lock; a missed enqueue or a failed rendering is caught up, a paid order never lost."""

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from huey.storage import MemoryStorage

from app import jobs
from app.extensions import db
from app.models import Invoice, InvoiceCounter, Order
from app.models.commerce import OrderStatus
from app.services.billing import invoices
from app.services.common import clock
from tests import checkout_flow as flow
from tests.billing_runs import subscribe
from tests.conftest import make_user, past_the_sweep_delay
from tests.factories import paid_subscription


@pytest.fixture
def learner(app):
    clock.freeze(datetime(2026, 11, 26, 9, 30, tzinfo=UTC))
    return make_user("ana.lopez@example.org")


@pytest.fixture
def rendering_fails(monkeypatch):
    def broken(invoice):
        raise RuntimeError("WeasyPrint is down")

    monkeypatch.setattr(invoices, "render", broken)


def issued(user) -> Invoice:
    subscription, charge = paid_subscription(user)
    return invoices.issue_for_charge(charge, subscription, subscription.current_period_start,
                                     subscription.current_period_end, 0, "fr")


def stored(invoice_id: int) -> Invoice:
    db.session.expire_all()
    return db.session.get(Invoice, invoice_id)


def test_the_number_is_taken_in_the_invoices_transaction_and_the_pdf_rendered_after_its_commit(learner):
    invoice = issued(learner)
    counter = db.session.query(InvoiceCounter).filter_by(prefix="FA", year=2026).one()
    assert invoice.number == "FA-2026-000001" and counter.last_number == 1
    assert invoice.amount_ttc_cents == 2000 and invoice.seller["name"]  # everything printed is on the row already
    assert invoice.pdf is None and invoice.pdf_sha256 is None
    assert jobs.enqueue_committed_jobs() == 0  # nothing is rendered before the commit
    db.session.commit()
    assert jobs.enqueue_committed_jobs() == 1  # the render job (run at once in the tests)
    document = stored(invoice.id)
    assert document.pdf.startswith(b"%PDF-") and document.pdf_sha256 == hashlib.sha256(document.pdf).hexdigest()


def test_a_rolled_back_invoice_gives_its_number_back(learner):
    issued(learner)
    db.session.rollback()
    assert issued(learner).number == "FA-2026-000001"
    db.session.commit()
    jobs.enqueue_committed_jobs()
    assert [invoice.number for invoice in db.session.query(Invoice)] == ["FA-2026-000001"]


def test_no_pdf_is_rendered_under_the_counters_lock(learner, rendering_fails):
    invoice = issued(learner)  # would raise if `_issue` rendered
    db.session.commit()
    assert jobs.enqueue_committed_jobs() == 0  # the job failed (logged); the invoice stays, waiting for its PDF
    assert stored(invoice.id).number == "FA-2026-000001"
    assert invoices.waiting_for_pdf(clock.now() + timedelta(seconds=1)) == [invoice.id]


def test_two_renders_of_the_same_invoice_store_one_pdf(learner, monkeypatch):
    invoice = issued(learner)
    db.session.commit()
    real_render = invoices.render
    theirs = {}

    def another_worker_stores_first(document):
        # The other worker read "no PDF" too, rendered and stored while this one was rendering.
        theirs["pdf"] = real_render(document)
        assert invoices.store_pdf(document.id, theirs["pdf"])
        return real_render(document)

    monkeypatch.setattr(invoices, "render", another_worker_stores_first)
    assert invoices.render_and_store(invoice.id) is False
    db.session.commit()
    kept = stored(invoice.id)
    assert kept.pdf == theirs["pdf"] and kept.pdf_sha256 == hashlib.sha256(theirs["pdf"]).hexdigest()
    assert not invoices.store_pdf(invoice.id, b"%PDF-1.7 a third copy")
    assert stored(invoice.id).pdf == theirs["pdf"]


def test_a_render_job_that_finds_the_pdf_stored_does_nothing(learner, monkeypatch):
    invoice = issued(learner)
    db.session.commit()
    jobs.enqueue_committed_jobs()
    sha = stored(invoice.id).pdf_sha256

    def must_not_render(document):
        raise AssertionError("a stored PDF is never rendered again")

    monkeypatch.setattr(invoices, "render", must_not_render)
    assert jobs.render_invoices.call_local([invoice.id]) == 0
    past_the_sweep_delay()
    assert jobs.sweep_invoices.call_local() == 0
    assert stored(invoice.id).pdf_sha256 == sha


def test_a_missed_enqueue_is_caught_by_the_periodic_sweep(app, learner, monkeypatch):
    def unreachable(job, *args):
        raise ConnectionError("Connection refused")

    invoice = issued(learner)
    db.session.commit()
    monkeypatch.setattr(jobs, "_enqueue", unreachable)
    assert jobs.enqueue_committed_jobs() == 0
    assert not stored(invoice.id).pdf_ready
    assert jobs.sweep_invoices.call_local() == 0  # its job may still be on its way: the sweep leaves it alone
    past_the_sweep_delay()
    assert jobs.sweep_invoices.call_local() == 1
    assert stored(invoice.id).pdf.startswith(b"%PDF-")
    monkeypatch.setitem(app.config, "OUTBOX_SWEEP_MINUTES", "*/5")
    schedule = jobs.sweep_invoices.task_class()
    assert schedule.validate_datetime(datetime(2026, 12, 4, 22, 15))
    assert not schedule.validate_datetime(datetime(2026, 12, 4, 22, 16))


def test_a_sweep_leaves_fresh_invoices_to_their_job_and_takes_the_others_newest_first_for_a_limited_time(
        learner, monkeypatch):
    """Rendered once: while the jobs work through the billing run's invoices from the oldest, a sweep starts from
    the newest invoice its job has had time for, and ends before the next sweep starts."""
    monkeypatch.setattr(jobs, "_enqueue", lambda job, *args: None)  # the jobs are lost
    missed = [issued(make_user(f"learner{n}@example.org")) for n in range(3)]
    db.session.commit()
    jobs.enqueue_committed_jobs()
    past_the_sweep_delay()
    fresh = issued(learner)  # its job is on its way
    db.session.commit()
    rendered = []
    render_and_send = jobs.invoice_mail.render_and_send

    def recorded(invoice_id: int) -> bool:
        rendered.append(invoice_id)
        return render_and_send(invoice_id)

    monkeypatch.setattr(jobs.invoice_mail, "render_and_send", recorded)
    monkeypatch.setattr(jobs, "SWEEP_SECONDS", 0)  # its time is up after the first invoice
    assert jobs.sweep_invoices.call_local() == 1
    monkeypatch.setattr(jobs, "SWEEP_SECONDS", 30)
    assert jobs.sweep_invoices.call_local() == 2  # the next sweep goes on
    assert rendered == [missed[2].id, missed[1].id, missed[0].id]
    assert all(stored(invoice.id).pdf_ready for invoice in missed) and not stored(fresh.id).pdf_ready


def test_a_rendering_failure_never_loses_a_paid_order_and_the_job_retries(app, client, monkeypatch,
                                                                          rendering_fails):
    clock.freeze(datetime(2026, 11, 26, 10, 0, tzinfo=clock.PARIS))
    monkeypatch.setitem(app.config, "JOB_QUEUE_IMMEDIATE", False)
    queue = jobs.huey
    monkeypatch.setattr(queue, "storage", MemoryStorage("portal"))
    reference = flow.buy_solo(client)
    assert db.session.query(Order).filter_by(reference=reference).one().status == OrderStatus.PAID
    invoice = db.session.query(Invoice).one()
    assert invoice.number == "FA-2026-000001" and not invoice.pdf_ready
    rendering = [task for task in iter(queue.dequeue, None) if task.name.endswith("render_invoices")]
    assert len(rendering) == 1
    queue.execute(rendering[0])  # fails: the job is scheduled again, a minute later
    assert queue.scheduled_count() == 1 and queue.scheduled()[0].retries == 2
    monkeypatch.undo()  # the renderer is back (and the queue as in the tests)
    past_the_sweep_delay()
    assert jobs.sweep_invoices.call_local() == 1
    assert stored(invoice.id).pdf.startswith(b"%PDF-")


def test_one_invoice_that_fails_to_render_stops_none_of_the_others_and_its_job_is_retried(learner, monkeypatch):
    first, second = issued(learner), issued(make_user("leo.martin@example.org"))
    db.session.commit()
    failing_id, real_render = first.id, invoices.render

    def fails_for_the_first(document):
        if document.id == failing_id:
            raise RuntimeError("a font is missing")
        return real_render(document)

    monkeypatch.setattr(invoices, "render", fails_for_the_first)
    with pytest.raises(jobs.RenderingFailed):
        jobs.render_invoices.call_local([first.id, second.id])
    assert not stored(first.id).pdf_ready and stored(second.id).pdf_ready


def test_the_billing_run_hands_its_invoices_to_the_queue_in_batches_as_it_goes(app, monkeypatch):
    for _ in range(5):
        subscribe()
    enqueued = []
    monkeypatch.setattr(jobs, "_enqueue", lambda job, *args: enqueued.append((job, args)))
    monkeypatch.setattr(jobs, "ENQUEUE_EVERY", 4)
    monkeypatch.setattr(jobs, "JOB_BATCH", 2)
    clock.freeze(datetime(2027, 2, 28, 10, 0, tzinfo=clock.PARIS))
    assert jobs.run_billing().report.renewed == 5
    batches = [args[0] for job, args in enqueued if job is jobs.render_invoices]
    renewal_invoices = [row.id for row in db.session.query(Invoice.id).filter(Invoice.issued_at >= clock.now())
                        .order_by(Invoice.id)]
    # Two renewals (four commits) at a time during the run, in jobs of at most two; the last one at its end.
    assert batches == [renewal_invoices[0:2], renewal_invoices[2:4], renewal_invoices[4:5]]
