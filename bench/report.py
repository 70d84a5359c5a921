"""A run's figures: the summary of each page over its rounds, the table printed, the results files, and the
comparison with the previous run."""

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from bench import stats
from bench.pages import Page
from bench.wrk import Measurement

RESULTS = Path(__file__).resolve().parent / "results"
LATEST = RESULTS / "latest.json"
BASELINE = RESULTS / "baseline.json"


@dataclass(frozen=True)
class Sample:
    """One wrk run against one server, with the CPU that server used meanwhile."""

    measurement: Measurement
    cpu_seconds: float  # the master's and the workers'
    # The share of the machine's CPUs that neither the measured server nor wrk used while measuring (other
    # processes); None where it cannot be read. Above a few percent, the figures are disturbed.
    other_cpu_share: float | None = None
    worker_shares: tuple[float, ...] = ()  # how the workers split their CPU, largest first
    attempts: int = 1  # a measurement where one worker got every connection is made again (stats.balanced)

    @property
    def requests_per_second(self) -> float:
        return self.measurement.requests_per_second

    @property
    def cpu_ms(self) -> float | None:
        return stats.per_request_ms(self.cpu_seconds, self.measurement.requests)

    def as_dict(self) -> dict[str, Any]:
        m = self.measurement
        return {"requests": m.requests, "seconds": round(m.seconds, 3),
                "requests_per_second": round(self.requests_per_second, 1), "cpu_ms": _round(self.cpu_ms, 3),
                "p50_ms": round(m.p50_ms, 2), "p90_ms": round(m.p90_ms, 2), "p99_ms": round(m.p99_ms, 2),
                "max_ms": round(m.max_ms, 2), "status_errors": m.status_errors, "socket_errors": m.socket_errors,
                "bytes_per_request": round(m.bytes / m.requests) if m.requests else None,
                "client_cpu_ms": _round(stats.per_request_ms(m.client_cpu_seconds, m.requests), 3),
                "other_cpu_share": _round(self.other_cpu_share, 3),
                "worker_shares": [round(share, 3) for share in self.worker_shares], "attempts": self.attempts}


@dataclass(frozen=True)
class PageRound:
    """A page measured once, between two measurements of the ceiling."""

    sample: Sample
    before: Sample
    after: Sample

    @property
    def ratio(self) -> float | None:
        return stats.ratio(self.sample.requests_per_second, self.before.requests_per_second,
                           self.after.requests_per_second)

    @property
    def cpu_ratio(self) -> float | None:
        return stats.cpu_ratio(self.sample.cpu_ms, self.before.cpu_ms, self.after.cpu_ms)


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def summarise_page(page: Page, rounds: list[PageRound]) -> dict[str, Any]:
    samples = [r.sample for r in rounds]
    ratio = stats.median(r.ratio for r in rounds)
    return {
        "name": page.name, "label": page.label, "path": page.path, "signed_in": page.signed_in,
        "target": page.target,
        "requests_per_second": _round(stats.median(s.requests_per_second for s in samples), 1),
        "ratio": _round(ratio, 3),
        "cpu_ms": _round(stats.median(s.cpu_ms for s in samples), 3),
        "cpu_ratio": _round(stats.median(r.cpu_ratio for r in rounds), 3),
        "p50_ms": _round(stats.median(s.measurement.p50_ms for s in samples), 2),
        "p99_ms": _round(stats.median(s.measurement.p99_ms for s in samples), 2),
        "errors": sum(s.measurement.errors for s in samples),
        "verdict": stats.verdict(ratio, page.target),
        "rounds": [{**r.sample.as_dict(), "ratio": _round(r.ratio, 3), "cpu_ratio": _round(r.cpu_ratio, 3),
                    "ceiling_before": round(r.before.requests_per_second, 1),
                    "ceiling_after": round(r.after.requests_per_second, 1)} for r in rounds],
    }


def summarise_ceiling(samples: list[Sample]) -> dict[str, Any]:
    return {
        "requests_per_second": _round(stats.median(s.requests_per_second for s in samples), 1),
        "cpu_ms": _round(stats.median(s.cpu_ms for s in samples), 3),
        "p50_ms": _round(stats.median(s.measurement.p50_ms for s in samples), 2),
        "p99_ms": _round(stats.median(s.measurement.p99_ms for s in samples), 2),
        "errors": sum(s.measurement.errors for s in samples),
        "client_cpu_ms": _round(stats.median(stats.per_request_ms(s.measurement.client_cpu_seconds,
                                                                  s.measurement.requests) for s in samples), 3),
        "measurements": [s.as_dict() for s in samples],
    }


def previous_run() -> tuple[str, dict[str, Any]] | None:
    """The run to compare with: the last one, else the baseline kept in the repository."""
    for path in (LATEST, BASELINE):
        if path.exists():
            return path.name, json.loads(path.read_text())
    return None


def compare(report: dict[str, Any], previous: dict[str, Any] | None) -> None:
    """Adds to each page the change of its ratio and CPU per request since `previous`."""
    before = {page["name"]: page for page in (previous or {}).get("pages", [])}
    for page in report["pages"]:
        old = before.get(page["name"], {})
        page["ratio_change"] = _round(stats.delta(page["ratio"], old.get("ratio")), 3)
        page["cpu_ms_change"] = _round(stats.delta(page["cpu_ms"], old.get("cpu_ms")), 3)


def write(report: dict[str, Any], started: datetime, as_latest: bool) -> Path:
    """`bench/results/<time>.json`, and latest.json for a run of the default pages and settings."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{started.strftime('%Y%m%dT%H%M%SZ')}.json"
    text = json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    path.write_text(text)
    if as_latest:
        LATEST.write_text(text)
    return path


def _number(value: float | None, digits: int, signed: bool = False) -> str:
    if value is None:
        return "-"
    return f"{value:+.{digits}f}" if signed else f"{value:.{digits}f}"


def table(report: dict[str, Any], compared_with: str | None) -> str:
    ceiling = report["ceiling"]
    header = ("page", "req/s", "ratio", "target", "CPU ms/req", "CPU ratio", "p50 ms", "p99 ms", "errors",
              f"ratio vs {compared_with}" if compared_with else "ratio vs last")
    rows = [("ceiling (bare Flask, between pages)", _number(ceiling["requests_per_second"], 0), "1.00", "",
             _number(ceiling["cpu_ms"], 3), "1.00", _number(ceiling["p50_ms"], 1), _number(ceiling["p99_ms"], 1),
             str(ceiling["errors"]), "")]
    for page in report["pages"]:
        rows.append((page["label"], _number(page["requests_per_second"], 0), _number(page["ratio"], 3),
                     f"{page['target']:g} {page['verdict']}", _number(page["cpu_ms"], 3),
                     _number(page["cpu_ratio"], 3), _number(page["p50_ms"], 1), _number(page["p99_ms"], 1),
                     str(page["errors"]), _number(page.get("ratio_change"), 3, signed=True)))
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [cell.ljust(width) if i in (0, 3) else cell.rjust(width)
                 for i, (cell, width) in enumerate(zip(row, widths, strict=True))]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)
