"""CLI `sessions`: store and list a patient's session notes or transcripts."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from backend.store import queries
from cli.common import print_table
from cli.practice import actor, audit_ok, audited, demo_flag
from core.errors import BadRequest


@click.group()
def sessions() -> None:
    """Add and list a patient's session notes or transcripts."""


@sessions.command("add")
@click.argument("patient_id", type=int)
@click.option("--file", "file_", required=True, type=click.Path(dir_okay=False, allow_dash=True),
              help="Text file with the notes or transcript ('-' reads stdin).")
@click.option("--date", "date_", required=True, help="Session date, YYYY-MM-DD.")
@click.option("--kind", type=click.Choice(["notes", "transcript"]), default="notes", show_default=True)
@click.option("--author", help="Who wrote the notes (default: your login).")
@demo_flag
@audited("session.create")
def sessions_add(db, patient_id: int, file_: str, date_: str, kind: str, author: str | None) -> None:
    """Store one session for PATIENT_ID from a UTF-8 text file."""
    try:
        text = sys.stdin.read() if file_ == "-" else Path(file_).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadRequest(f"Cannot read {file_}: {exc}") from None
    session = queries.add_session(db, patient_id, date_=queries.parse_date(date_), text=text, kind=kind,
                                author=author or actor())
    audit_ok(db, "session.create", patient_id=patient_id, session_ids=[session.id], commit=False)
    db.commit()
    click.echo(f"Added session {session.id} ({kind}, {date_}) for patient {patient_id}")


@sessions.command("list")
@click.argument("patient_id", type=int)
@click.option("--text", "show_text", is_flag=True, help="Print each session's full text.")
@demo_flag
@audited("session.read")
def sessions_list(db, patient_id: int, show_text: bool) -> None:
    """List PATIENT_ID's sessions, oldest first."""
    rows = queries.list_sessions(db, patient_id)
    audit_ok(db, "session.read", patient_id=patient_id, session_ids=[s.id for s in rows])
    print_table(f"Sessions of patient {patient_id}", ["id", "date", "kind", "author", "chars"],
                [[s.id, s.date, s.kind, s.author, len(s.text)] for s in rows])
    for s in rows if show_text else []:
        click.echo(f"\n--- session {s.id} ({s.date}) ---\n{s.text}")
