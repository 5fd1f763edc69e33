"""CLI `feedback`: the practice's own review judgements, exported de-identified in the triage dataset format."""
from __future__ import annotations

from pathlib import Path

import click

from cli.practice import audit_ok, db, demo_flag, practice_settings
from pipeline import feedback as practice_feedback


@click.group()
def feedback() -> None:
    """The practice's review judgements (a clinician's severity on each resolved review item)."""


@feedback.command("export")
@click.argument("out", required=False, type=click.Path(path_type=Path, dir_okay=False))
@demo_flag
def export(out: Path | None, demo: bool) -> None:
    """Write every reviewed item as a triage record (text de-identified, severity the clinician's) to OUT
    (default <home>/feedback/triage-feedback.jsonl), ready for `main.py data import OUT`. `build` uses the
    same records by itself: it trains on a fixed share and the gate evaluates on the rest."""
    settings = practice_settings(demo)
    out = out or settings.home / "feedback" / "triage-feedback.jsonl"
    records, skipped = practice_feedback.records(settings)
    practice_feedback.write_jsonl(out, records)
    with db(demo) as session:
        audit_ok(session, "feedback.export", detail={"records": len(records), "skipped": skipped})
    agreed = sum(r["agreed"] for r in records)
    click.echo(f"Wrote {len(records)} reviewed records ({agreed} agreeing with the queue, "
               f"{len(records) - agreed} corrected) to {out}")
    click.echo(f"  next: main.py data import {out} --name practice-feedback")
