"""Command-line tasks: `flask demo load`, `flask mail send`, `flask billing run`, `flask terms publish`, ..."""

import click
from flask import Flask, current_app, url_for
from flask.cli import AppGroup

from app.extensions import cache, db
from app.services import billing, contracts, demo, legal, mail, payments, terms_changes

demo_cli = AppGroup("demo", help="Demo data.")
billing_cli = AppGroup("billing", help="Everything that is due: run it from cron every few minutes.")
mail_cli = AppGroup("mail", help="The mail outbox.")
certificates_cli = AppGroup("certificates", help="Certificates of achievement (staff).")
terms_cli = AppGroup("terms", help="The service terms (legal team).")


@demo_cli.command("load")
def demo_load() -> None:
    """Load the demo catalogue and the terms in force (idempotent)."""
    counts = demo.load_catalogue()
    db.session.commit()
    cache.clear()  # with a shared cache (Redis) the servers show the new catalogue at once
    click.echo(f"Demo catalogue: {counts['categories']} categories, {counts['courses']} courses, "
               f"{counts['parcours']} Parcours.")


@mail_cli.command("send")
def mail_send() -> None:
    """Deliver every message still waiting in the outbox."""
    click.echo(f"{mail.deliver_pending(current_app.config)} message(s) delivered.")


@billing_cli.command("run")
def billing_run() -> None:
    """Process everything due at clock.now(): renewals and their retries, suspensions, ends of cancelled or
    unpaid subscriptions, and Premium Plus learners to invite to sign. Idempotent; safe to run concurrently."""
    config = current_app.config
    with current_app.test_request_context(base_url=config["PUBLIC_BASE_URL"]):
        invited = contracts.invite_to_sign_when_due(
            lambda subscription: url_for("contract.sign", subscription_id=subscription.id, _external=True))
        db.session.commit()
        with click.progressbar(length=1, label="Renewals", show_pos=True) as bar:
            def progress(_step: str, done: int, total: int) -> None:
                bar.length = total
                bar.update(done - bar.pos)

            report = billing.run(payments.gateway(), billing.DunningPolicy.from_config(config), db.session.commit,
                                 progress)
        mail.deliver_pending(config)
    click.echo(f"Premium Plus contracts ready to sign, learners invited: {invited}")
    click.echo(f"Renewals paid: {report.renewed}, refused: {report.refused}, waiting for the provider: "
               f"{report.pending}; suspended: {report.suspended}; ended: {report.ended}")


@certificates_cli.command("revoke")
@click.argument("identifier")
@click.option("--reason", required=True, help="Why the certificate is revoked (shown on its verification page).")
def certificates_revoke(identifier: str, reason: str) -> None:
    """Revoke the certificate or diploma IDENTIFIER: its public verification page then says it was revoked, when
    and why."""
    from app.services import DomainError, certificates

    try:
        certificate = certificates.revoke(identifier, reason)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException("; ".join(message for _, message in error.errors)) from error
    db.session.commit()
    kind = "Diploma" if certificate.is_diploma else "Certificate"
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
    row = legal.publish_terms_from_files(version, effective_on.date(), material)
    told = terms_changes.notify(row)
    db.session.commit()
    mail.deliver_pending(current_app.config)
    click.echo(f"Terms {row.version} apply from {row.effective_on.isoformat()}; subscribers told: {told}.")


def init_app(app: Flask) -> None:
    app.cli.add_command(demo_cli)
    app.cli.add_command(mail_cli)
    app.cli.add_command(billing_cli)
    app.cli.add_command(certificates_cli)
    app.cli.add_command(terms_cli)
