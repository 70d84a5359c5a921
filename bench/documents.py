"""`make bench-documents`: how long the portal's documents take to render, and that no request renders them.

In a throwaway instance (the same set-up as `make bench`: schema, demo catalogue, the bench's learner, whose three
invoices the job queue rendered), this renders one of her invoices again and again (the PDF with its Factur-X XML
embedded, exactly as the job queue does) and the terms' PDF of the version in force, in French and in English, and
prints the first render, the median of the following ("warm") and the CPU time of each. Then it asks the portal for
the invoice's PDF and the terms' PDF, as the learner and as a visitor, with the PDF renderer replaced by one that
fails: the pages must be served from what is stored.

Run in the instance's environment as `python -m bench.documents measure`; `python -m bench.documents` makes the
instance, runs that, and deletes the instance.
"""

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from bench.load import BIN, bench_env, prepare_instance, run_checked
from bench.servers import SetupFailed

WARM_RENDERS = 10
INVOICE_TARGET_MS = 100  # the project's target (issue on speed): an invoice PDF warm


def timed(render: Callable[[], bytes], times: int) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds of each render."""
    walls, cpus = [], []
    for _ in range(times):
        wall, cpu = time.perf_counter(), time.process_time()
        render()
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return walls, cpus


def line(name: str, walls: list[float], cpus: list[float], target: float | None = None) -> str:
    warm_wall, warm_cpu = statistics.median(walls[1:]), statistics.median(cpus[1:])
    verdict = "" if target is None else f"  target {target:.0f} ms: {'ok' if warm_wall <= target else 'below'}"
    return (f"  {name:<28} first {walls[0]:7.1f} ms   warm {warm_wall:7.1f} ms (CPU {warm_cpu:6.1f} ms)"
            f"{verdict}")


def measure() -> int:
    from flask import url_for
    from sqlalchemy import select

    from app import create_app
    from app.extensions import db
    from app.models import Invoice, User
    from app.services.billing import invoices
    from app.services.common import pdf
    from app.services.legal import documents
    from bench.learner import LEARNER_EMAIL, PASSWORD
    from bench.visitor import csrf_token

    app = create_app()
    with app.test_request_context(base_url=app.config["PUBLIC_BASE_URL"]):
        invoice = db.session.scalar(select(Invoice).join(User, User.id == Invoice.user_id)
                                    .where(User.email == LEARNER_EMAIL).order_by(Invoice.id))
        terms = documents.version_in_force()
        assert invoice is not None and terms is not None, "the set-up made no invoice or no terms"
        print(f"Rendering, {WARM_RENDERS} warm renders after the first:")
        print(line(f"invoice {invoice.number}", *timed(partial(invoices.render, invoice), WARM_RENDERS + 1),
                   INVOICE_TARGET_MS))
        for language in ("fr", "en"):
            print(line(f"terms {terms.version} ({language})",
                       *timed(partial(documents.render_pdf, terms, language), 3)))
        # What the job queue does once at publication (no worker runs here): the requests below read it.
        documents.store_pdfs(terms.id)
        db.session.commit()
        invoice_path = url_for("invoices.invoice_pdf", number=invoice.number)
        terms_path = url_for("legal.terms_pdf")

    def refuse(*_args, **_kwargs):
        raise AssertionError("a request rendered a PDF")

    pdf.render_pdf = refuse  # any render from here on fails the request, hence the check below
    client = app.test_client()
    form = client.get("/connexion").get_data(as_text=True)
    client.post("/connexion", data={"csrf_token": csrf_token(form), "email": LEARNER_EMAIL, "password": PASSWORD})
    failed = []
    for who, asking in (("the learner", client), ("a visitor", app.test_client())):
        for path in ([invoice_path] if asking is client else []) + [terms_path]:
            response = asking.get(path)
            if response.status_code != 200 or response.mimetype != "application/pdf":
                failed.append(f"{who}: {path} answered {response.status_code} {response.mimetype}")
    print("Served from what is stored, no render on a request:", "yes" if not failed else "NO")
    for failure in failed:
        print("  " + failure)
    return 1 if failed else 0


def main() -> int:
    try:
        with tempfile.TemporaryDirectory(prefix="bench-documents-") as folder:
            instance = Path(folder)
            env = bench_env(instance)
            print("Preparing a throwaway instance (schema, demo catalogue, the bench's learner and her invoices)...",
                  flush=True)
            prepare_instance(env, instance)
            print(run_checked([str(BIN / "python"), "-m", "bench.documents", "measure"], env), end="")
    except SetupFailed as failure:
        print(f"bench-documents: {failure}", file=sys.stderr)
        print(failure.output, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(measure() if sys.argv[1:] == ["measure"] else main())
