"""CLI `feedback`: the practice's own review judgements, exported de-identified in the triage dataset format."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from backend.safety.resources import load_fallback_texts
from backend.store import queries
from cli.common import load_settings
from cli.practice import audit_ok, db, demo_flag
from core.schemas import CONCERN_TYPES, RISK_FLAGS, TriageAssessment, consistency_problems


@click.group()
def feedback() -> None:
    """The practice's review judgements (a clinician's severity on each resolved review item)."""


@feedback.command("export")
@click.argument("out", required=False, type=click.Path(path_type=Path, dir_okay=False))
@demo_flag
def export(out: Path | None, demo: bool) -> None:
    """Write every reviewed item as a triage record (text de-identified, severity the clinician's) to OUT
    (default <home>/feedback/triage-feedback.jsonl), ready for `main.py data import OUT`."""
    from training_data.deid.engine import scrub

    out = out or load_settings().home / "feedback" / "triage-feedback.jsonl"
    with db(demo) as session:
        items = [(i, queries.review_item_text(session, i)) for i in queries.reviewed_items(session)]
        records = [record(item, scrub(text)) for item, text in items if text.strip()]
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(out.name + ".part")
        tmp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        tmp.replace(out)
        audit_ok(session, "feedback.export", detail={"records": len(records), "skipped": len(items) - len(records)})
    agreed = sum(r["agreed"] for r in records)
    click.echo(f"Wrote {len(records)} reviewed records ({agreed} agreeing with the queue, "
               f"{len(records) - agreed} corrected) to {out}")
    click.echo(f"  next: main.py data import {out} --name practice-feedback")


def record(item: Any, text: str) -> dict[str, Any]:
    """One triage dataset row: the clinician's severity; the rest from the triage result when the item has one,
    else from the floor's reading and the fixed fallback texts (always a valid, consistent label)."""
    severity = item.clinician_severity
    result = (item.payload or {}).get("result") or {}
    fallback = load_fallback_texts()
    concern = result.get("concern_type") or (item.payload or {}).get("concern")
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
