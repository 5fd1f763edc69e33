"""CLI: patients, sessions, summarize, users, audit, review and demo (the practice database's commands)."""
from __future__ import annotations

import getpass
import json
import sys
from functools import wraps
from pathlib import Path
from typing import Any, Callable

import click

from core.settings import Settings

demo_flag = click.option("--demo", is_flag=True, help="Use the fictional demo database (<home>/demo.db).")


def _settings(demo: bool) -> Settings:
    settings = Settings.from_env()
    if demo:
        from backend.demo import demo_settings

        return demo_settings(settings)
    return settings


def _db(demo: bool):
    from backend.store import open_store

    return open_store(_settings(demo)).session()


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # no login name (containers)
        return "cli"


def _console():
    from rich.console import Console

    return Console()


def _audited(action: str) -> Callable:
    """Run a CLI command body with a db; a ToolkitError rolls back and is audited with its code."""
    def wrap(fn: Callable) -> Callable:
        @wraps(fn)
        def run(*args: Any, demo: bool = False, **kwargs: Any) -> Any:
            from backend import audit
            from core.errors import ToolkitError

            with _db(demo) as db:
                try:
                    return fn(db, *args, **kwargs)
                except ToolkitError as exc:
                    db.rollback()
                    audit.record(db, actor=_actor(), action=action, outcome=exc.code,
                                 patient_id=kwargs.get("patient_id"))
                    raise
        return run
    return wrap


def _table(title: str, columns: list[str], rows: list[list[Any]]) -> None:
    from rich.table import Table

    table = Table(title=title)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    _console().print(table)


# --- patients ----------------------------------------------------------------------------------
@click.group()
def patients() -> None:
    """Add, list and show patients."""


@patients.command("add")
@click.argument("name")
@click.option("--ref", "external_ref", help="Your own record number (optional).")
@demo_flag
@_audited("patient.create")
def patients_add(db, name: str, external_ref: str | None) -> None:
    """Add a patient called NAME; prints its id."""
    from backend import audit, store

    patient = store.create_patient(db, name, external_ref)
    audit.record(db, actor=_actor(), action="patient.create", outcome="ok", patient_id=patient.id, commit=False)
    db.commit()
    click.echo(f"Added patient {patient.id}: {patient.display_name}")


@patients.command("list")
@demo_flag
@_audited("patient.list")
def patients_list(db) -> None:
    """List patients with their session counts."""
    from sqlalchemy import func, select

    from backend import audit
    from backend.store import Patient, TherapySession

    counts = dict(db.execute(select(TherapySession.patient_id, func.count()).group_by(TherapySession.patient_id)).all())
    rows = list(db.scalars(select(Patient).order_by(Patient.id)))
    audit.record(db, actor=_actor(), action="patient.list", outcome="ok", detail={"patients": len(rows)})
    _table("Patients", ["id", "name", "ref", "sessions"],
           [[p.id, p.display_name, p.external_ref, counts.get(p.id, 0)] for p in rows])


# --- sessions ------------------------------------------------------------------------------------
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
@_audited("session.create")
def sessions_add(db, patient_id: int, file_: str, date_: str, kind: str, author: str | None) -> None:
    """Store one session for PATIENT_ID from a UTF-8 text file."""
    from backend import audit, store
    from core.errors import BadRequest

    try:
        text = sys.stdin.read() if file_ == "-" else Path(file_).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadRequest(f"Cannot read {file_}: {exc}") from None
    session = store.add_session(db, patient_id, date_=store.parse_date(date_), text=text, kind=kind,
                                author=author or _actor())
    audit.record(db, actor=_actor(), action="session.create", outcome="ok", patient_id=patient_id,
                 session_ids=[session.id], commit=False)
    db.commit()
    click.echo(f"Added session {session.id} ({kind}, {date_}) for patient {patient_id}")


@sessions.command("list")
@click.argument("patient_id", type=int)
@click.option("--text", "show_text", is_flag=True, help="Print each session's full text.")
@demo_flag
@_audited("session.read")
def sessions_list(db, patient_id: int, show_text: bool) -> None:
    """List PATIENT_ID's sessions, oldest first."""
    from backend import audit, store

    rows = store.list_sessions(db, patient_id)
    audit.record(db, actor=_actor(), action="session.read", outcome="ok", patient_id=patient_id,
                 session_ids=[s.id for s in rows])
    _table(f"Sessions of patient {patient_id}", ["id", "date", "kind", "author", "chars"],
           [[s.id, s.date, s.kind, s.author, len(s.text)] for s in rows])
    for s in rows if show_text else []:
        click.echo(f"\n--- session {s.id} ({s.date}) ---\n{s.text}")


# --- summarize -----------------------------------------------------------------------------------
@click.command()
@click.argument("patient_id", type=int)
@click.option("--session", "session_ids", type=int, multiple=True, help="Only these session ids (repeatable).")
@click.option("--refresh", is_flag=True, help="Regenerate instead of reusing cached summaries.")
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON answer.")
@demo_flag
def summarize(patient_id: int, session_ids: tuple[int, ...], refresh: bool, as_json: bool, demo: bool) -> None:
    """Summarize PATIENT_ID's sessions with the therapy-assistant model (cached per session)."""
    from backend.summarize.patient import summarize_patient
    from core.engine.registry import ModelRegistry

    settings = _settings(demo)

    @_audited("summarize")
    def run(db, patient_id: int) -> dict[str, Any]:
        engine = ModelRegistry(settings).get("therapy-assistant")
        return summarize_patient(db, engine, patient_id, actor=_actor(), session_ids=list(session_ids) or None,
                                 refresh=refresh)

    result = run(patient_id=patient_id, demo=demo)
    if as_json:
        click.echo(json.dumps(result, indent=2))
        return
    _print_summary(result)


def _print_summary(result: dict[str, Any]) -> None:
    console = _console()
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
    import html
    import re

    return html.unescape(re.sub(r"</?b>", "", fragment.replace("<br>", "\n")))


# --- users ---------------------------------------------------------------------------------------
@click.group()
def users() -> None:
    """Manage API users and their tokens (roles: admin, clinician, service)."""


@users.command("add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(["admin", "clinician", "service"]))
@demo_flag
def users_add(name: str, role: str, demo: bool) -> None:
    """Create user NAME and print their token (shown only this once)."""
    from backend import audit, auth

    with _db(demo) as db:
        user, token = auth.create_user(db, name, role)
        audit.record(db, actor=_actor(), action="user.create", outcome="ok", detail={"user": name, "role": role})
    click.echo(f"Created {role} '{user.name}'. Token (shown once, store it safely):\n{token}")


@users.command("token")
@click.argument("name")
@demo_flag
def users_token(name: str, demo: bool) -> None:
    """Issue an additional token for NAME (printed once)."""
    from backend import audit, auth

    with _db(demo) as db:
        user = auth.find_user(db, name)
        token = auth.issue_token(db, user)
        user.active = True
        audit.record(db, actor=_actor(), action="user.token", outcome="ok", detail={"user": name})
    click.echo(token)


@users.command("list")
@demo_flag
def users_list(demo: bool) -> None:
    """List users, roles and live tokens."""
    from sqlalchemy import select

    from backend.store import User

    with _db(demo) as db:
        rows = [[u.id, u.name, u.role, "yes" if u.active else "no",
                 sum(1 for t in u.tokens if t.revoked_at is None),
                 max((t.last_used_at for t in u.tokens if t.last_used_at), default=None)]
                for u in db.scalars(select(User).order_by(User.id))]
    _table("Users", ["id", "name", "role", "active", "live tokens", "last used"], rows)


@users.command("revoke")
@click.argument("name")
@demo_flag
def users_revoke(name: str, demo: bool) -> None:
    """Revoke all of NAME's tokens and deactivate the user."""
    from backend import audit, auth

    with _db(demo) as db:
        count = auth.revoke(db, name)
        audit.record(db, actor=_actor(), action="user.revoke", outcome="ok", detail={"user": name, "tokens": count})
    click.echo(f"Revoked {count} token(s) of '{name}'.")


# --- audit ---------------------------------------------------------------------------------------
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
    from backend import audit as trail

    with _db(demo) as db:
        rows = [trail.as_dict(r) for r in trail.rows(db, limit=limit, patient_id=patient_id, actor=actor)]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    _table("Audit trail", ["id", "at", "actor", "action", "outcome", "patient", "sessions"],
           [[r["id"], r["at"][:19], r["actor"], r["action"], r["outcome"], r["patient_id"],
             ",".join(map(str, r["session_ids"]))] for r in rows])


@audit.command("verify")
@demo_flag
def audit_verify(demo: bool) -> None:
    """Recompute the hash chain; exit 1 if any row was edited, deleted or reordered."""
    from backend import audit as trail
    from core.errors import ToolkitError

    with _db(demo) as db:
        result = trail.verify(db)
    if result.ok:
        click.echo(f"OK: {result.rows} audit rows, chain intact. Head: {result.head}")
        return
    for problem in result.problems[:50]:
        click.echo(f"  {problem}", err=True)
    raise ToolkitError(f"TAMPERED: {len(result.problems)} problem(s) in {result.rows} audit rows.",
                       hint="restore the database from a backup and investigate who changed it")


# --- review queue --------------------------------------------------------------------------------
@click.group()
def review() -> None:
    """List and resolve the human review queue."""


@review.command("list")
@click.option("--status", type=click.Choice(["open", "resolved", "all"]), default="open", show_default=True)
@demo_flag
@_audited("review.read")
def review_list(db, status: str) -> None:
    """List review items."""
    from backend import audit as trail
    from backend import store

    items = store.list_review_items(db, status=None if status == "all" else status)
    trail.record(db, actor=_actor(), action="review.read", outcome="ok",
                 session_ids=[i.session_id for i in items if i.session_id], detail={"items": len(items)})
    _table(f"Review queue ({status})", ["id", "kind", "severity", "patient", "session", "status", "reason"],
           [[i.id, i.kind, i.severity, i.patient_id, i.session_id, i.status, i.reason] for i in items])


@review.command("resolve")
@click.argument("item_id", type=int)
@click.option("--note", help="What was done (no clinical detail needed).")
@demo_flag
@_audited("review.resolve")
def review_resolve(db, item_id: int, note: str | None) -> None:
    """Mark review item ITEM_ID resolved."""
    from backend import audit as trail
    from backend import store

    item = store.resolve_review_item(db, item_id, by=_actor(), note=note)
    trail.record(db, actor=_actor(), action="review.resolve", outcome="ok", patient_id=item.patient_id,
                 session_ids=[item.session_id] if item.session_id else [], detail={"item": item_id}, commit=False)
    db.commit()
    click.echo(f"Resolved review item {item_id}.")


# --- demo ----------------------------------------------------------------------------------------
@click.command()
@click.option("--token-only", is_flag=True, help="Print only a fresh clinician token (for $(...)).")
def demo(token_only: bool) -> None:
    """Create the fictional demo practice in <home>/demo.db and print fresh demo tokens."""
    from backend.demo import demo_banner, prepare_demo

    info = prepare_demo(Settings.from_env())
    if token_only:
        click.echo(info.tokens["demo-clinician"])
        return
    click.echo(demo_banner(info))

