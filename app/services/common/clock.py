"""The only source of "now". Times are stored in UTC and shown in Europe/Paris; tests move the clock."""

from datetime import UTC, date, datetime, timedelta

from app.time_zone import PARIS as PARIS  # the services read Paris time as clock.PARIS

_offset = timedelta(0)
_frozen: datetime | None = None


def now() -> datetime:
    """The current time, timezone-aware, in UTC."""
    if _frozen is not None:
        return _frozen
    return datetime.now(UTC) + _offset


def today_in_paris() -> date:
    return now().astimezone(PARIS).date()


def freeze(at: datetime) -> None:
    """Stop the clock at `at` (tests only)."""
    global _frozen
    _frozen = at.astimezone(UTC)


def advance(delta: timedelta) -> None:
    global _offset, _frozen
    if _frozen is not None:
        _frozen += delta
    else:
        _offset += delta


def reset() -> None:
    global _offset, _frozen
    _offset = timedelta(0)
    _frozen = None
