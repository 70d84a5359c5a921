"""`make bench-billing N=10000`: the monthly billing run with N renewals due at once.

In a throwaway instance (SQLite by default; `BENCH_DATABASE_URL` names an empty PostgreSQL database instead), N
learners subscribe to Premium Solo the way the portal's own services make them: sign-up, the checkout's steps,
"Valider", the simulated provider's payment page and its notification, which fulfils the order and issues the
first invoice. The clock is set a month back for that, so that every subscription is due now. Then
`flask billing run` runs in a process of its own, as cron would start it, and the benchmark prints its wall time,
the time per renewal and the process's peak memory, and checks that every subscription was renewed once, with one
invoice each, numbered without a gap.

The invoice PDFs are not part of the run: it leaves them to the job queue (see app/services/billing/invoices.py),
and no worker runs here.
"""

import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from bench.load import BIN, ROOT, SetupFailed, run_checked

BUILD_CHUNK = 500  # subscriptions built per commit of the set-up


def instance_env(instance: Path) -> dict[str, str]:
    return {
        **os.environ,
        "FLASK_APP": "wsgi.py",
        "INSTANCE_PATH": str(instance),
        "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{instance / 'billing.sqlite3'}",
        "JOB_QUEUE_URL": f"sqlite:///{instance / 'jobs.sqlite3'}",
        "SECRET_KEY": "bench",
        "PORTAL_ENV": "development",
        "MAIL_DIR": str(instance / "outbox"),
    }


# --- the set-up, run in the instance's environment: python -m bench.billing build N ---------------------------

def build(count: int) -> None:
    from app import create_app
    from app import demo_accounts as journeys
    from app.extensions import db
    from app.models.commerce import OfferKind
    from app.services.accounts import email_verification, users
    from app.services.commerce import checkout
    from app.services.common import clock
    from app.services.legal import documents

    app = create_app()
    with app.test_request_context(base_url=app.config["PUBLIC_BASE_URL"]):
        provider = journeys.simulated_provider()
        clock.freeze(clock.now() - timedelta(days=31, hours=1))  # a month and an hour ago: due now
        # The terms in force on that day, with the demo's text (a consent names its version).
        documents.publish_terms_from_files("banc-facturation", clock.today_in_paris())
        started = time.monotonic()
        for number in range(1, count + 1):
            user = users.register(users.SignupData(
                first_name="Camille", last_name=f"Banc {number}", email=f"camille.{number}@banc.example.org",
                password="", date_of_birth=clock.today_in_paris().replace(year=1990), country="FR",
                under_legal_protection=False, locale="fr"), with_password=False)
            email_verification.mark_verified(user)  # the welcome mail's link, opened: a first order waits for it
            # Committed without handing the jobs to the queue (no worker runs here): only the billing is measured.
            order = journeys.ordered(user, OfferKind.SOLO, None)
            hosted = checkout.validate(order, order.first_charge_cents, provider, journeys.REQUESTER,
                                       journeys.return_url(order))
            assert hosted is not None
            db.session.commit()
            journeys.pay_on_provider_page(provider, hosted.session_id, user.full_name)
            db.session.commit()
            if number % BUILD_CHUNK == 0 or number == count:
                print(f"  {number} / {count} subscriptions ({time.monotonic() - started:.0f} s)", flush=True)
                db.session.expunge_all()  # the set-up's memory stays flat too
        clock.reset()


# --- the checks, in the instance's environment: python -m bench.billing check N -------------------------------

def check(count: int) -> None:
    from app import create_app
    from app.extensions import db
    from app.models import Invoice, PaymentTransaction, Renewal, Subscription
    from app.models.commerce import SubscriptionStatus
    from app.models.payment import RenewalStatus, TransactionKind

    app = create_app()
    with app.app_context():
        renewed = db.session.scalar(select(func.count()).select_from(Renewal)
                                    .where(Renewal.status == RenewalStatus.PAID)) or 0
        per_subscription = db.session.execute(select(Renewal.subscription_id, func.count())
                                              .group_by(Renewal.subscription_id)).all()
        charges = db.session.scalar(select(func.count()).select_from(PaymentTransaction)
                                    .where(PaymentTransaction.kind == TransactionKind.CHARGE)) or 0
        active = db.session.scalar(select(func.count()).select_from(Subscription)
                                   .where(Subscription.status == SubscriptionStatus.ACTIVE)) or 0
        sequences: dict[str, list[int]] = {}
        for number in db.session.scalars(select(Invoice.number)):
            series, _, position = number.rpartition("-")  # "FA-2026-000042": numbered per prefix and year
            sequences.setdefault(series, []).append(int(position))
        with_pdf = db.session.scalar(select(func.count()).select_from(Invoice).where(Invoice.pdf.is_not(None))) or 0
    problems = []
    if renewed != count:
        problems.append(f"{renewed} renewals paid, {count} expected")
    if any(renewals != 1 for _, renewals in per_subscription):
        problems.append("a subscription has more than one renewal")
    if charges != 2 * count:
        problems.append(f"{charges} charges, {2 * count} expected (the first month and one renewal each)")
    if active != count:
        problems.append(f"{active} subscriptions active, {count} expected")
    invoices = sum(len(numbers) for numbers in sequences.values())
    if invoices != 2 * count:
        problems.append(f"{invoices} invoices, {2 * count} expected")
    for series, numbers in sorted(sequences.items()):
        if sorted(numbers) != list(range(1, len(numbers) + 1)):
            problems.append(f"the {series} invoice numbers have a gap or a duplicate")
    print(f"  {renewed} renewals paid, {charges} charges, {invoices} invoices numbered without a gap in "
          f"{', '.join(sorted(sequences))}, {with_pdf} PDF(s) rendered (the job queue renders the rest)"
          if not problems else "  " + "; ".join(problems))
    if problems:
        sys.exit(1)


# --- the run, measured alone: python -m bench.billing run ---------------------------------------------------------

def measured_run() -> None:
    """`flask billing run` as this process's only child, so that the peak memory read afterwards is the run's."""
    started = time.monotonic()
    completed = subprocess.run([str(BIN / "flask"), "billing", "run"], cwd=ROOT, capture_output=True, text=True)
    wall = time.monotonic() - started
    if completed.returncode != 0:
        print(completed.stdout + completed.stderr, file=sys.stderr)
        sys.exit(completed.returncode)
    print(completed.stdout.strip().splitlines()[-1])
    print(f"{wall:.3f} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}")


# --- the benchmark: python -m bench.billing N ------------------------------------------------------------------

def main(count: int) -> int:
    with tempfile.TemporaryDirectory(prefix="bench-billing-") as folder:
        instance = Path(folder)
        env = instance_env(instance)
        where = "PostgreSQL" if os.environ.get("BENCH_DATABASE_URL") else "SQLite"
        print(f"Billing benchmark: {count} renewals due at once, {where}", flush=True)
        try:
            run_checked([str(BIN / "flask"), "db", "upgrade"], env)
            # The catalogue and the Premium Solo price; the demo's own subscribers would be renewed too.
            run_checked([str(BIN / "flask"), "demo", "load", "--catalogue-only"], env)
            print(f"Building {count} Premium Solo subscriptions through the checkout...", flush=True)
            subprocess.run([str(BIN / "python"), "-m", "bench.billing", "build", str(count)], cwd=ROOT, env=env,
                           check=True)
            print("flask billing run...", flush=True)
            summary, measures = run_checked([str(BIN / "python"), "-m", "bench.billing", "run"], env) \
                .strip().splitlines()[-2:]
            print(f"  {summary}")
            subprocess.run([str(BIN / "python"), "-m", "bench.billing", "check", str(count)], cwd=ROOT, env=env,
                           check=True)
        except (SetupFailed, subprocess.CalledProcessError) as failure:
            print(f"FAILED: {failure}", file=sys.stderr)
            if isinstance(failure, SetupFailed):
                print(failure.output, file=sys.stderr)
            return 1
    wall, peak_kib = float(measures.split()[0]), int(measures.split()[1])
    print(f"wall time {wall:.1f} s, {wall * 1000 / count:.2f} ms per renewal, peak memory {peak_kib / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["build"]:
        build(int(sys.argv[2]))
    elif sys.argv[1:2] == ["check"]:
        check(int(sys.argv[2]))
    elif sys.argv[1:2] == ["run"]:
        measured_run()
    else:
        sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000))
