"""Command-line tasks: `flask demo load`, `flask worker`, `flask mail send`, `flask billing run`,
`flask terms publish`, ..."""

import json
import sys
from contextlib import AbstractContextManager

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from app import demo_accounts, jobs
from app.extensions import cache, db
from app.services import DomainError, demo
from app.services.accounts import roles, users
from app.services.billing import notifications
from app.services.catalog import browse
from app.services.commerce import mentors, terms_changes
from app.services.common import mail
from app.services.learning import certificates
from app.services.legal import documents
from app.services.privacy import portable_data

demo_cli = AppGroup("demo", help="Demo data.")
billing_cli = AppGroup("billing", help="Everything that is due (the workers run it on BILLING_SCHEDULE_MINUTES).")
mail_cli = AppGroup("mail", help="The mail outbox.")
certificates_cli = AppGroup("certificates", help="Certificates of achievement (staff).")
terms_cli = AppGroup("terms", help="The service terms (legal team).")
mentors_cli = AppGroup("mentors", help="Which Parcours each mentor accompanies (Student Success).")
users_cli = AppGroup("users", help="Accounts of the team, and the roles of any account.")
privacy_cli = AppGroup("privacy", help="Personal data: the export's format.")
ROLE_CHOICE = click.Choice([role.value for role in roles.Role])


def _domain_failure(error: DomainError) -> click.ClickException:
    db.session.rollback()
    return click.ClickException("; ".join(message for _, message in error.errors))


def _public_urls() -> AbstractContextManager[object]:
    """The links a command mails point at the portal's public address, as a request's would."""
    return current_app.test_request_context(base_url=current_app.config["PUBLIC_BASE_URL"])


@demo_cli.command("load")
@click.option("--catalogue-only", is_flag=True, help="Leave the demo accounts out (the benchmarks make their own).")
def demo_load(catalogue_only: bool) -> None:
    """Load the demo catalogue and the terms in force, and (outside production) the demo accounts, then print
    them (idempotent: what exists already is left as it is)."""
    counts = demo.load_catalogue()
    db.session.commit()
    jobs.enqueue_committed_jobs()  # the PDFs of the terms just published, rendered by the worker
    cache.clear()  # with a shared cache (Redis) the servers show the new catalogue at once
    click.echo(f"Demo catalogue: {counts['categories']} categories, {counts['courses']} courses, "
               f"{counts['parcours']} Parcours.")
    if catalogue_only:
        return
    if current_app.config["PORTAL_ENV"] == "production":
        click.echo("No demo accounts in production: their passwords are published.")
        return
    with _public_urls():
        outcome = demo_accounts.load_accounts()
    click.echo(f"\nDemo accounts ({len(outcome.created)} created now), all with the password "
               f"{demo_accounts.PASSWORD!r}:")
    width = max(len(account.email) for account in demo_accounts.ACCOUNTS)
    for account in demo_accounts.ACCOUNTS:
        click.echo(f"  {account.email:<{width}}  {account.shows}")
    if outcome.guardian_link:
        click.echo(f"The guardian of {demo_accounts.MINOR.email} answers here (no account needed):\n  "
                   f"{outcome.guardian_link}")
    if outcome.guardian_space_link:
        click.echo(f"The father of {demo_accounts.WARD.email} follows her subscription in his guardian's space:\n  "
                   f"{outcome.guardian_space_link}")
    click.echo(f"Sign in at {current_app.config['PUBLIC_BASE_URL']}/connexion; the mails are written to "
               f"{current_app.config['MAIL_OUTBOX_DIR']}.\n")


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
@click.option("--processes", type=click.IntRange(min=1), default=None,
              help="Processes sharing the renewals on PostgreSQL (default: one per CPU; always one on SQLite).")
def billing_run(processes: int | None) -> None:
    """Process everything due at clock.now(): renewals and their retries, suspensions, ends of cancelled or
    unpaid subscriptions, and Premium Plus learners to invite to sign. Idempotent; safe to run concurrently."""
    processes = jobs.billing_processes(processes)
    if sys.stdout.isatty():
        with click.progressbar(length=1, label="Renewals", show_pos=True, show_eta=True) as bar:
            def progress(_step: str, done: int, total: int) -> None:
                bar.length = total
                bar.update(done - bar.pos)

            outcome = jobs.run_billing(progress, processes)  # the worker runs it on BILLING_SCHEDULE_MINUTES
    else:
        outcome = jobs.run_billing(_progress_lines(), processes)
    invited, report = outcome.invited, outcome.report
    click.echo(f"Premium Plus contracts ready to sign, learners invited: {invited}")
    if processes > 1:
        click.echo(f"Renewals shared between {processes} processes")
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
        raise _domain_failure(error) from error
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


@users_cli.command("create")
@click.argument("email")
@click.option("--role", "role", type=ROLE_CHOICE, required=True, help="The role the account holds.")
@click.option("--first-name", required=True)
@click.option("--last-name", required=True)
@click.option("--date-of-birth", required=True, type=click.DateTime(formats=["%Y-%m-%d"]), help="YYYY-MM-DD.")
@click.option("--country", default="FR", show_default=True, help="Country of residence (ISO code).")
@click.option("--language", type=click.Choice(["fr", "en"]), default="fr", show_default=True,
              help="The language of the portal's mails to this account.")
def users_create(email: str, role: str, first_name: str, last_name: str, date_of_birth, country: str,
                 language: str) -> None:
    """Create the account EMAIL for a colleague, holding ROLE. It has no password: its owner receives the sign-in
    details by mail, with a single-use link to choose one."""
    with _public_urls():
        try:
            user = roles.create_member(email, first_name, last_name, date_of_birth.date(), country.upper(),
                                       language, roles.Role(role))
        except DomainError as error:
            raise _domain_failure(error) from error
        db.session.commit()
    jobs.enqueue_committed_jobs()  # the sign-in details, delivered by the worker
    click.echo(f"Account {user.email} created with the role {role}; the link to choose a password is on its "
               "way by mail.")


def _change_role(email: str, role: str, give: bool) -> None:
    user = users.find_by_email(email)
    if user is None:
        raise click.ClickException(f"No account has the address {email}.")
    changed = (roles.grant if give else roles.revoke)(user, roles.Role(role))
    db.session.commit()
    if not changed:
        click.echo(f"{user.email} {'already holds' if give else 'does not hold'} the role {role}: nothing changed.")
    else:
        click.echo(f"{user.email} {'now holds' if give else 'no longer holds'} the role {role}.")


@users_cli.command("grant")
@click.argument("email")
@click.argument("role", type=ROLE_CHOICE)
def users_grant(email: str, role: str) -> None:
    """Give ROLE to the account EMAIL."""
    _change_role(email, role, give=True)


@users_cli.command("revoke")
@click.argument("email")
@click.argument("role", type=ROLE_CHOICE)
def users_revoke(email: str, role: str) -> None:
    """Take ROLE back from the account EMAIL: its next page no longer shows what the role opened."""
    _change_role(email, role, give=False)


@mentors_cli.command("accompany")
@click.argument("email")
@click.argument("parcours_slug")
def mentors_accompany(email: str, parcours_slug: str) -> None:
    """The mentor EMAIL accompanies the Premium Plus learners of the Parcours PARCOURS_SLUG from now on; the
    learners of that Parcours who have no mentor yet get one by the default rule (the fewest learners)."""
    mentor = users.find_by_email(email)
    if mentor is None or not roles.has(mentor, roles.Role.MENTOR):
        raise click.ClickException(f"{email} is not a mentor's account: flask users grant {email} mentor")
    parcours = browse.parcours_by_slug(parcours_slug)
    if parcours is None:
        raise click.ClickException(f"no Parcours {parcours_slug!r}")
    added = mentors.accompany(mentor, parcours)
    assigned = [mentors.assign_when_due(subscription) for subscription in mentors.without_mentor(parcours)]
    db.session.commit()
    click.echo(f"{email} {'accompanies' if added else 'already accompanied'} {parcours_slug}; learners given a "
               f"mentor now: {sum(1 for assignment in assigned if assignment is not None)}.")


@privacy_cli.command("schema")
def privacy_schema() -> None:
    """Print the JSON Schema of a data export's data.json (committed as docs/data-export.schema.json)."""
    click.echo(json.dumps(portable_data.schema(), ensure_ascii=False, indent=2))


def init_app(app: Flask) -> None:
    app.cli.add_command(privacy_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(mentors_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(worker)
    app.cli.add_command(mail_cli)
    app.cli.add_command(billing_cli)
    app.cli.add_command(certificates_cli)
    app.cli.add_command(terms_cli)
