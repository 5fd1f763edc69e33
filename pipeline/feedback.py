"""The practice's review judgements as triage data: de-identified records, and a fixed train/held-out split
(the build trains on one share and the gate also evaluates on the other)."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from backend.safety.resources import load_fallback_texts
from backend.store import open_store, queries
from core.schemas import CONCERN_TYPES, RISK_FLAGS, TriageAssessment, consistency_problems
from core.settings import Settings

HOLDOUT_SHARE = 0.3           # of the reviewed items, by a hash of the item id (an item never changes side)
MIN_HOLDOUT = 10              # fewer held-out reviews than this are too few for the gate to weigh


@dataclass
class Split:
    train: Path
    test: Path
    n_train: int
    n_test: int


def records(settings: Settings) -> tuple[list[dict[str, Any]], int]:
    """(one de-identified triage record per reviewed item with text, how many had no text to export)."""
    from training_data.deid.engine import scrub

    with open_store(settings).session() as db:
        items = [(i, queries.review_item_text(db, i)) for i in queries.reviewed_items(db)]
    out = [record(item, scrub(text)) for item, text in items if text.strip()]
    return out, len(items) - len(out)


def record(item: Any, text: str) -> dict[str, Any]:
    """One triage dataset row: the clinician's severity; the rest from the triage result when the item has one,
    else from the floor's reading and the fixed fallback texts (always a valid, consistent label)."""
    severity = item.clinician_severity
    payload = item.payload or {}
    result = payload.get("result") or {}
    fallback = load_fallback_texts()
    concern = result.get("concern_type") or payload.get("concern")
    action = result.get("recommended_action")
    if not action or consistency_problems(severity, action):
        action = fallback.default_action[severity]
    label = TriageAssessment(
        concern_type=concern if concern in CONCERN_TYPES else "general_distress",
        risk_flags=[f for f in result.get("risk_flags", []) if f in RISK_FLAGS][:6],
        severity=severity, recommended_action=action,
        empathetic_opening=result.get("empathetic_opening") or fallback.empathetic_opening[severity],
        follow_up_question=result.get("follow_up_question") or fallback.follow_up_question[severity])
    return {"id": f"review-{item.id}", "text": text, **label.model_dump(), "source": f"practice-review:{item.kind}",
            "agreed": severity == item.severity}


def held_out(record_id: str) -> bool:
    return int(hashlib.sha256(record_id.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF < HOLDOUT_SHARE


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    """Write rows atomically (a reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    tmp.replace(path)


def write_split(settings: Settings) -> Split | None:
    """The practice's reviews split into <home>/data/feedback/{train,test}.jsonl; None when there are none
    (only the held-out file is written when every review falls on that side)."""
    rows, _ = records(settings)
    if not rows:
        return None
    folder = settings.data_dir / "feedback"
    test = [r for r in rows if held_out(r["id"])]
    train = [r for r in rows if not held_out(r["id"])]
    write_jsonl(folder / "train.jsonl", train)
    write_jsonl(folder / "test.jsonl", test)
    return Split(folder / "train.jsonl", folder / "test.jsonl", len(train), len(test))
