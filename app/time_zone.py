"""The platform's civil time, defined here once: every date a learner reads (invoices, periods, deadlines,
certificates) is a Paris date, whatever the server's zone. Times are stored in UTC. Mentoring sessions are the
exception: a mentor offers slots in their own zone, and a learner may read the sessions' times in theirs."""

from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

NAME = "Europe/Paris"
PARIS = ZoneInfo(NAME)


def zone(name: str) -> ZoneInfo:
    """Another place's civil time (a mentor's weekly slots are in the mentor's own zone)."""
    return ZoneInfo(name)


@lru_cache(maxsize=1)
def names() -> tuple[str, ...]:
    """The places a person may choose, as IANA names ("America/Montreal"), in alphabetical order."""
    return tuple(sorted(name for name in available_timezones() if "/" in name and not name.startswith("Etc/")))


def place(name: str) -> str:
    """The place a zone is named after, as people write it: "America/Argentina/Buenos_Aires" gives "Buenos Aires"."""
    return name.rsplit("/", 1)[-1].replace("_", " ")
