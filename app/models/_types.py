"""Column types shared by the models."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime, Enum
from sqlalchemy.types import TypeDecorator

# The platform's civil time: dates shown and periods counted are Paris dates.
PARIS = ZoneInfo("Europe/Paris")


class UTCDateTime(TypeDecorator):
    """Stores aware datetimes as UTC and always returns them aware (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: use clock.now()")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def string_enum(enum_class, length: int = 20) -> Enum:
    """A Python enum stored as its values in a plain string column (no database enum type to migrate)."""
    return Enum(enum_class, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])
