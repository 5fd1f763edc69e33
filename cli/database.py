"""CLI `db`: the practice database at rest: its state, `encrypt` a plain SQLite file, `rekey` (rotate the key)."""
from __future__ import annotations

import os
from pathlib import Path

import click

from backend.demo import demo_settings
from backend.store import close_all, crypt, database_url, open_store
from cli.common import console, load_settings
from cli.practice import demo_flag, practice_settings
from core.errors import ConfigError
from core.settings import Settings


@click.group()
def db() -> None:
    """The practice database at rest (SQLCipher). Stop the server before `encrypt` or `rekey`."""


@db.command("status")
@demo_flag
def db_status(demo: bool) -> None:
    """Say where the database is, whether it is encrypted, and that it opens (never prints the key)."""
    settings = practice_settings(demo)
    store = open_store(settings)
    path = crypt.sqlite_path(store.url)
    where = path.name if path else "server database"
    console.print(f"database: {where}; encryption: {store.encryption}; opens: yes")


@db.command("encrypt")
@demo_flag
def db_encrypt(demo: bool) -> None:
    """Migrate a plain SQLite database to SQLCipher without loss (every table's rows are counted)."""
    settings = practice_settings(demo)
    path = _sqlite_file(settings)
    if not crypt.is_plain(path):
        raise ConfigError(f"{path.name} is not a plain SQLite database (already encrypted, or missing).")
    key = crypt.load_key(settings, create=True)
    counts = crypt.encrypt_file(path, key)
    where = "THERAPY_DB_KEY" if settings.db_key else f"the key file {crypt.key_path(settings)} (0600; back it up)"
    console.print(f"[green]Encrypted[/green] {path.name}: {sum(counts.values())} rows in {len(counts)} tables "
                  f"kept; key: {where}.")


@db.command("rekey")
def db_rekey() -> None:
    """Rotate the key: PRAGMA rekey every encrypted database of the home (practice and demo) to a new random
    key written to <home>/db.key (0600). With THERAPY_DB_KEY set, the new key is THERAPY_DB_NEW_KEY's."""
    settings = load_settings()
    _sqlite_file(settings)
    old = crypt.load_key(settings)
    paths = _keyed_files(settings)
    for path in paths:                                    # every file opens with the old key before any changes
        crypt.connect(path, old).close()
    close_all()
    new = _new_env_key() if settings.db_key else crypt.new_key()
    if not settings.db_key:
        crypt.write_key(settings, new, pending=True)      # the new key is on disk before a database uses it
    rows = sum(sum(crypt.rekey_file(path, old, new).values()) for path in paths)
    names = ", ".join(p.name for p in paths)
    if settings.db_key:
        console.print(f"[green]Rekeyed[/green] {names} ({rows} rows); now set THERAPY_DB_KEY to the value of "
                      "THERAPY_DB_NEW_KEY.")
        return
    crypt.commit_pending_key(settings)
    console.print(f"[green]Rekeyed[/green] {names} ({rows} rows); new key in {crypt.key_path(settings)} (0600). "
                  "Update your key backup.")


def _keyed_files(settings: Settings) -> list[Path]:
    """The encrypted SQLite files that share this home's key: the practice database and the demo one."""
    found: list[Path] = []
    for each in (settings, demo_settings(settings)):
        path = crypt.sqlite_path(database_url(each))
        if path is not None and path not in found and crypt.exists(path) and not crypt.is_plain(path):
            found.append(path)
    if not found:
        raise ConfigError("No encrypted database to rekey.", hint="run `main.py db encrypt` first")
    return found


def _sqlite_file(settings: Settings):
    path = crypt.sqlite_path(database_url(settings))
    if path is None:
        raise ConfigError("The practice database is not a SQLite file; a server database is encrypted by the "
                          "server and its disk.")
    if crypt.encryption(settings, database_url(settings)) == "off":
        raise ConfigError("THERAPY_DB_ENCRYPTION is 'off'.", hint="unset it to use an encrypted database")
    return path


def _new_env_key() -> crypt.DbKey:
    secret = os.environ.get("THERAPY_DB_NEW_KEY", "")
    if not secret:
        raise ConfigError("THERAPY_DB_KEY is set, so the new key must come from THERAPY_DB_NEW_KEY.")
    return crypt.DbKey(secret)

