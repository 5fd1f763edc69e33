"""Reads and writes of the practice data: patients and care teams, sessions, summary cache, review queue, users."""
from __future__ import annotations

import json
from datetime import date
from typing import Any, Collection, Iterable

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from backend.store.db import begin_write
from backend.store.models import (
    SESSION_KINDS,
    Patient,
    ReviewItem,
    SummaryCache,
    TherapySession,
    User,
    patient_clinicians,
    utcnow,
)
from core.errors import BadRequest, Conflict, NotFound
from core.schemas import SEVERITIES

SESSION_TEXT_MAX_CHARS = 200_000


# --- patients and sessions -------------------------------------------------------------------
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
        raise no_patient(patient_id)
    return patient


def no_patient(patient_id: int) -> NotFound:
    """The one answer for a patient that is absent or not the caller's (the two must not differ)."""
    return NotFound(f"No patient with id {patient_id}.")


def list_patients(db: Session) -> list[Patient]:
    """Every patient, by id."""
    return list(db.scalars(select(Patient).order_by(Patient.id)))


# --- care teams --------------------------------------------------------------------------------
def care_team(db: Session, patient_id: int) -> list[User]:
    """The users on the patient's care team, by id."""
    query = select(User).join(patient_clinicians, patient_clinicians.c.user_id == User.id) \
        .where(patient_clinicians.c.patient_id == patient_id).order_by(User.id)
    return list(db.scalars(query))


def on_care_team(db: Session, patient_id: int, user_id: int) -> bool:
    query = select(func.count()).select_from(patient_clinicians).where(
        patient_clinicians.c.patient_id == patient_id, patient_clinicians.c.user_id == user_id)
    return bool(db.scalar(query))


def team_patient_ids(db: Session, user_id: int) -> set[int]:
    """The ids of the patients whose care team has this user."""
    query = select(patient_clinicians.c.patient_id).where(patient_clinicians.c.user_id == user_id)
    return set(db.scalars(query))


def assign(db: Session, patient_id: int, user_id: int) -> bool:
    """Put the user on the patient's care team (caller commits); False when already there."""
    begin_write(db)
    get_patient(db, patient_id)
    if on_care_team(db, patient_id, user_id):
        return False
    db.execute(insert(patient_clinicians).values(patient_id=patient_id, user_id=user_id, assigned_at=utcnow()))
    return True


def unassign(db: Session, patient_id: int, user_id: int) -> bool:
    """Take the user off the patient's care team (caller commits); False when not on it."""
    begin_write(db)
    get_patient(db, patient_id)
    result = db.execute(delete(patient_clinicians).where(patient_clinicians.c.patient_id == patient_id,
                                                         patient_clinicians.c.user_id == user_id))
    return bool(result.rowcount)


def session_counts(db: Session) -> dict[int, int]:
    """How many sessions each patient has (patients without any are absent)."""
    query = select(TherapySession.patient_id, func.count()).group_by(TherapySession.patient_id)
    return {patient_id: count for patient_id, count in db.execute(query).all()}


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


def list_sessions(db: Session, patient_id: int,
                  session_ids: Collection[int] | None = None) -> list[TherapySession]:
    """The patient's sessions (only those ids, when given), oldest first; 404 for an unknown patient."""
    get_patient(db, patient_id)
    query = select(TherapySession).where(TherapySession.patient_id == patient_id)
    if session_ids is not None:
        query = query.where(TherapySession.id.in_(set(session_ids)))
    return list(db.scalars(query.order_by(TherapySession.date, TherapySession.id)))


def parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise BadRequest(f"'{value}' is not a date; use YYYY-MM-DD.") from None


# --- summary cache ---------------------------------------------------------------------------
def cached_summaries(db: Session, keys: Iterable[str]) -> dict[str, SummaryCache]:
    """The cache rows for these keys, by key (keys not cached are absent)."""
    rows = db.scalars(select(SummaryCache).where(SummaryCache.cache_key.in_(list(keys))))
    return {row.cache_key: row for row in rows}


def save_summaries(db: Session, entries: Iterable[tuple[str, int, dict[str, Any]]], *, model: str,
                   prompt_version: str) -> None:
    """Insert or overwrite cache rows from (cache_key, session_id, result) entries (caller commits)."""
    entries = list(entries)
    begin_write(db)
    rows = cached_summaries(db, [key for key, _, _ in entries])
    for key, session_id, result in entries:
        row = rows.get(key)
        if row is None:
            row = rows[key] = SummaryCache(cache_key=key, session_id=session_id, model=model[:200],
                                           prompt_version=prompt_version, result=result)
            db.add(row)
        else:
            row.result = result


def latest_summaries(db: Session, session_ids: Iterable[int]) -> dict[int, SummaryCache]:
    """The newest cached summary of each session that has one (whatever model made it)."""
    ids = list(session_ids)
    if not ids:
        return {}
    rows = db.scalars(select(SummaryCache).where(SummaryCache.session_id.in_(ids)).order_by(SummaryCache.id))
    return {row.session_id: row for row in rows}                 # ordered by id: the newest one wins


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


def get_review_item(db: Session, item_id: int) -> ReviewItem:
    item = db.get(ReviewItem, item_id)
    if item is None:
        raise no_review_item(item_id)
    return item


def review_item_text(db: Session, item: ReviewItem) -> str:
    """The text a reviewer judges: the triaged message, or the session's note ("" when neither is kept)."""
    if isinstance(item.payload, dict) and isinstance(item.payload.get("text"), str):
        return item.payload["text"]
    session = db.get(TherapySession, item.session_id) if item.session_id is not None else None
    return session.text if session is not None else ""


def reviewed_items(db: Session) -> list[ReviewItem]:
    """Resolved items that carry a reviewer's severity (the practice's labeled feedback), by id."""
    query = select(ReviewItem).where(ReviewItem.status == "resolved", ReviewItem.clinician_severity.is_not(None))
    return list(db.scalars(query.order_by(ReviewItem.id)))


def no_review_item(item_id: int) -> NotFound:
    """The one answer for a review item that is absent or about a patient the caller may not see."""
    return NotFound(f"No review item with id {item_id}.")


def resolve_review_item(db: Session, item_id: int, *, by: str, note: str | None = None) -> ReviewItem:
    """Mark an open review item resolved (caller commits); 404 unknown, 409 already resolved."""
    begin_write(db)
    item = get_review_item(db, item_id)
    if item.status == "resolved":
        raise Conflict(f"Review item {item_id} was already resolved by {item.resolved_by}.")
    item.status, item.resolved_at, item.resolved_by, item.resolution = "resolved", utcnow(), by, note
    return item


# --- users -----------------------------------------------------------------------------------
def list_users(db: Session) -> list[User]:
    """Every API user, by id."""
    return list(db.scalars(select(User).order_by(User.id)))
