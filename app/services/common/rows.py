"""Writing a row exactly once when two requests may try at the same moment, and reading a row under a lock."""

from typing import Any, TypeVar

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.extensions import Base, db

Row = TypeVar("Row", bound=Base)


def _insert_ignoring_conflicts(model: type[Base], values: dict[str, Any], unique_columns: list[str]) -> Any:
    """INSERT ... ON CONFLICT (`unique_columns`) DO NOTHING, which both databases the portal runs on have."""
    insert = postgresql_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    return insert(model).values(**values).on_conflict_do_nothing(index_elements=unique_columns)


def insert_if_absent(model: type[Base], values: dict[str, Any], unique_columns: list[str]) -> None:
    """The first row written wins and the loser of a race writes nothing (no error either). `unique_columns`
    must be a unique constraint of the table. The caller reads the row back (by those columns) to get whichever
    copy was kept."""
    db.session.execute(_insert_ignoring_conflicts(model, values, unique_columns))


def add_if_absent(model: type[Row], values: dict[str, Any], unique_columns: list[str]) -> Row | None:
    """The row written, in the session, or None if one with the same `unique_columns` was there already
    (another request wrote it first). One statement, where a savepoint around an INSERT costs three."""
    return db.session.scalars(_insert_ignoring_conflicts(model, values, unique_columns).returning(model)) \
        .one_or_none()


def locked(model: type[Row], row_id: int) -> Row:
    """The row read again under a lock held until the transaction ends, so that two requests deciding on it
    (a payment and a billing run, two payments with one promo code) decide one after the other: SELECT ... FOR
    UPDATE on PostgreSQL; SQLite has no row locks, so a write to the row takes the database's write lock."""
    id_column = model.__table__.c.id
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(update(model).where(id_column == row_id).values(id=id_column)
                           .execution_options(synchronize_session=False))
    return db.session.scalars(select(model).where(id_column == row_id).with_for_update()
                              .execution_options(populate_existing=True)).one()
