"""The practice database: SQLAlchemy models, SQLite pragmas, migrations at open, request sessions, review queue."""
from __future__ import annotations

import json
import threading
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from flask import Flask, current_app, g
from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Engine,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    create_engine,
    event,
    select,
)
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    mapped_column,
    relationship,
    sessionmaker,
)

from core.errors import BadRequest, ConfigError, Conflict, NotFound
from core.schemas import SEVERITIES
from core.settings import Settings

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
ROLES = ("admin", "clinician", "service")
SESSION_KINDS = ("notes", "transcript")
REVIEW_STATUSES = ("open", "resolved")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    tokens: Mapped[list["Token"]] = relationship(back_populates="user")


class Token(Base):
    """An API token, stored only as its sha256; the plain token is shown once at creation."""

    __tablename__ = "tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))             # first characters, to tell tokens apart
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    user: Mapped[User] = relationship(back_populates="tokens")


class Patient(Base):
    __tablename__ = "patients"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    display_name: Mapped[str] = mapped_column(String(120))
    external_ref: Mapped[str | None] = mapped_column(String(64), default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sessions: Mapped[list["TherapySession"]] = relationship(back_populates="patient",
                                                            order_by="TherapySession.date")


class TherapySession(Base):
    """One session's notes or transcript (clinical text: never logged, never audited)."""

    __tablename__ = "sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="RESTRICT"))
    date: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16), default="notes")
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    patient: Mapped[Patient] = relationship(back_populates="sessions")
    __table_args__ = (Index("ix_sessions_patient_date", "patient_id", "date"),)


class SummaryCache(Base):
    """A generated session summary, keyed by sha256(session text + date + model + prompt version)."""

    __tablename__ = "summaries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cache_key: Mapped[str] = mapped_column(String(64), unique=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    model: Mapped[str] = mapped_column(String(200))
    prompt_version: Mapped[str] = mapped_column(String(32))
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ReviewItem(Base):
    """Something a clinician must look at (high/crisis summaries, triage escalations)."""

    __tablename__ = "review_queue"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    severity: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(500))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    patient_id: Mapped[int | None] = mapped_column(ForeignKey("patients.id"), default=None, index=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("sessions.id"), default=None)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    resolved_by: Mapped[str | None] = mapped_column(String(80), default=None)
    resolution: Mapped[str | None] = mapped_column(String(500), default=None)


class AuditRow(Base):
    """One audited access; `hash` = sha256(prev_hash + canonical row), see backend/audit.py."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[str] = mapped_column(String(40))                 # ISO-8601 UTC, hashed as written
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(80))
    outcome: Mapped[str] = mapped_column(String(32))
    patient_id: Mapped[int | None] = mapped_column(Integer, default=None, index=True)
    session_ids: Mapped[str] = mapped_column(String(2000), default="[]")
    detail: Mapped[str] = mapped_column(String(2000), default="{}")
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)  # a chain cannot fork
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    __table_args__ = ({"sqlite_autoincrement": True},)           # ids never reused: tail deletes show


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
    from backend.context import get_toolkit

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


# --- review queue ----------------------------------------------------------------------------
def add_review_item(db: Session, *, kind: str, severity: str, reason: str, payload: dict[str, Any],
                    patient_id: int | None = None, session_id: int | None = None, commit: bool = True) -> int:
    """Queue something for human review; returns its id. Commits `db` unless commit=False.

    `payload` must be JSON-serialisable; keep clinical text out of it where ids suffice.
    """
    if severity not in SEVERITIES:
        raise BadRequest(f"severity must be one of {', '.join(SEVERITIES)}")
    begin_write(db)
    item = ReviewItem(kind=kind, severity=severity, reason=reason[:500],
                      payload=json.loads(json.dumps(payload, default=str)),
                      patient_id=patient_id, session_id=session_id)
    db.add(item)
    db.flush()
    if commit:
        db.commit()
    return item.id


def list_review_items(db: Session, *, status: str | None = "open") -> list[ReviewItem]:
    query = select(ReviewItem).order_by(ReviewItem.id)
    if status:
        query = query.where(ReviewItem.status == status)
    return list(db.scalars(query))


# --- patients and sessions -------------------------------------------------------------------
SESSION_TEXT_MAX_CHARS = 200_000


def create_patient(db: Session, display_name: str, external_ref: str | None = None) -> Patient:
    """Add a patient (caller commits)."""
    name = " ".join((display_name or "").split())
    if not name or len(name) > 120:
        raise BadRequest("display_name must be 1-120 characters.")
    begin_write(db)
    patient = Patient(display_name=name, external_ref=(external_ref or None))
    db.add(patient)
    db.flush()
    return patient


def get_patient(db: Session, patient_id: int) -> Patient:
    patient = db.get(Patient, patient_id)
    if patient is None:
        raise NotFound(f"No patient with id {patient_id}.")
    return patient


def add_session(db: Session, patient_id: int, *, date_: date, text: str, author: str,
                kind: str = "notes") -> TherapySession:
    """Store one session's notes or transcript (caller commits; nothing is written if this raises)."""
    begin_write(db)
    get_patient(db, patient_id)
    if kind not in SESSION_KINDS:
        raise BadRequest(f"kind must be one of {', '.join(SESSION_KINDS)}.")
    if not text or not text.strip():
        raise BadRequest("Session text is empty.")
    if len(text) > SESSION_TEXT_MAX_CHARS:
        raise BadRequest(f"Session text is longer than {SESSION_TEXT_MAX_CHARS} characters.")
    session = TherapySession(patient_id=patient_id, date=date_, kind=kind, text=text, author=author[:80])
    db.add(session)
    db.flush()
    return session


def list_sessions(db: Session, patient_id: int) -> list[TherapySession]:
    get_patient(db, patient_id)
    query = (select(TherapySession).where(TherapySession.patient_id == patient_id)
             .order_by(TherapySession.date, TherapySession.id))
    return list(db.scalars(query))


def parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise BadRequest(f"'{value}' is not a date; use YYYY-MM-DD.") from None


def resolve_review_item(db: Session, item_id: int, *, by: str, note: str | None = None) -> ReviewItem:
    """Mark an open review item resolved (caller commits); 404 unknown, 409 already resolved."""
    begin_write(db)
    item = db.get(ReviewItem, item_id)
    if item is None:
        raise NotFound(f"No review item with id {item_id}.")
    if item.status == "resolved":
        raise Conflict(f"Review item {item_id} was already resolved by {item.resolved_by}.")
    item.status, item.resolved_at, item.resolved_by, item.resolution = "resolved", utcnow(), by, note
    return item
