"""Extension objects, created unbound and initialised in create_app()."""

from typing import TYPE_CHECKING

from flask_babel import Babel
from flask_caching import Cache
from flask_compress import Compress
from flask_htmx import HTMX
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

# Named constraints so that Alembic migrations are stable on SQLite and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)

if TYPE_CHECKING:
    # Flask-SQLAlchemy makes db.Model at run time, out of a type checker's sight: to mypy a model is a Base.
    Model = Base
else:
    Model = db.Model
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
htmx = HTMX()
compress = Compress()
cache = Cache()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def use_sqlite_savepoints(engine: Engine) -> None:
    """pysqlite opens and ends transactions itself and does not know SAVEPOINT: a savepoint released as the
    first statement of a request commits on its own. Let SQLAlchemy emit BEGIN instead (the recipe of
    SQLAlchemy's SQLite dialect documentation), so that a savepoint is part of the request's transaction."""
    if engine.dialect.name != "sqlite" or event.contains(engine, "begin", _begin):
        return
    event.listen(engine, "connect", _no_driver_transactions)
    event.listen(engine, "begin", _begin)
    engine.dispose()  # connections opened before the listeners were added keep pysqlite's behaviour


def _no_driver_transactions(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None
    # Write-ahead logging: readers never wait for a writer (a learner reading a chapter while the billing run
    # commits), and a commit appends to the log with one sync instead of rewriting the journal. FULL keeps
    # every commit durable across a power cut: money recorded stays recorded.
    dbapi_connection.execute("PRAGMA journal_mode=WAL")
    dbapi_connection.execute("PRAGMA synchronous=FULL")


def _begin(connection) -> None:
    connection.exec_driver_sql("BEGIN")
