"""Load benchmark: the portal's public pages against a minimal Flask "ceiling" app, both under gunicorn.

Run from the project root with `make bench` (or `.venv/bin/python -m bench.load`); see bench/README.md.
"""

import http.client
import json
import math
import os
import platform
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
RESULTS_FILE = ROOT / "bench" / "results" / "latest.json"

# Loopback only, never a name that could resolve elsewhere: the benchmark must not load a shared server.
HOST = "127.0.0.1"
CONCURRENCY = 8
WARMUP_SECONDS = 1.0
DURATION_SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
# Hard cap on the requests of one measurement, so a run always stops even if the clock misbehaves.
MAX_REQUESTS = 20_000
READY_TIMEOUT_SECONDS = 30.0
REQUEST_TIMEOUT_SECONDS = 10.0
TARGET_RATIO = 0.4  # the goal set in the project's issue: each page at >= 40 % of the ceiling's throughput

# What a French browser sends; gzip makes Flask-Compress do the work it does in production.
HEADERS = {"Accept-Encoding": "gzip", "Accept-Language": "fr", "User-Agent": "portal-bench"}

# Both servers are started identically, so the ratio measures the application and nothing else.
GUNICORN_OPTIONS = ["--workers", "2", "--threads", "1", "--worker-class", "sync", "--log-level", "warning"]

CEILING_PATH = "/"
PORTAL_TARGETS = [
    ("catalogue", "/cours"),
    ("search", "/cours?q=developpement"),
    ("course", "/cours/developpement-web-flask"),
    ("parcours", "/parcours/developpeur-application-python"),
]


class SetupFailed(Exception):
    """The instance could not be prepared or a server did not start; `output` is what it printed."""

    def __init__(self, message: str, output: str = "") -> None:
        super().__init__(message)
        self.output = output


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen
    log: Path


@dataclass
class Result:
    name: str
    path: str
    requests: int
    requests_per_second: float
    p50_ms: float | None
    p99_ms: float | None
    errors: int
    capped: bool
    ratio: float | None = None
    verdict: str = ""


# --- preparation -------------------------------------------------------------------------------------------


def run_checked(command: list[str], env: dict[str, str] | None = None) -> None:
    """Run a set-up command from the project root; its output is shown only if it fails."""
    completed = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if completed.returncode != 0:
        raise SetupFailed(f"`{' '.join(command)}` exited with {completed.returncode}",
                          completed.stdout + completed.stderr)


def ensure_translations() -> None:
    """Compile the catalogues if needed: without the .mo files the portal would serve untranslated pages."""
    catalogues = list((ROOT / "app" / "translations").glob("*/LC_MESSAGES/messages.po"))
    if any(not po.with_suffix(".mo").exists() for po in catalogues):
        run_checked([str(BIN / "pybabel"), "compile", "-d", "app/translations"])


def bench_env(instance: Path) -> dict[str, str]:
    """The environment of the set-up commands and both servers: a throwaway SQLite instance, no rate limit."""
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


def prepare_instance(env: dict[str, str]) -> None:
    run_checked([str(BIN / "flask"), "db", "upgrade"], env)
    run_checked([str(BIN / "flask"), "demo", "load"], env)


# --- servers -----------------------------------------------------------------------------------------------


def free_port() -> int:
    """A port the kernel considers free now; gunicorn binds it a moment later (a small, accepted race)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_server(name: str, app_spec: str, env: dict[str, str], log_dir: Path) -> Server:
    port = free_port()
    log = log_dir / f"{name}.log"
    command = [str(BIN / "gunicorn"), *GUNICORN_OPTIONS, "--bind", f"{HOST}:{port}", app_spec]
    # Output goes to a file, not a pipe: an unread pipe could fill up and block the server.
    with log.open("wb") as sink:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT)
    return Server(name, port, process, log)


def answers(port: int) -> bool:
    """True once the server returns any HTTP response: readiness, not correctness."""
    connection = http.client.HTTPConnection(HOST, port, timeout=1)
    try:
        connection.request("GET", "/")
        connection.getresponse().read()
        return True
    except (OSError, http.client.HTTPException):
        return False
    finally:
        connection.close()


def wait_until_ready(server: Server) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise SetupFailed(f"the {server.name} server exited with {server.process.returncode}",
                              server.log.read_text(errors="replace"))
        if answers(server.port):
            return
        time.sleep(0.1)
    raise SetupFailed(f"the {server.name} server did not answer within {READY_TIMEOUT_SECONDS:.0f} s",
                      server.log.read_text(errors="replace"))


def stop_server(server: Server) -> None:
    """Graceful stop (SIGTERM), then SIGKILL if gunicorn has not exited after a few seconds."""
    if server.process.poll() is not None:
        return
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


# --- load --------------------------------------------------------------------------------------------------


class Budget:
    """The requests left in one run, shared by the threads; emptying it stops them all (e.g. on Ctrl-C)."""

    def __init__(self, requests: int) -> None:
        self._left = requests
        self._lock = threading.Lock()

    def take(self) -> bool:
        with self._lock:
            if self._left <= 0:
                return False
            self._left -= 1
            return True

    def stop(self) -> None:
        with self._lock:
            self._left = 0


def one_request(connection: http.client.HTTPConnection, path: str) -> bool:
    """One GET; True for a 200. A broken connection is closed so the next request reopens it."""
    try:
        connection.request("GET", path, headers=HEADERS)
        response = connection.getresponse()
        response.read()  # drained, or the connection could not carry the next request
        return response.status == 200
    except (OSError, http.client.HTTPException):
        connection.close()
        return False


def worker(port: int, path: str, deadline: float, budget: Budget) -> tuple[list[float], int]:
    """One client thread with its own connection: the latencies of its 200 responses, and its error count.

    The connection is kept alive when the server allows it; gunicorn's sync workers close it after each
    response, and http.client then reconnects transparently, as a browser would.
    """
    connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT_SECONDS)
    latencies: list[float] = []
    errors = 0
    try:
        while time.perf_counter() < deadline and budget.take():
            started = time.perf_counter()
            if one_request(connection, path):
                latencies.append(time.perf_counter() - started)
            else:
                errors += 1
    finally:
        connection.close()
    return latencies, errors


def percentile_ms(sorted_seconds: list[float], fraction: float) -> float | None:
    """Nearest-rank percentile, in milliseconds; None when nothing succeeded."""
    if not sorted_seconds:
        return None
    rank = min(len(sorted_seconds), max(1, math.ceil(fraction * len(sorted_seconds))))
    return sorted_seconds[rank - 1] * 1000


def run_load(name: str, port: int, path: str, seconds: float) -> Result:
    """CONCURRENCY threads hitting one path for `seconds` (or until MAX_REQUESTS), then the statistics."""
    budget = Budget(MAX_REQUESTS)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
        futures = [pool.submit(worker, port, path, started + seconds, budget) for _ in range(CONCURRENCY)]
        try:
            outcomes = [future.result() for future in futures]
        except BaseException:
            budget.stop()  # on Ctrl-C, let the threads finish their current request instead of the whole run
            raise
    elapsed = time.perf_counter() - started
    latencies = sorted(latency for thread_latencies, _ in outcomes for latency in thread_latencies)
    errors = sum(thread_errors for _, thread_errors in outcomes)
    return Result(
        name=name,
        path=path,
        requests=len(latencies) + errors,
        # Only 200s count as throughput: a fast error page must not pass for a fast page.
        requests_per_second=len(latencies) / elapsed,
        p50_ms=percentile_ms(latencies, 0.50),
        p99_ms=percentile_ms(latencies, 0.99),
        errors=errors,
        capped=len(latencies) + errors >= MAX_REQUESTS,
    )


def measure(name: str, port: int, path: str) -> Result:
    """A discarded warm-up first: it fills the workers' caches (templates, SQLAlchemy, Babel) and imports."""
    run_load(name, port, path, WARMUP_SECONDS)
    return run_load(name, port, path, DURATION_SECONDS)


def compare_to_ceiling(results: list[Result]) -> None:
    ceiling = results[0].requests_per_second
    for result in results:
        result.ratio = result.requests_per_second / ceiling if ceiling else None
        if result.ratio is None:
            result.verdict = "n/a"
        else:
            result.verdict = "ok" if result.ratio >= TARGET_RATIO else f"below {TARGET_RATIO}"


# --- report ------------------------------------------------------------------------------------------------


def _number(value: float | None, digits: int) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def print_table(results: list[Result]) -> None:
    header = ("target", "requests/s", "p50 ms", "p99 ms", "errors", "ratio", "ok")
    rows = [
        (f"{r.name} {r.path}", _number(r.requests_per_second, 1), _number(r.p50_ms, 1), _number(r.p99_ms, 1),
         str(r.errors), _number(r.ratio, 2), r.verdict)
        for r in results
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    print(f"{DURATION_SECONDS:g} s per target after a {WARMUP_SECONDS:g} s warm-up, {CONCURRENCY} threads, "
          f"gunicorn {' '.join(GUNICORN_OPTIONS[:6])}, Accept-Language: fr, Accept-Encoding: gzip")
    text_columns = (0, len(header) - 1)  # text left-aligned, numbers right-aligned, so the columns line up
    for row in [header, *rows]:
        cells = [cell.ljust(width) if i in text_columns else cell.rjust(width)
                 for i, (cell, width) in enumerate(zip(row, widths, strict=True))]
        print("  ".join(cells).rstrip())


def write_results(results: list[Result]) -> None:
    RESULTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "host": HOST,
        "duration_seconds": DURATION_SECONDS,
        "warmup_seconds": WARMUP_SECONDS,
        "concurrency": CONCURRENCY,
        "max_requests": MAX_REQUESTS,
        "target_ratio": TARGET_RATIO,
        "gunicorn_options": GUNICORN_OPTIONS,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "results": [asdict(result) for result in results],
    }
    RESULTS_FILE.write_text(json.dumps(report, indent=2) + "\n")


# --- main --------------------------------------------------------------------------------------------------


def benchmark(workdir: Path) -> list[Result]:
    """Prepare, start both servers, measure; the servers are stopped whatever happens (errors, Ctrl-C)."""
    env = bench_env(workdir)
    prepare_instance(env)
    servers: list[Server] = []
    try:
        ceiling = start_server("ceiling", "bench.ceiling_app:app", env, workdir)
        servers.append(ceiling)
        portal = start_server("portal", "wsgi:app", env, workdir)
        servers.append(portal)
        for server in servers:
            wait_until_ready(server)
        results = [measure("ceiling", ceiling.port, CEILING_PATH)]
        results += [measure(name, portal.port, path) for name, path in PORTAL_TARGETS]
    finally:
        for server in servers:
            stop_server(server)
    compare_to_ceiling(results)
    return results


def main() -> int:
    try:
        ensure_translations()
        with tempfile.TemporaryDirectory(prefix="portal-bench-") as workdir:
            results = benchmark(Path(workdir))
    except SetupFailed as failure:
        print(f"bench: {failure}", file=sys.stderr)
        print(failure.output, file=sys.stderr)
        return 1
    print_table(results)
    write_results(results)
    print(f"Results written to {RESULTS_FILE.relative_to(ROOT)}")
    return 0  # a benchmark, not a test: slow pages are reported, they do not fail the command


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("bench: interrupted, servers stopped", file=sys.stderr)
        sys.exit(130)
