"""The arithmetic of a fair comparison: each page against the ceilings measured just before and just after it,
medians over rounds, and the verdict against the page's target."""

import statistics
from collections.abc import Iterable


def median(values: Iterable[float | None]) -> float | None:
    """The median of the known values; None when there is none."""
    known = [value for value in values if value is not None]
    return statistics.median(known) if known else None


def ratio(page_rate: float, ceiling_before: float, ceiling_after: float) -> float | None:
    """The page's throughput over the mean of the two ceilings around it: the machine's load drifts during a run,
    and the mean of its neighbours is the ceiling at the moment the page was measured."""
    ceiling = (ceiling_before + ceiling_after) / 2
    return page_rate / ceiling if ceiling > 0 else None


def cpu_ratio(page_cpu: float | None, ceiling_before: float | None, ceiling_after: float | None) -> float | None:
    """The ceiling's CPU per request over the page's (both in the same unit): the same comparison as `ratio`, read
    from the server's CPU instead of its throughput, so it moves less with the rest of the machine."""
    if page_cpu is None or ceiling_before is None or ceiling_after is None or page_cpu <= 0:
        return None
    return (ceiling_before + ceiling_after) / 2 / page_cpu


# A measurement counts when the least busy worker did at least this share of an even split of the work. Low on
# purpose: a page whose requests wait on a lock (SQLite's writes) splits unevenly with every worker connected; a
# worker without any connection does nothing at all.
BALANCE_FLOOR = 0.2


def balanced(worker_shares: list[float]) -> bool:
    """Did every worker take part? With keep-alive, each of wrk's connections stays with the worker that accepted it,
    and now and then one worker accepts them all: the server then runs on one CPU, at a third of its throughput and
    twice its CPU per request. Production, with many clients, spreads connections over the workers."""
    if len(worker_shares) < 2:
        return True
    return min(worker_shares) >= BALANCE_FLOOR / len(worker_shares)


def per_request_ms(cpu_seconds: float, requests: int) -> float | None:
    return cpu_seconds * 1000 / requests if requests else None


def verdict(value: float | None, target: float) -> str:
    if value is None:
        return "n/a"
    return "ok" if value >= target else "below"


def delta(current: float | None, previous: float | None) -> float | None:
    if current is None or previous is None:
        return None
    return current - previous
