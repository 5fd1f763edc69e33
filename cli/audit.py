"""CLI `audit`: show and verify the hash-chained audit trail."""
from __future__ import annotations

import click

from backend import audit as trail
from backend import denials
from cli.common import print_json, print_table
from cli.practice import db, demo_flag, practice_settings
from core.errors import ToolkitError


@click.group()
def audit() -> None:
    """Show and verify the hash-chained audit trail."""


@audit.command("show")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 100000))
@click.option("--patient", "patient_id", type=int, help="Only rows about this patient.")
@click.option("--actor", help="Only rows by this user.")
@click.option("--json", "as_json", is_flag=True)
@demo_flag
def audit_show(limit: int, patient_id: int | None, actor: str | None, as_json: bool, demo: bool) -> None:
    """List the newest audit rows (oldest first)."""
    with db(demo) as session:
        denials.flush(session, window_s=practice_settings(demo).denial_window_s)
        rows = [trail.as_dict(r) for r in trail.rows(session, limit=limit, patient_id=patient_id, actor=actor)]
    if as_json:
        print_json(rows)
        return
    print_table("Audit trail", ["id", "at", "actor", "action", "outcome", "patient", "sessions"],
                [[r["id"], r["at"][:19], r["actor"], r["action"], r["outcome"], r["patient_id"],
                  ",".join(map(str, r["session_ids"]))] for r in rows])


@audit.command("verify")
@demo_flag
def audit_verify(demo: bool) -> None:
    """Recompute the hash chain; exit 1 if any row was edited, deleted or reordered."""
    with db(demo) as session:
        denials.flush(session, window_s=practice_settings(demo).denial_window_s)
        result = trail.verify(session)
    if result.ok:
        click.echo(f"OK: {result.rows} audit rows, chain intact. Head: {result.head}")
        return
    for problem in result.problems[:50]:
        click.echo(f"  {problem}", err=True)
    raise ToolkitError(f"TAMPERED: {len(result.problems)} problem(s) in {result.rows} audit rows.",
                       hint="restore the database from a backup and investigate who changed it")
