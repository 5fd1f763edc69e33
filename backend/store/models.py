"""The practice database's tables: users, tokens, web sign-ins, patients and care teams, sessions, summary cache,
approved notes, review queue, audit log, and the small bookkeeping tables (idempotency keys, denial counts)."""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import JSON, Column, Date, DateTime, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

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
    password_hash: Mapped[str | None] = mapped_column(String(200), default=None)   # argon2id; `users passwd`
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
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    user: Mapped[User] = relationship(back_populates="tokens")


class WebSession(Base):
    """A signed-in browser: the cookie holds a random id stored only as its sha256, ended at sign-out or idle."""

    __tablename__ = "web_sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    session_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    ended_why: Mapped[str | None] = mapped_column(String(16), default=None)       # signed_out | idle
    user: Mapped[User] = relationship()


# The care team: which users (clinicians, services) may see a patient (see backend/access.py).
patient_clinicians = Table(
    "patient_clinicians", Base.metadata,
    Column("patient_id", ForeignKey("patients.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
    Column("assigned_at", DateTime(timezone=True), nullable=False, default=utcnow),
)


class Patient(Base):
    __tablename__ = "patients"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    display_name: Mapped[str] = mapped_column(String(120))
    external_ref: Mapped[str | None] = mapped_column(String(64), default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sessions: Mapped[list["TherapySession"]] = relationship(back_populates="patient",
                                                            order_by="TherapySession.date")
    care_team: Mapped[list[User]] = relationship(secondary=patient_clinicians, order_by=User.id)


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


class ApprovedNote(Base):
    """A session's note in the practice's format, as a clinician edited and approved it (clinical text)."""

    __tablename__ = "notes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="RESTRICT"), index=True)
    format: Mapped[str] = mapped_column(String(32))
    sections: Mapped[dict[str, Any]] = mapped_column(JSON)        # section label -> approved text, in order
    risk: Mapped[str] = mapped_column(String(16))                 # never below the floor's reading of the note
    floor_risk: Mapped[str] = mapped_column(String(16))
    approved_by: Mapped[str] = mapped_column(String(80))
    approved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


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
    clinician_severity: Mapped[str | None] = mapped_column(String(16), default=None)  # the reviewer's judgement


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


class IdempotencyKey(Base):
    """The stored answer of a create sent with an Idempotency-Key (per user; replayed for 24 hours)."""

    __tablename__ = "idempotency_keys"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    fingerprint: Mapped[str] = mapped_column(String(64))         # sha256 of method, route and body
    patient_id: Mapped[int | None] = mapped_column(Integer, default=None)   # whose data the answer shows
    status: Mapped[int] = mapped_column(Integer)
    response: Mapped[str] = mapped_column(Text)                  # the JSON body as sent
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_idempotency_user_key"),)


class DenialCount(Base):
    """Unauthenticated requests from one source address in one window, before they become one audit row."""

    __tablename__ = "denial_counts"
    source: Mapped[str] = mapped_column(String(64), primary_key=True)
    window_start: Mapped[int] = mapped_column(Integer, primary_key=True)   # epoch seconds
    count: Mapped[int] = mapped_column(Integer, default=0)
