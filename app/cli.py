"""Command-line tasks: `flask demo load`, `flask mail send`."""

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from app.extensions import cache, db
from app.services import demo, mail

demo_cli = AppGroup("demo", help="Demo data.")
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


def init_app(app: Flask) -> None:
    app.cli.add_command(demo_cli)
    app.cli.add_command(mail_cli)
