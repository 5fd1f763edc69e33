"""The audit trail: who did what to which patient/sessions, with what outcome, in a hash-chained table."""
from __future__ import annotations

import hashlib
import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Iterable, Iterator

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from backend.store.db import begin_write
from backend.store.models import AuditRow
from core.errors import ToolkitError

GENESIS = "0" * 64
DETAIL_MAX_CHARS = 1000
_SCALARS = (str, int, float, bool, type(None))


def canonical(row: AuditRow) -> str:
    """The row's content as hashed: fixed keys, sorted, compact (the id is not part of it)."""
    return json.dumps({"at": row.at, "actor": row.actor, "action": row.action, "outcome": row.outcome,
                       "patient_id": row.patient_id, "session_ids": row.session_ids, "detail": row.detail},
                      sort_keys=True, separators=(",", ":"))


def chain_hash(prev_hash: str, content: str) -> str:
    return hashlib.sha256(f"{prev_hash}\n{content}".encode()).hexdigest()


def record(db: Session, *, actor: str, action: str, outcome: str, patient_id: int | None = None,
           session_ids: Iterable[int] = (), detail: dict[str, Any] | None = None, commit: bool = True) -> int:
    """Append one audit row (ids, names and small codes only: NEVER clinical text). Returns its id.

    The row joins `db`'s write transaction (so it commits together with the work it describes) and is
    committed here unless commit=False. A write transaction holds the lock from its start, so two
    writers cannot read the same chain head (and prev_hash is unique: a chain cannot fork).
    """
    detail_json = _detail_json(detail or {})
    begin_write(db)
    prev = db.scalar(select(AuditRow.hash).order_by(AuditRow.id.desc()).limit(1)) or GENESIS
    row = AuditRow(at=datetime.now(timezone.utc).isoformat(timespec="microseconds"), actor=str(actor)[:80],
                   action=str(action)[:80], outcome=str(outcome)[:32],
                   patient_id=int(patient_id) if patient_id is not None else None,
                   session_ids=json.dumps(sorted({int(s) for s in session_ids})), detail=detail_json,
                   prev_hash=prev, hash="")
    row.hash = chain_hash(prev, canonical(row))
    db.add(row)
    db.flush()
    if commit:
        db.commit()
    return row.id


@dataclass
class Access:
    """One audited access in progress: its session, and what the success row will say."""

    db: Session
    patient_id: int | None = None
    session_ids: list[int] = field(default_factory=list)
    detail: dict[str, Any] = field(default_factory=dict)


@contextmanager
def audited(db: Session, action: str, *, actor: str, patient_id: int | None = None,
            record_ok: bool = True) -> Iterator[Access]:
    """Run one access to the practice data in `db`, audited and committed once either way.

    On success the body's work and an "ok" row (patient_id, session_ids and detail as the body left them
    on the Access) commit together; with record_ok=False the body writes its own success row. On a
    ToolkitError all the body's work is rolled back, a row with the error's code (and the patient_id
    given here) is committed, and the error re-raised. Other errors propagate without an audit row.
    """
    access = Access(db, patient_id)
    try:
        yield access
    except ToolkitError as exc:
        db.rollback()
        record(db, actor=actor, action=action, outcome=exc.code, patient_id=patient_id)
        raise
    if record_ok:
        record(db, actor=actor, action=action, outcome="ok", patient_id=access.patient_id,
               session_ids=access.session_ids, detail=access.detail, commit=False)
    db.commit()


def _detail_json(detail: dict[str, Any]) -> str:
    bad = [k for k, v in detail.items() if not isinstance(v, _SCALARS) and not _is_id_list(v)]
    if bad:
        raise ValueError(f"audit detail values must be scalars or id lists (got {bad})")
    out = json.dumps(detail, sort_keys=True, separators=(",", ":"))
    if len(out) > DETAIL_MAX_CHARS:
        raise ValueError("audit detail is too long; audit rows hold ids and codes, never text")
    return out


def _is_id_list(value: Any) -> bool:
    return isinstance(value, (list, tuple)) and all(isinstance(v, int) for v in value)


@dataclass
class Verification:
    ok: bool
    rows: int
    head: str
    problems: list[str] = field(default_factory=list)


def verify(db: Session) -> Verification:
    """Recompute the chain: any edited, deleted, inserted or reordered row shows up as a problem."""
    problems: list[str] = []
    prev, prev_id, count = GENESIS, 0, 0
    for row in db.scalars(select(AuditRow).order_by(AuditRow.id)):
        count += 1
        if row.id != prev_id + 1 and _is_sqlite(db):
            problems.append(f"row {row.id}: ids jump from {prev_id} (rows {prev_id + 1}..{row.id - 1} deleted)")
        if row.prev_hash != prev:
            problems.append(f"row {row.id}: does not follow the previous row (deleted or reordered rows)")
        if chain_hash(row.prev_hash, canonical(row)) != row.hash:
            problems.append(f"row {row.id}: content does not match its hash (edited)")
        prev, prev_id = row.hash, row.id
    problems += _tail_problems(db, prev_id)
    return Verification(ok=not problems, rows=count, head=prev, problems=problems)


def _is_sqlite(db: Session) -> bool:
    return db.get_bind().dialect.name == "sqlite"


def _tail_problems(db: Session, last_id: int) -> list[str]:
    """SQLite AUTOINCREMENT remembers the highest id ever used: rows deleted from the end show here."""
    if not _is_sqlite(db):
        return []
    seq = db.execute(text("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'")).scalar()
    if seq is not None and seq > last_id:
        return [f"rows {last_id + 1}..{seq} were deleted from the end of the log"]
    return []


def rows(db: Session, *, limit: int = 50, patient_id: int | None = None, actor: str | None = None) -> list[AuditRow]:
    """The newest `limit` rows (optionally for one patient or actor), oldest first."""
    query = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)
    if patient_id is not None:
        query = query.where(AuditRow.patient_id == patient_id)
    if actor:
        query = query.where(AuditRow.actor == actor)
    return list(reversed(list(db.scalars(query))))


def as_dict(row: AuditRow) -> dict[str, Any]:
    return {"id": row.id, "at": row.at, "actor": row.actor, "action": row.action, "outcome": row.outcome,
            "patient_id": row.patient_id, "session_ids": json.loads(row.session_ids),
            "detail": json.loads(row.detail), "hash": row.hash}
