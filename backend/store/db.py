"""Opening the practice database: engine, SQLite/SQLCipher pragmas, write transactions, migrations, Flask sessions."""
from __future__ import annotations

import threading
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any, Iterator

from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from backend.context import get_toolkit
from backend.store import crypt
from core.errors import ConfigError, ToolkitError
from core.private import private_dir, private_file, tighten_files
from core.settings import Settings

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


# --- engine and sessions ---------------------------------------------------------------------
class Store:
    """An open database: the SQLAlchemy engine plus a session factory."""

    def __init__(self, url: str, key: crypt.DbKey | None = None, encryption: str = "off"):
        self.url = url
        self.encryption = encryption             # "sqlcipher" | "off" | "server" (what GET /health reports)
        self.engine = make_engine(url, key)
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


def make_engine(url: str, key: crypt.DbKey | None = None) -> Engine:
    """create_engine plus, for SQLite: the SQLCipher key when given, WAL, synchronous=FULL, foreign keys and
    BEGIN IMMEDIATE for writes; for PostgreSQL: psycopg, and write transactions taken one at a time."""
    url = server_url(url)
    if url.startswith("sqlite"):
        extra = {"module": crypt.dbapi()} if key is not None else {}
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False}, **extra)
        event.listen(engine, "connect", partial(_sqlite_pragmas, key))
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    engine = create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "postgresql":
        event.listen(engine, "begin", _postgres_begin)
    return engine


def server_url(url: str) -> str:
    """postgresql:// (and postgres://) URLs use psycopg 3, the driver the toolkit ships."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


WRITE_LOCK_ID = 7_140_214                       # pg_advisory_xact_lock key: the practice's one writer at a time


def _postgres_begin(conn: Any) -> None:
    """As SQLite's BEGIN IMMEDIATE: a write transaction holds the practice's write lock from its start (to
    its commit or rollback), so the audit chain head it reads cannot change under it."""
    if conn.get_execution_options().get("write"):
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_ID})")


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


def _sqlite_pragmas(key: crypt.DbKey | None, dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None          # SQLAlchemy's "begin" event emits BEGIN / BEGIN IMMEDIATE
    if key is not None:
        crypt.apply_key(dbapi_conn, key)       # first, before anything reads a page
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
    """The Store for the settings' database URL, keyed, checked and migrated to head; one per URL per process."""
    url = database_url(settings)
    with _OPEN_LOCK:
        if url not in _OPEN:
            _OPEN[url] = _open(settings, url)
        return _OPEN[url]


def _open(settings: Settings, url: str) -> Store:
    mode = crypt.encryption(settings, url)
    path = crypt.sqlite_path(url)
    key = None
    if path is not None:
        private_dir(path.parent, tighten=path.parent == settings.home)
        key = crypt.key_for_open(settings, path) if mode == "sqlcipher" else None
        private_file(path)                       # 0600 before SQLite writes a page; -wal/-shm inherit its mode
    store = Store(url, key, mode)
    try:
        if path is not None:
            _check_opens(store, path, key is not None)
        migrate(store.engine)
    except ToolkitError:
        store.close()
        raise
    except Exception as exc:
        store.close()
        raise ConfigError(f"Cannot open the practice database: {type(exc).__name__}: {_no_url(exc, url)}",
                          hint="check THERAPY_DATABASE_URL and that the folder is writable") from None
    if path is not None:
        tighten_files(path, *(path.with_name(path.name + s) for s in crypt.SIDE_FILES))
    return store


def connect_file(settings: Settings) -> Any:
    """A checked DB-API connection (autocommit) to the settings' SQLite database, keyed when it is encrypted:
    for `db` commands and for tests that play an attacker who holds the key."""
    url = database_url(settings)
    path = crypt.sqlite_path(url)
    if path is None:
        raise ConfigError("The practice database is not a SQLite file.", hint="this works on SQLite only")
    key = crypt.load_key(settings) if crypt.encryption(settings, url) == "sqlcipher" else None
    return crypt.connect(path, key)


def _check_opens(store: Store, path: Path, encrypted: bool) -> None:
    try:
        raw = store.engine.raw_connection()           # the first connect already reads the schema
    except Exception as exc:
        crypt.explain(exc, path, encrypted)
        raise
    try:
        crypt.check_opens(raw.driver_connection, path, encrypted)
    finally:
        raw.close()


def _no_url(exc: Exception, url: str) -> str:
    """The error's text without the URL's password (psycopg may quote the connection string)."""
    from sqlalchemy.engine import make_url

    text = str(exc).splitlines()[0] if str(exc) else ""
    password = make_url(server_url(url)).password
    return text.replace(password, "***") if password else text


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
