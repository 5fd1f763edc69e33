"""CLI `users`: API users and their tokens (roles: admin, clinician, service)."""
from __future__ import annotations

from typing import Callable

import click

from backend import auth
from backend.store import queries
from backend.store.db import begin_write
from cli.common import print_table
from cli.practice import audit_ok, db, demo_flag
from core.errors import BadRequest


@click.group()
def users() -> None:
    """Manage API users and their tokens (roles: admin, clinician, service)."""


def _on_user(command: str) -> Callable:
    """A `users COMMAND NAME [--demo]` subcommand."""
    def wrap(fn: Callable) -> click.Command:
        return users.command(command)(click.argument("name")(demo_flag(fn)))
    return wrap


@users.command("add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(["admin", "clinician", "service"]))
@demo_flag
def users_add(name: str, role: str, demo: bool) -> None:
    """Create user NAME and print their token (shown only this once)."""
    with db(demo) as session:
        user, token = auth.create_user(session, name, role)
        audit_ok(session, "user.create", detail={"user": name, "role": role})
    click.echo(f"Created {role} '{user.name}'. Token (shown once, store it safely):\n{token}")


@_on_user("token")
def users_token(name: str, demo: bool) -> None:
    """Issue an additional token for NAME (printed once); a revoked user needs `users reactivate` first."""
    with db(demo) as session:
        user = auth.find_user(session, name)
        if not user.active:
            raise BadRequest(f"User '{name}' is deactivated; a new token would not work.",
                             hint=f"run `main.py users reactivate {name}` first, if that is intended")
        token = auth.issue_token(session, user)
        audit_ok(session, "user.token", detail={"user": name})
    click.echo(token)


@_on_user("reactivate")
def users_reactivate(name: str, demo: bool) -> None:
    """Let a deactivated user sign in again (their revoked tokens stay revoked: issue one with `users token`)."""
    with db(demo) as session:
        user = auth.find_user(session, name)
        begin_write(session)
        user.active = True
        audit_ok(session, "user.reactivate", detail={"user": name})
    click.echo(f"Reactivated '{name}'.")


@users.command("list")
@demo_flag
def users_list(demo: bool) -> None:
    """List users, roles and live tokens."""
    with db(demo) as session:
        rows = [[u.id, u.name, u.role, "yes" if u.active else "no",
                 sum(1 for t in u.tokens if t.revoked_at is None),
                 max((t.last_used_at for t in u.tokens if t.last_used_at), default=None)]
                for u in queries.list_users(session)]
    print_table("Users", ["id", "name", "role", "active", "live tokens", "last used"], rows)


@_on_user("revoke")
def users_revoke(name: str, demo: bool) -> None:
    """Revoke all of NAME's tokens and deactivate the user."""
    with db(demo) as session:
        count = auth.revoke(session, name)
        audit_ok(session, "user.revoke", detail={"user": name, "tokens": count})
    click.echo(f"Revoked {count} token(s) of '{name}'.")
