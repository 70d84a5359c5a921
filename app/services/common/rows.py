"""Writing a row exactly once when two requests may try at the same moment, and reading a row under a lock."""

from typing import Any, TypeVar

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from app.extensions import Base, db

Row = TypeVar("Row", bound=Base)


def insert_if_absent(model: type[Base], values: dict[str, Any], unique_columns: list[str]) -> None:
    """INSERT ... ON CONFLICT (`unique_columns`) DO NOTHING: the first row written wins and the loser of a race
    writes nothing (no error either). `unique_columns` must be a unique constraint of the table. The caller
    reads the row back (by those columns) to get whichever copy was kept."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        db.session.execute(postgresql_insert(model).values(**values)
                           .on_conflict_do_nothing(index_elements=unique_columns))
    elif dialect == "sqlite":
        db.session.execute(sqlite_insert(model).values(**values).on_conflict_do_nothing(index_elements=unique_columns))
    else:  # pragma: no cover - the project runs on SQLite and PostgreSQL
        try:
            with db.session.begin_nested():
                db.session.add(model(**values))
        except IntegrityError:
            pass


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
