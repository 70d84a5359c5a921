"""The only source of "now". Times are stored in UTC and shown in Europe/Paris; tests move the clock."""

from collections.abc import Iterator
from contextlib import contextmanager
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


def move_to(moment: datetime) -> None:
    """Set "now" to `moment` (a history written in the past, inside `travelling`)."""
    advance(moment - now())


@contextmanager
def travelling() -> Iterator[None]:
    """Move the clock freely inside the block (the demo's and the benchmark's histories, written in the past
    through the services); it is put back as it was when the block ends, however it ends."""
    global _offset, _frozen
    saved = _offset, _frozen
    try:
        yield
    finally:
        _offset, _frozen = saved
