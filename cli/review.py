"""CLI `review`: list and resolve the human review queue (crisis and high results)."""
from __future__ import annotations

import click

from backend.store import queries
from cli.common import print_table
from cli.practice import actor, audit_ok, audited, demo_flag


@click.group()
def review() -> None:
    """List and resolve the human review queue."""


@review.command("list")
@click.option("--status", type=click.Choice(["open", "resolved", "all"]), default="open", show_default=True)
@demo_flag
@audited("review.read")
def review_list(db, status: str) -> None:
    """List review items."""
    items = queries.list_review_items(db, status=None if status == "all" else status)
    audit_ok(db, "review.read", session_ids=[i.session_id for i in items if i.session_id],
             detail={"items": len(items)})
    print_table(f"Review queue ({status})", ["id", "kind", "severity", "patient", "session", "status", "reason"],
                [[i.id, i.kind, i.severity, i.patient_id, i.session_id, i.status, i.reason] for i in items])


@review.command("resolve")
@click.argument("item_id", type=int)
@click.option("--note", help="What was done (no clinical detail needed).")
@demo_flag
@audited("review.resolve")
def review_resolve(db, item_id: int, note: str | None) -> None:
    """Mark review item ITEM_ID resolved."""
    item = queries.resolve_review_item(db, item_id, by=actor(), note=note)
    audit_ok(db, "review.resolve", patient_id=item.patient_id,
             session_ids=[item.session_id] if item.session_id else [], detail={"item": item_id}, commit=False)
    db.commit()
    click.echo(f"Resolved review item {item_id}.")
