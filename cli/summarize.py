"""CLI `summarize`: per-session summaries and the progression of one patient (cached per session)."""
from __future__ import annotations

import html
import re
from typing import Any

import click

from backend.summarize.patient import summarize_patient
from backend.summarize.service import Summarizer
from cli.common import console, print_json
from cli.practice import actor, audited, demo_flag, practice_settings
from core.engine.registry import ModelRegistry


@click.command()
@click.argument("patient_id", type=int)
@click.option("--session", "session_ids", type=int, multiple=True, help="Only these session ids (repeatable).")
@click.option("--refresh", is_flag=True, help="Regenerate instead of reusing cached summaries.")
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON answer.")
@demo_flag
def summarize(patient_id: int, session_ids: tuple[int, ...], refresh: bool, as_json: bool, demo: bool) -> None:
    """Summarize PATIENT_ID's sessions with the therapy-assistant model (cached per session)."""
    summarizer = Summarizer(ModelRegistry(practice_settings(demo)))

    @audited("summarize")
    def run(db, patient_id: int) -> dict[str, Any]:
        return summarize_patient(db, summarizer.engine(), patient_id, actor=actor(), session_ids=list(session_ids) or None,
                                 refresh=refresh)

    result = run(patient_id=patient_id, demo=demo)
    if as_json:
        print_json(result)
        return
    _print_summary(result)


def _print_summary(result: dict[str, Any]) -> None:
    for s in result["sessions"]:
        console.print(f"Session {s['session_id']} ({s['date']}) risk={s['risk']}"
                      f"{' (cached)' if s['cached'] else ''}", style="bold", markup=False)
        console.print(_plain(s["summary_html"]), markup=False, highlight=False)
    console.print("\nProgression", style="bold")
    console.print(_plain(result["progression_html"]), markup=False, highlight=False)
    flag = "  NEEDS REVIEW" if result["needs_review"] else ""
    console.print(f"\nRisk: {result['risk']}{flag}  sessions covered: {result['sessions_covered']}",
                  style="red" if flag else None, markup=False)


def _plain(fragment: str) -> str:
    """A summary's HTML fragment as plain text."""
    return html.unescape(re.sub(r"</?b>", "", fragment.replace("<br>", "\n")))
