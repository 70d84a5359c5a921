"""Writing a row exactly once when two requests may try at the same moment."""

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.extensions import db


def insert_if_absent(model, values: dict, unique_columns: list[str]) -> None:
    """INSERT ... ON CONFLICT (`unique_columns`) DO NOTHING: the first row written wins and the loser of a race
    writes nothing (no error either). `unique_columns` must be a unique constraint of the table. The caller
    reads the row back (by those columns) to get whichever copy was kept."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - the project runs on SQLite and PostgreSQL
        try:
            with db.session.begin_nested():
                db.session.add(model(**values))
        except IntegrityError:
            pass
        return
    db.session.execute(insert(model).values(**values).on_conflict_do_nothing(index_elements=unique_columns))


def locked(model, row_id: int):
    """The row read again under a lock held until the transaction ends, so that two requests deciding on it
    (a payment and a billing run, two payments with one promo code) decide one after the other: SELECT ... FOR
    UPDATE on PostgreSQL; SQLite has no row locks, so a write to the row takes the database's write lock."""
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(update(model).where(model.id == row_id).values(id=model.id)
                           .execution_options(synchronize_session=False))
    return db.session.scalar(select(model).where(model.id == row_id).with_for_update()
                             .execution_options(populate_existing=True))
