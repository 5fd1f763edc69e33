"""Into the review queue: crisis triage results (the message, the result, the resources), and session notes the
crisis floor reads as high or crisis as soon as they are written."""
from __future__ import annotations

from typing import Any, Optional

from sqlalchemy.orm import Session

from backend.store import queries
from backend.store.db import get_db, open_store
from backend.triage.models import TriageResult
from backend.triage.service import QueueWriter


def add_item(db: Session, result: TriageResult, text: str, patient_id: Optional[int] = None) -> int:
    """One review item for a crisis result; returns its id (commits `db`)."""
    return queries.add_review_item(db, kind="triage", severity=result.severity,
                                 reason="; ".join(result.review_reasons) or "crisis",
                                 payload={"text": text, "result": result.model_dump(mode="json")},
                                 patient_id=patient_id)


def add_note_item(db: Session, session: Any) -> Optional[int]:
    """Queue a just-written session note when the floor (without what the note itself denies) reads it as high
    or crisis; returns the item id, or None. No commit: it lands with the note."""
    from backend.safety.floor import evaluate
    from backend.summarize.evidence import ground_floor

    floor = evaluate(session.text)
    risk = ground_floor(session.text, floor).risk
    if risk not in ("high", "crisis"):
        return None
    flags = ", ".join(f.replace("_", " ") for f in sorted(set(floor.flags))) or "risk statements"
    reason = f"Session note of {session.date.isoformat()}: the safety floor reads {risk} ({flags})"
    if floor.review_reason:
        reason += f"; {floor.review_reason}"
    return queries.add_review_item(db, kind="session_note", severity=risk, commit=False, reason=reason,
                                   payload={"session_id": session.id, "floor_rules": floor.rules, "lane": floor.lane,
                                            "concern": floor.concern},
                                   patient_id=session.patient_id, session_id=session.id)


def request_writer(result: TriageResult, text: str, patient_id: Optional[int] = None) -> int:
    """The API's writer: the current request's database session."""
    return add_item(get_db(), result, text, patient_id)


def store_writer(settings: Any) -> QueueWriter:
    """A writer with a session of its own per item (the CLI, outside any request)."""
    def write(result: TriageResult, text: str, patient_id: Optional[int] = None) -> int:
        with open_store(settings).session() as db:
            return add_item(db, result, text, patient_id)
    return write
