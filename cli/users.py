"""CLI `users`: API users and their tokens (roles: admin, clinician, service)."""
from __future__ import annotations

from typing import Callable

import click

from backend import auth
from backend.store import queries
from backend.store.db import begin_write
from cli.common import load_settings, print_table
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


days_option = click.option("--days", type=click.IntRange(1, 3650),
                           help="Days until the token expires (default THERAPY_TOKEN_DAYS, 90).")


@users.command("add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(["admin", "clinician", "service"]))
@days_option
@demo_flag
def users_add(name: str, role: str, days: int | None, demo: bool) -> None:
    """Create user NAME and print their token (shown only this once)."""
    with db(demo) as session:
        user, token = auth.create_user(session, name, role, days or load_settings().token_days)
        audit_ok(session, "user.create", detail={"user": name, "role": role})
    click.echo(f"Created {role} '{user.name}'. Token (shown once, store it safely):\n{token}")


@days_option
@_on_user("token")
def users_token(name: str, days: int | None, demo: bool) -> None:
    """Issue an additional token for NAME (printed once); a revoked user needs `users reactivate` first."""
    with db(demo) as session:
        user = auth.find_user(session, name)
        if not user.active:
            raise BadRequest(f"User '{name}' is deactivated; a new token would not work.",
                             hint=f"run `main.py users reactivate {name}` first, if that is intended")
        token = auth.issue_token(session, user, days or load_settings().token_days)
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


@click.option("--password-stdin", is_flag=True, help="Read the password from standard input (one line).")
@_on_user("passwd")
def users_passwd(name: str, password_stdin: bool, demo: bool) -> None:
    """Set NAME's password for the clinician page (argon2id; signs their browsers out). Prompts twice."""
    from backend.web import signin

    if password_stdin:
        password = click.get_text_stream("stdin").readline().rstrip("\r\n")
    else:
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    with db(demo) as session:
        signin.set_password(session, name, password)
        audit_ok(session, "user.password", detail={"user": name})
    click.echo(f"Password set for '{name}'; they sign in at http://127.0.0.1:8002/.")


@users.command("list")
@demo_flag
def users_list(demo: bool) -> None:
    """List users, roles, live (unexpired) tokens, when a token was last used and when the last one expires."""
    with db(demo) as session:
        summaries = [auth.user_summary(u) for u in queries.list_users(session)]
    rows = [[u["id"], u["name"], u["role"], "yes" if u["active"] else "no", u["live_tokens"],
             _minute(u["last_used_at"]) or "never", _minute(u["expires_at"])] for u in summaries]
    print_table("Users", ["id", "name", "role", "active", "live tokens", "last used", "expires"], rows)


def _minute(iso: str | None) -> str | None:
    """An ISO time to the minute, in UTC."""
    return iso[:16].replace("T", " ") + " UTC" if iso else None


@_on_user("revoke")
def users_revoke(name: str, demo: bool) -> None:
    """Revoke all of NAME's tokens and deactivate the user."""
    with db(demo) as session:
        count = auth.revoke(session, name)
        audit_ok(session, "user.revoke", detail={"user": name, "tokens": count})
    click.echo(f"Revoked {count} token(s) of '{name}'.")
