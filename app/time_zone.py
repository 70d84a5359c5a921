"""The platform's civil time, defined here once: every date a learner reads (invoices, periods, deadlines,
certificates) is a Paris date, whatever the server's zone. Times are stored in UTC."""

from zoneinfo import ZoneInfo

NAME = "Europe/Paris"
PARIS = ZoneInfo(NAME)


def zone(name: str) -> ZoneInfo:
    """Another place's civil time (a mentor's weekly slots are in the mentor's own zone)."""
    return ZoneInfo(name)
