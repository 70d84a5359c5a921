"""Command-line tasks: `flask demo load`, `flask mail send`."""

import click
from flask import Flask, current_app, url_for
from flask.cli import AppGroup

from app.extensions import cache, db
from app.services import billing, contracts, demo, mail, payments

demo_cli = AppGroup("demo", help="Demo data.")
billing_cli = AppGroup("billing", help="Everything that is due: run it from cron every few minutes.")
mail_cli = AppGroup("mail", help="The mail outbox.")


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


def init_app(app: Flask) -> None:
    app.cli.add_command(demo_cli)
    app.cli.add_command(mail_cli)
    app.cli.add_command(billing_cli)
