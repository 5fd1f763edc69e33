"""Opening the practice database: engine, SQLite pragmas, write transactions, migrations, Flask request sessions."""
from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from backend.context import get_toolkit
from core.errors import ConfigError
from core.settings import Settings

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


# --- engine and sessions ---------------------------------------------------------------------
class Store:
    """An open database: the SQLAlchemy engine plus a session factory."""

    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    def session(self) -> Session:
        return self.sessions()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A write session whose work commits on success and rolls back entirely on any error."""
        with self.sessions() as db:
            begin_write(db)
            try:
                yield db
                db.commit()
            except BaseException:
                db.rollback()
                raise

    def close(self) -> None:
        self.engine.dispose()


def make_engine(url: str) -> Engine:
    """create_engine plus, for SQLite: WAL, synchronous=FULL, foreign keys, and BEGIN IMMEDIATE for writes."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _sqlite_begin(conn: Any) -> None:
    """Reads take a snapshot and block nobody (WAL); a write transaction holds the lock from its start,
    so what it reads (e.g. the audit chain head) cannot change before it commits."""
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("write") else "BEGIN")


def begin_write(db: Session) -> None:
    """Turn `db`'s work into a write transaction; call before the first change (every writer here does).

    A read-only transaction in progress is ended first (committing nothing), so a view may read, run a
    model for minutes without blocking anyone, and then write.
    """
    if db.in_transaction():
        if db.connection().get_execution_options().get("write"):
            return
        db.commit()
    db.connection(execution_options={"write": True})


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None          # SQLAlchemy's "begin" event emits BEGIN / BEGIN IMMEDIATE
    cursor = dbapi_conn.cursor()
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON", "busy_timeout=30000"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (creates every table on a new database)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


_OPEN: dict[str, Store] = {}
_OPEN_LOCK = threading.Lock()


def database_url(settings: Settings) -> str:
    """settings.db_url, except that demo settings without an explicit URL use <home>/demo.db (never production)."""
    if settings.demo and not settings.database_url:
        return f"sqlite:///{settings.home / 'demo.db'}"
    return settings.db_url


def open_store(settings: Settings) -> Store:
    """The Store for the settings' database URL, migrated to head; one per URL per process."""
    url = database_url(settings)
    with _OPEN_LOCK:
        if url not in _OPEN:
            if url.startswith("sqlite:///"):
                Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
            store = Store(url)
            try:
                migrate(store.engine)
            except Exception as exc:
                store.close()
                raise ConfigError(f"Cannot open the practice database: {type(exc).__name__}: {exc}",
                                  hint="check THERAPY_DATABASE_URL and that the folder is writable") from None
            _OPEN[url] = store
        return _OPEN[url]


def close_all() -> None:
    with _OPEN_LOCK:
        for store in _OPEN.values():
            store.close()
        _OPEN.clear()


# --- Flask integration ---------------------------------------------------------------------
def init_app(app: Flask) -> None:
    """Open (and migrate) the app's database and close the request session after each request."""
    with app.app_context():
        app.extensions["store"] = open_store(get_toolkit().settings)
    app.teardown_appcontext(_close_db)


def get_store() -> Store:
    return current_app.extensions["store"]


def get_db() -> Session:
    """The request's session (created on first use; uncommitted work is rolled back at teardown)."""
    if "db" not in g:
        g.db = get_store().session()
    return g.db


def _close_db(_exc: BaseException | None) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.close()
