"""wrk, the load generator: its command line, the Lua script that varies the address and reports, and its output.

wrk is a native client with keep-alive connections: on this machine it outruns the cheapest page gunicorn can
serve, which a Python client did not, so the ceiling is the server's and not the client's. The Lua script's
`done` prints one line of JSON (marked with REPORT_MARK) that `parse` reads; the human summary above it is kept
for the error message when that line is missing.

Two kinds of page need a new address on every request, which a `request` function builds:
- "tracking": the same search with a new `utm_campaign` each time: tracking parameters must not split the page
  cache, so this should cost what a cached page costs;
- "new-query": a search the cache has never seen, taken in turn from a file of queries (one per line, already
  URL-encoded); each wrk thread takes every n-th line from `offset`, so no query is sent twice in a run.
"""

import json
import re
import resource
import subprocess
from dataclasses import dataclass
from pathlib import Path

REPORT_MARK = "BENCH-RESULT "

# The end of every script: which requests each thread sent (for the query offset of the next run), then the
# figures. wrk calls setup() in its main Lua state for each thread before the thread's own init().
_REPORT = r"""
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function done(summary, latency, requests)
  local sent = 0
  for _, thread in ipairs(threads) do
    local count = thread:get("counter")
    if count ~= nil and count > sent then sent = count end
  end
  local errors = summary.errors
  io.write(string.format(
    '%s{"requests":%d,"duration_us":%d,"bytes":%d,"connect_errors":%d,"read_errors":%d,"write_errors":%d,'
    .. '"status_errors":%d,"timeouts":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f,'
    .. '"max_per_thread":%d}\n',
    "REPORT_MARK", summary.requests, summary.duration, summary.bytes, errors.connect, errors.read, errors.write,
    errors.status, errors.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean, sent))
end
""".replace("REPORT_MARK", REPORT_MARK)

_TRACKING = r"""
counter = 0
function init(args)
  prefix, offset, stride = args[1], tonumber(args[2]), tonumber(args[3])
end
function request()
  local index = offset + counter * stride + id
  counter = counter + 1
  return wrk.format(nil, prefix .. index)
end
"""

_NEW_QUERY = r"""
counter = 0
queries = {}
function init(args)
  prefix, offset, stride = args[1], tonumber(args[2]), tonumber(args[3])
  for line in io.lines(args[4]) do queries[#queries + 1] = line end
end
function request()
  local index = offset + counter * stride + id
  counter = counter + 1
  return wrk.format(nil, prefix .. queries[index % #queries + 1])
end
"""

VARIANTS = {None: "", "tracking": _TRACKING, "new-query": _NEW_QUERY}


def script(variant: str | None) -> str:
    """The Lua script for a page: its `request` function, if its address changes, then the report."""
    return VARIANTS[variant] + _REPORT


@dataclass(frozen=True)
class Load:
    """How hard and how long: wrk's threads share the connections, each kept alive for the whole run."""

    threads: int
    connections: int
    seconds: int


@dataclass(frozen=True)
class Measurement:
    requests: int  # responses received, errors included
    seconds: float
    bytes: int
    status_errors: int  # responses with a status of 400 or more (wrk's count)
    socket_errors: int  # connect, read and write errors, and timeouts
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    sent_per_thread: int  # the most requests one thread sent (the variants' query offset moves by this)
    client_cpu_seconds: float = 0.0  # what wrk itself used

    @property
    def successes(self) -> int:
        return self.requests - self.status_errors

    @property
    def requests_per_second(self) -> float:
        """Answers below 400 per second: a fast error page must not pass for a fast page."""
        return self.successes / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        return self.status_errors + self.socket_errors


class WrkFailed(Exception):
    def __init__(self, message: str, output: str) -> None:
        super().__init__(message)
        self.output = output


def parse(output: str) -> Measurement:
    """The figures from wrk's output: the report line printed by the script's `done`."""
    match = re.search(rf"^{re.escape(REPORT_MARK)}(\{{.*\}})\s*$", output, re.MULTILINE)
    if match is None:
        raise WrkFailed("wrk printed no report line", output)
    data = json.loads(match.group(1))
    return Measurement(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        bytes=data["bytes"],
        status_errors=data["status_errors"],
        socket_errors=data["connect_errors"] + data["read_errors"] + data["write_errors"] + data["timeouts"],
        p50_ms=data["p50_us"] / 1000,
        p90_ms=data["p90_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        max_ms=data["max_us"] / 1000,
        sent_per_thread=data["max_per_thread"],
    )


def command(url: str, load: Load, script_file: Path, headers: dict[str, str], args: list[str]) -> list[str]:
    header_options = [option for name, value in headers.items() for option in ("--header", f"{name}: {value}")]
    return ["wrk", "--threads", str(load.threads), "--connections", str(load.connections),
            "--duration", f"{load.seconds}s", "--timeout", "10s", "--script", str(script_file),
            *header_options, url, "--", *args]


def run(url: str, load: Load, script_file: Path, headers: dict[str, str], args: list[str]) -> Measurement:
    """One wrk run; its own CPU time is recorded too, to show how much of the machine the client takes."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    completed = subprocess.run(command(url, load, script_file, headers, args), capture_output=True, text=True,
                               timeout=load.seconds + 60)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if completed.returncode != 0:
        raise WrkFailed(f"wrk exited with {completed.returncode}", completed.stdout + completed.stderr)
    measurement = parse(completed.stdout)
    client = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Measurement(**{**measurement.__dict__, "client_cpu_seconds": client})
