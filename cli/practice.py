"""What the practice database's commands share: --demo, a db session, the CLI's actor, audited bodies."""
from __future__ import annotations

import getpass
from functools import wraps
from typing import Any, Callable

import click

from backend import audit
from backend.demo import demo_settings
from backend.store import open_store
from cli.common import load_settings
from core.settings import Settings

demo_flag = click.option("--demo", is_flag=True, help="Use the fictional demo database (<home>/demo.db).")


def practice_settings(demo: bool) -> Settings:
    """The environment's settings, or the demo practice's when `demo`."""
    return demo_settings(load_settings()) if demo else load_settings()


def db(demo: bool):
    """A session on the practice (or demo) database, as a context manager."""
    return open_store(practice_settings(demo)).session()


def actor() -> str:
    """Who the audit trail names for this command: the login, as `cli:<name>`."""
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # no login name (containers)
        return "cli"


def audit_ok(db, action: str, **fields: Any) -> None:
    """Record a successful `action` by this command's actor (ids and counts only, never clinical text)."""
    audit.record(db, actor=actor(), action=action, outcome="ok", **fields)


def audited(action: str) -> Callable:
    """Run a CLI command body with a db; a ToolkitError rolls back and is audited with its code."""
    def wrap(fn: Callable) -> Callable:
        @wraps(fn)
        def run(*args: Any, demo: bool = False, **kwargs: Any) -> Any:
            with db(demo) as session, audit.audited(session, action, actor=actor(),
                                                    patient_id=kwargs.get("patient_id"), record_ok=False):
                return fn(session, *args, **kwargs)
        return run
    return wrap


def audit_model_change(action: str, **detail: str) -> None:
    """Record a model promotion or rollback in the practice's audit trail (names and versions only)."""
    with db(False) as session:
        audit.record(session, actor=actor(), action=action, outcome="ok", detail=detail)
