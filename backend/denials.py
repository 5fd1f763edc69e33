"""Unauthenticated denials, counted: one audit row per source address per window, so a flood cannot grow the trail."""
from __future__ import annotations

import time
from datetime import datetime, timezone

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from backend import audit
from backend.store.db import begin_write
from backend.store.models import DenialCount

ACTION = "auth.denied"
OUTCOME = "unauthenticated"


def count(db: Session, source: str, *, window_s: int, now: float | None = None) -> None:
    """Count one unauthenticated request from `source` in the current window, and turn every closed window
    into its audit row. Commits. Nothing of the request but its source address is kept."""
    now = time.time() if now is None else now
    start = int(now // window_s * window_s)
    begin_write(db)
    _increment(db, (source or "unknown")[:64], start)
    flush(db, window_s=window_s, now=now, commit=False)
    db.commit()


def _increment(db: Session, source: str, start: int) -> None:
    """count += 1 for (source, window), as one upsert where the database has one (concurrent first hits)."""
    dialect = db.get_bind().dialect.name
    if dialect in ("sqlite", "postgresql"):
        insert = (sqlite if dialect == "sqlite" else postgresql).insert
        statement = insert(DenialCount).values(source=source, window_start=start, count=1)
        db.execute(statement.on_conflict_do_update(index_elements=["source", "window_start"],
                                                   set_={"count": DenialCount.count + 1}))
        return
    row = db.get(DenialCount, (source, start))
    if row is None:
        db.add(DenialCount(source=source, window_start=start, count=1))
    else:
        row.count += 1


def flush(db: Session, *, window_s: int, now: float | None = None, commit: bool = True) -> int:
    """Write one audit row per closed (source, window) with its count and forget the counter; returns how
    many rows were written. `audit show` and `audit verify` call this first, so no count waits unseen."""
    now = time.time() if now is None else now
    begin_write(db)
    closed = list(db.scalars(select(DenialCount).where(DenialCount.window_start + window_s <= now)
                             .order_by(DenialCount.window_start, DenialCount.source)
                             .with_for_update(skip_locked=True)))
    for row in closed:
        audit.record(db, actor="anonymous", action=ACTION, outcome=OUTCOME, commit=False,
                     detail={"source": row.source, "window_start": _iso(row.window_start), "window_s": window_s,
                             "count": row.count})
        db.execute(delete(DenialCount).where(DenialCount.source == row.source,
                                             DenialCount.window_start == row.window_start))
    if commit:
        db.commit()
    return len(closed)


def pending(db: Session) -> int:
    """Denials counted in windows not yet written to the audit trail."""
    return sum(db.scalars(select(DenialCount.count)))


def _iso(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).isoformat()
