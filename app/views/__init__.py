"""The blueprints, one per area of the site; `register` adds them all to the application."""

from flask import Flask

from app.assets import bp as static_bp
from app.views import (
    account,
    assignments,
    auth,
    catalog,
    certificates,
    checkout,
    community,
    continuing,
    contract,
    discipline,
    guardian_space,
    guardians,
    invoices,
    legal,
    main,
    mentoring,
    my_parcours,
    payments,
    privacy,
    projects,
    quiz,
    reader,
    sessions,
    staff,
    support,
)

BLUEPRINTS = (static_bp, main.bp, catalog.bp, auth.bp, legal.bp, support.bp, checkout.bp, contract.bp, guardians.bp,
              guardian_space.bp, payments.bp, payments.simulated_bp, reader.bp, account.bp, invoices.bp,
              assignments.bp, certificates.bp, quiz.bp, community.bp, staff.bp, mentoring.bp, privacy.bp,
              continuing.bp, sessions.bp, projects.bp, my_parcours.bp, discipline.bp)


def register(app: Flask) -> None:
    """After `web.init_app`: the request guard's `int` converter must be in place before any rule is added."""
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
