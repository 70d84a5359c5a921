"""Command-line tasks: `flask demo load`, `flask worker`, `flask mail send`, `flask billing run`,
`flask terms publish`, ..."""

import sys

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from app import jobs
from app.extensions import cache, db
from app.services import DomainError, demo
from app.services.billing import notifications
from app.services.commerce import terms_changes
from app.services.common import mail
from app.services.learning import certificates
from app.services.legal import documents

demo_cli = AppGroup("demo", help="Demo data.")
billing_cli = AppGroup("billing", help="Everything that is due (the workers run it on BILLING_SCHEDULE_MINUTES).")
mail_cli = AppGroup("mail", help="The mail outbox.")
certificates_cli = AppGroup("certificates", help="Certificates of achievement (staff).")
terms_cli = AppGroup("terms", help="The service terms (legal team).")


@demo_cli.command("load")
def demo_load() -> None:
    """Load the demo catalogue and the terms in force (idempotent)."""
    counts = demo.load_catalogue()
    db.session.commit()
    jobs.enqueue_committed_jobs()  # the PDFs of the terms just published, rendered by the worker
    cache.clear()  # with a shared cache (Redis) the servers show the new catalogue at once
    click.echo(f"Demo catalogue: {counts['categories']} categories, {counts['courses']} courses, "
               f"{counts['parcours']} Parcours.")


@click.command("worker")
@click.option("--threads", default=2, show_default=True, help="Jobs run at the same time by this worker.")
@click.option("--no-periodic", is_flag=True, help="Leave the schedule (billing run, outbox sweep) to other workers.")
def worker(threads: int, no_periodic: bool) -> None:
    """Run the job queue's worker until stopped: mail delivery, the outbox sweep and the billing schedule."""
    try:
        jobs.run_worker(threads, periodic=not no_periodic)
    except RuntimeError as error:
        raise click.ClickException(str(error)) from error


@mail_cli.command("send")
def mail_send() -> None:
    """Deliver now, in this process, every message that is due (the worker does it on its own; this is for
    operators). Each message is claimed first, so it is safe while workers run."""
    click.echo(f"{mail.deliver_pending(current_app.config)} message(s) delivered.")


def _progress_lines(every_percent: int = 10):
    """For a log (cron, a pipe): a plain line at each tenth of the work, no terminal control characters."""
    shown = 0

    def progress(_step: str, done: int, total: int) -> None:
        nonlocal shown
        step = done * 100 // every_percent // total if total else 0
        if step > shown:
            shown = step
            click.echo(f"Renewals: {done} / {total}")

    return progress


@billing_cli.command("run")
def billing_run() -> None:
    """Process everything due at clock.now(): renewals and their retries, suspensions, ends of cancelled or
    unpaid subscriptions, and Premium Plus learners to invite to sign. Idempotent; safe to run concurrently."""
    if sys.stdout.isatty():
        with click.progressbar(length=1, label="Renewals", show_pos=True, show_eta=True) as bar:
            def progress(_step: str, done: int, total: int) -> None:
                bar.length = total
                bar.update(done - bar.pos)

            outcome = jobs.run_billing(progress)  # the worker runs the same on BILLING_SCHEDULE_MINUTES
    else:
        outcome = jobs.run_billing(_progress_lines())
    invited, report = outcome.invited, outcome.report
    click.echo(f"Premium Plus contracts ready to sign, learners invited: {invited}")
    click.echo(f"Renewals paid: {report.renewed}, refused: {report.refused}, waiting for the provider: "
               f"{report.pending}; suspended: {report.suspended}; ended: {report.ended}")


@billing_cli.command("notifications")
def billing_notifications() -> None:
    """Provider notifications kept without effect for staff to investigate: rejected ones with their reason
    (another merchant account, currency or amount, an order not awaiting payment), and refunds still waiting
    for their payment."""
    for marker in notifications.to_investigate():
        click.echo(f"{marker.received_at:%Y-%m-%d %H:%M} {marker.outcome:8} {marker.event_code} {marker.psp_reference} "
                   f"{marker.merchant_reference} {marker.amount_cents} {marker.currency}: {marker.reason or ''}")


@certificates_cli.command("revoke")
@click.argument("identifier")
@click.option("--reason", required=True, help="Why the certificate is revoked (shown on its verification page).")
def certificates_revoke(identifier: str, reason: str) -> None:
    """Revoke the certificate or diploma IDENTIFIER: its public verification page then says it was revoked, when
    and why."""
    try:
        certificate = certificates.revoke(identifier, reason)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException("; ".join(message for _, message in error.errors)) from error
    db.session.commit()
    kind = "Diploma" if certificate.is_diploma else "Certificate"
    assert certificate.revoked_at is not None  # revoke() has just set it
    click.echo(f"{kind} {certificate.public_id} ({certificate.learner_name}, {certificate.title_fr}) "
               f"revoked on {certificate.revoked_at.isoformat()}.")


@terms_cli.command("publish")
@click.argument("version")
@click.option("--effective-on", required=True, type=click.DateTime(formats=["%Y-%m-%d"]),
              help="The day the version applies (YYYY-MM-DD).")
@click.option("--material", is_flag=True,
              help="It changes the duration, features or price: every subscriber is told and may refuse it.")
def terms_publish(version: str, effective_on, material: bool) -> None:
    """Publish the terms now in app/content/terms as VERSION (art. 1). With --material, each current
    subscriber gets an email and a notice, and 30 days to terminate to refuse them."""
    row = documents.publish_terms_from_files(version, effective_on.date(), material)
    told = terms_changes.notify(row)
    db.session.commit()
    jobs.enqueue_committed_jobs()  # one mail per subscriber: the workers deliver them
    click.echo(f"Terms {row.version} apply from {row.effective_on.isoformat()}; subscribers told: {told}.")


def init_app(app: Flask) -> None:
    app.cli.add_command(demo_cli)
    app.cli.add_command(worker)
    app.cli.add_command(mail_cli)
    app.cli.add_command(billing_cli)
    app.cli.add_command(certificates_cli)
    app.cli.add_command(terms_cli)
