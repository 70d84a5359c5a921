"""Load benchmark: the portal's pages, anonymous and signed in, against a bare Flask "ceiling", both served by
gunicorn with `make serve`'s settings and loaded by wrk.

Run from the project root with `make bench` (or `.venv/bin/python -m bench.load`); bench/README.md says how to read
it. Each page is measured between two measurements of the ceiling (ceiling, page, ceiling, next page, ceiling...),
in BENCH_ROUNDS rounds; a page's ratio is its throughput over the mean of the two ceilings around it, and the
figure reported is the median over the rounds, beside the servers' CPU per request.
"""

import json
import os
import platform
import runpy
import shutil
import subprocess
import sys
import tempfile
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import cpu, report, servers, stats, visitor, wrk
from bench import pages as bench_pages
from bench.pages import Page
from bench.report import PageRound, Sample
from bench.servers import SetupFailed

ROOT = servers.ROOT
BIN = ROOT / ".venv" / "bin"

SECONDS = int(os.environ.get("BENCH_SECONDS", "3"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
WARMUP_SECONDS = int(os.environ.get("BENCH_WARMUP_SECONDS", "1"))
LOAD = wrk.Load(threads=int(os.environ.get("BENCH_THREADS", "2")),
                connections=int(os.environ.get("BENCH_CONNECTIONS", "8")), seconds=SECONDS)
PAGES = os.environ.get("BENCH_PAGES", "")
GUNICORN_OVERRIDES = os.environ.get("BENCH_GUNICORN", "")
CEILING_PATH = "/"
DISTURBED_SHARE = 0.10
MAX_ATTEMPTS = 4


# --- preparation -------------------------------------------------------------------------------------------------

def run_checked(command: list[str], env: dict[str, str]) -> str:
    """Run a set-up command from the project root; its output is shown only if it fails."""
    completed = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if completed.returncode != 0:
        raise SetupFailed(f"`{' '.join(command)}` exited with {completed.returncode}",
                          completed.stdout + completed.stderr)
    return completed.stdout


def bench_env(instance: Path) -> dict[str, str]:
    """The environment of the set-up and of both servers: a throwaway SQLite instance, no rate limit."""
    return {
        **os.environ,
        "FLASK_APP": "wsgi.py",
        "INSTANCE_PATH": str(instance),
        "DATABASE_URL": f"sqlite:///{instance / 'bench.sqlite3'}",
        "SECRET_KEY": "bench",
        "PORTAL_ENV": "development",
        # Thousands of requests from one address would otherwise be throttled and measured as errors.
        "RATELIMIT_ENABLED": "0",
    }


def prepare_instance(env: dict[str, str], instance: Path) -> dict[str, Any]:
    """Schema, demo catalogue, then the bench's learners (bench/learner.py); returns what the learner set-up said.
    The set-up runs its jobs at once (invoice PDFs, mail): the learner's invoices are ready before the load."""
    run_checked([str(BIN / "flask"), "db", "upgrade"], env)
    run_checked([str(BIN / "flask"), "demo", "load", "--catalogue-only"], env)
    output = run_checked([str(BIN / "python"), "-m", "bench.learner", str(instance)],
                         {**env, "JOB_QUEUE_IMMEDIATE": "1"})
    scenario: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return scenario


# --- measuring ---------------------------------------------------------------------------------------------------

class Runner:
    """Runs wrk against one server at a time and reads that server's CPU around it."""

    def __init__(self, workdir: Path, scenario: dict[str, Any], cookies: dict[str, str]) -> None:
        self.scenario = scenario
        self.cookies = cookies  # by `Page.who`
        self.scripts: dict[str | None, Path] = {}
        for variant in wrk.VARIANTS:
            path = workdir / f"wrk-{variant or 'plain'}.lua"
            path.write_text(wrk.script(variant))
            self.scripts[variant] = path
        self.offsets: dict[str, int] = {}  # the next unused index of each varying page's addresses

    def headers(self, page: Page | None) -> dict[str, str]:
        headers = dict(visitor.HEADERS)
        if page is not None and page.who:
            headers["Cookie"] = self.cookies[page.who]
        return headers

    def args(self, page: Page | None) -> list[str]:
        if page is None or page.variant is None:
            return []
        args = [page.path, str(self.offsets.get(page.name, 0)), str(LOAD.threads)]
        if page.variant == "new-query":
            args.append(self.scenario["queries_file"])
        return args

    def measure(self, server: servers.Server, page: Page | None, seconds: int = SECONDS) -> Sample:
        """A measurement where every worker took part (stats.balanced), made again up to MAX_ATTEMPTS times."""
        attempts = 1
        sample = self._measure_once(server, page, seconds)
        while not stats.balanced(list(sample.worker_shares)) and attempts < MAX_ATTEMPTS:
            attempts += 1
            sample = self._measure_once(server, page, seconds)
        return replace(sample, attempts=attempts)

    def _measure_once(self, server: servers.Server, page: Page | None, seconds: int) -> Sample:
        path = CEILING_PATH if page is None else page.path
        variant = None if page is None else page.variant
        load = wrk.Load(LOAD.threads, LOAD.connections, seconds)
        machine_before, cpu_before = cpu.machine_busy_seconds(), server.cpu_reading()
        measurement = wrk.run(server.url(path), load, self.scripts[variant], self.headers(page), self.args(page))
        machine_after, cpu_after = cpu.machine_busy_seconds(), server.cpu_reading()
        if page is not None and page.variant is not None:
            self.offsets[page.name] = (self.offsets.get(page.name, 0)
                                       + (measurement.sent_per_thread + 1) * LOAD.threads)
        used = cpu.used_between(cpu_before, cpu_after)
        server_cpu = sum(used.values())
        other = None
        if machine_before is not None and machine_after is not None:
            used_elsewhere = machine_after - machine_before - server_cpu - measurement.client_cpu_seconds
            other = max(0.0, used_elsewhere) / (measurement.seconds * (os.cpu_count() or 1))
        return Sample(measurement, server_cpu, other, tuple(cpu.shares(used, server.process.pid)))


def check_pages(portal: servers.Server, pages: list[Page], people: dict[str, visitor.Visitor]) -> None:
    """Each page as its reader gets it (`people` by `Page.who`, a new visitor for the anonymous pages)."""
    anonymous = visitor.Visitor(portal.port)
    for page in pages:
        visitor.check(people[page.who] if page.who else anonymous, page.checked, page.marks)


def measure_all(runner: Runner, ceiling: servers.Server, portal: servers.Server,
                pages: list[Page]) -> tuple[list[Sample], dict[str, list[PageRound]]]:
    """ceiling, page 1, ceiling, page 2, ... ceiling, for each round; a ceiling ends one page's pair and starts the
    next one's."""
    for page in pages:  # a discarded warm-up: imports, templates, SQLAlchemy's and Babel's caches, the page cache
        runner.measure(portal, page, WARMUP_SECONDS)
    runner.measure(ceiling, None, WARMUP_SECONDS)
    ceilings = [runner.measure(ceiling, None)]
    rounds: dict[str, list[PageRound]] = {page.name: [] for page in pages}
    for number in range(1, ROUNDS + 1):
        for page in pages:
            sample = runner.measure(portal, page)
            ceilings.append(runner.measure(ceiling, None))
            measured = PageRound(sample, ceilings[-2], ceilings[-1])
            rounds[page.name].append(measured)
            print(f"  round {number}/{ROUNDS}  {page.name:<20} {sample.requests_per_second:8.0f} req/s  "
                  f"ratio {measured.ratio or 0:.3f}  CPU {sample.cpu_ms or 0:.2f} ms/req  "
                  f"errors {sample.measurement.errors}", flush=True)
    return ceilings, rounds


def gunicorn_settings() -> dict[str, Any]:
    """The settings gunicorn.conf.py gives (as recorded in the results)."""
    values = runpy.run_path(str(servers.CONFIG))
    return {name: value for name, value in values.items()
            if not name.startswith("_") and isinstance(value, str | int | float | bool)}


def benchmark(workdir: Path, pages_wanted: str) -> dict[str, Any]:
    """Prepare, start both servers, sign in, check, measure, check again; the servers are stopped whatever
    happens (errors, Ctrl-C)."""
    env = bench_env(workdir)
    print("Preparing a throwaway instance (schema, demo catalogue, the bench's learners)...", flush=True)
    scenario = prepare_instance(env, workdir)
    pages = bench_pages.select(bench_pages.all_pages(scenario), pages_wanted)
    started: list[servers.Server] = []
    try:
        for name, app_spec in (("ceiling", "bench.ceiling_app:app"), ("portal", "wsgi:app")):
            started.append(servers.start(name, app_spec, env, workdir, GUNICORN_OVERRIDES))
        for server in started:
            servers.wait_until_ready(server)
        ceiling, portal = started
        people = {"learner": visitor.sign_in(portal.port, scenario["email"], scenario["password"]),
                  "mentor": visitor.sign_in(portal.port, scenario["mentor_email"], scenario["password"])}
        check_pages(portal, pages, people)  # also settles each one's cookie (CSRF token in the session)
        runner = Runner(workdir, scenario, {who: person.cookie_header() for who, person in people.items()})
        print(f"Measuring {len(pages)} pages, {ROUNDS} rounds of {SECONDS} s, the ceiling between pages...",
              flush=True)
        ceilings, rounds = measure_all(runner, ceiling, portal, pages)
        check_pages(portal, pages, people)  # still themselves after the load (the session still open...)
        used = runner.offsets.get("search-new", 0)
    finally:
        for server in started:
            servers.stop(server)
    notes = [line for server in started for line in servers.logged_exceptions(server)]
    samples = [*ceilings, *(r.sample for page_rounds in rounds.values() for r in page_rounds)]
    again = sum(1 for sample in samples if sample.attempts > 1)
    if again:
        notes.append(f"{again} of {len(samples)} measurements were made again because one gunicorn worker had "
                     "accepted every connection (worker_shares and attempts in the results)")
    lopsided = sum(1 for sample in samples if not stats.balanced(list(sample.worker_shares)))
    if lopsided:
        notes.append(f"{lopsided} measurements stayed served by one worker after {MAX_ATTEMPTS} attempts: "
                     "their figures are about a third of the others")
    disturbed = max((sample.other_cpu_share or 0.0 for sample in samples), default=0.0)
    if disturbed > DISTURBED_SHARE:
        notes.append(f"other processes used up to {disturbed:.0%} of the machine during a measurement "
                     "(other_cpu_share in the results): run again on a quiet machine before trusting a change")
    if used > scenario["query_count"]:
        notes.append(f"the uncached search sent {used} queries from a pool of {scenario['query_count']}: "
                     "some were repeated, and may have been cache hits")
    return {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "wrk": subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split("[")[0]
                    .strip()},
        "settings": {"seconds": SECONDS, "rounds": ROUNDS, "warmup_seconds": WARMUP_SECONDS,
                     "wrk_threads": LOAD.threads, "connections": LOAD.connections,
                     "gunicorn": gunicorn_settings(), "gunicorn_overrides": GUNICORN_OVERRIDES,
                     "pages": [page.name for page in pages]},
        "ceiling": report.summarise_ceiling(ceilings),
        "pages": [report.summarise_page(page, rounds[page.name]) for page in pages],
        "notes": notes,
    }


def main() -> int:
    if shutil.which("wrk") is None:
        print("bench: wrk is not installed (`make bench` installs it: apt-get install -y wrk)", file=sys.stderr)
        return 1
    started = datetime.now(UTC)
    try:
        with tempfile.TemporaryDirectory(prefix="portal-bench-") as workdir:
            figures = benchmark(Path(workdir), PAGES)
    except (SetupFailed, wrk.WrkFailed) as failure:
        print(f"bench: {failure}", file=sys.stderr)
        print(failure.output, file=sys.stderr)
        return 1
    except ValueError as error:  # an unknown page in BENCH_PAGES
        print(f"bench: {error}", file=sys.stderr)
        return 1
    as_latest = not PAGES and not GUNICORN_OVERRIDES  # only a run of the default pages and settings is the latest
    result = {"generated_at": started.isoformat(timespec="seconds"), "default_run": as_latest, **figures}
    previous = report.previous_run()
    report.compare(result, previous[1] if previous else None)
    print()
    gunicorn = " ".join(f"{name}={value}" for name, value in figures["settings"]["gunicorn"].items())
    print(f"gunicorn.conf.py ({gunicorn}){' + ' + GUNICORN_OVERRIDES if GUNICORN_OVERRIDES else ''}; "
          f"wrk {LOAD.threads} threads, {LOAD.connections} keep-alive connections; median of {ROUNDS} rounds of "
          f"{SECONDS} s; ratio = page / mean of the ceilings just before and after it")
    print(report.table(result, previous[0] if previous else None))
    for note in figures["notes"]:
        print(f"note: {note}")
    path = report.write(result, started, as_latest)
    written = f"{path.relative_to(ROOT)}" + (f" and {report.LATEST.relative_to(ROOT)}" if as_latest else "")
    print(f"Results written to {written}")
    return 0  # a benchmark, not a test: slow pages are reported, they do not fail the command


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("bench: interrupted, servers stopped", file=sys.stderr)
        sys.exit(130)
