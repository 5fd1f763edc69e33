"""Crisis triage results into the review queue, with the message, the result and the fixed resources."""
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


def request_writer(result: TriageResult, text: str, patient_id: Optional[int] = None) -> int:
    """The API's writer: the current request's database session."""
    return add_item(get_db(), result, text, patient_id)


def store_writer(settings: Any) -> QueueWriter:
    """A writer with a session of its own per item (the CLI, outside any request)."""
    def write(result: TriageResult, text: str, patient_id: Optional[int] = None) -> int:
        with open_store(settings).session() as db:
            return add_item(db, result, text, patient_id)
    return write
