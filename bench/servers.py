"""The two servers of a run, the portal and its ceiling, started by gunicorn with `make serve`'s settings.

Both read gunicorn.conf.py, the one place those settings are written; BENCH_GUNICORN adds options after it (for
instance `--threads 1`), to both servers alike, so that a change of settings can be measured before it is made.
"""

import http.client
import re
import shlex
import socket
import subprocess
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bench import cpu

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
CONFIG = ROOT / "gunicorn.conf.py"
# Loopback only, never a name that could resolve elsewhere: the benchmark must not load a shared server.
HOST = "127.0.0.1"
READY_TIMEOUT_SECONDS = 30.0


class SetupFailed(Exception):
    """The instance could not be prepared, a server did not start or a page was not what it should be; `output`
    is what the failing part printed."""

    def __init__(self, message: str, output: str = "") -> None:
        super().__init__(message)
        self.output = output


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"

    def cpu_reading(self) -> dict[int, float]:
        """The CPU used so far by gunicorn's master and by each of its workers, by pid."""
        return cpu.process_seconds(self.process.pid)


def options(overrides: str) -> list[str]:
    """gunicorn's options: the shared configuration file, then the run's overrides (the later option wins)."""
    return ["--config", str(CONFIG), *shlex.split(overrides)]


def free_port() -> int:
    """A port the kernel considers free now; gunicorn binds it a moment later (a small, accepted race)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def start(name: str, app_spec: str, env: dict[str, str], log_dir: Path, overrides: str) -> Server:
    port = free_port()
    log = log_dir / f"{name}.log"
    command = [str(GUNICORN), *options(overrides), "--bind", f"{HOST}:{port}", app_spec]
    # Output (the access log too, as `make serve` writes it) goes to a file: an unread pipe could block the server.
    with log.open("wb") as sink:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT)
    return Server(name, port, process, log)


def _answers(port: int) -> bool:
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
                              server.log.read_text(errors="replace")[-5000:])
        if _answers(server.port):
            return
        time.sleep(0.1)
    raise SetupFailed(f"the {server.name} server did not answer within {READY_TIMEOUT_SECONDS:.0f} s",
                      server.log.read_text(errors="replace")[-5000:])


def stop(server: Server) -> None:
    """Graceful stop (SIGTERM), then SIGKILL if gunicorn has not exited after a few seconds."""
    if server.process.poll() is not None:
        return
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


_EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(?:Error|Exception|Warning)\b.*$")
_SQL_PARAMETERS = re.compile(r"\[(?:SQL|parameters): .*")


def logged_exceptions(server: Server, limit: int = 5) -> list[str]:
    """The exceptions the server logged (the last line of each traceback), most frequent first, with their count:
    the errors wrk counts, told by their cause."""
    counts: Counter[str] = Counter()
    for line in server.log.read_text(errors="replace").splitlines():
        if _EXCEPTION_LINE.match(line):
            counts[_SQL_PARAMETERS.sub("", line).strip()[:200]] += 1
    return [f"{server.name}: {text} (x{count})" for text, count in counts.most_common(limit)]
