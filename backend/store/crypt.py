"""SQLCipher for the practice database: the key (env or 0600 key file), keyed connections, encrypt, rekey."""
from __future__ import annotations

import logging
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from core.errors import ConfigError
from core.private import tighten_files, write_private
from core.settings import Settings

log = logging.getLogger(__name__)

KEY_FILE = "db.key"
MODES = ("sqlcipher", "off")
SQLITE_HEADER = b"SQLite format 3\x00"
_RAW_KEY = re.compile(r"[0-9a-fA-F]{64}")
SIDE_FILES = ("-wal", "-shm", "-journal")


@dataclass(frozen=True)
class DbKey:
    """A SQLCipher key: 64 hex digits are a raw 256-bit key (no key derivation), anything else a passphrase."""

    secret: str

    def __repr__(self) -> str:                   # never in a log line, a traceback or an error message
        return "DbKey(<hidden>)"

    __str__ = __repr__

    def pragma(self) -> str:
        if _RAW_KEY.fullmatch(self.secret):
            return f"\"x'{self.secret}'\""
        return "'" + self.secret.replace("'", "''") + "'"


# --- which database, which mode --------------------------------------------------------------
def sqlite_path(url: str) -> Path | None:
    """The file of a sqlite URL; None for in-memory SQLite and for other databases."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def encryption(settings: Settings, url: str) -> str:
    """"sqlcipher" or "off" for a SQLite file (THERAPY_DB_ENCRYPTION), "server" for PostgreSQL and others."""
    if not url.startswith("sqlite"):
        return "server"
    if sqlite_path(url) is None:
        return "off"
    mode = settings.db_encryption.strip().lower()
    if mode not in MODES:
        raise ConfigError(f"Unknown THERAPY_DB_ENCRYPTION '{settings.db_encryption}'.",
                          hint="use 'sqlcipher' (the default) or 'off' for a plain SQLite file")
    return mode


def is_plain(path: Path) -> bool:
    """True for a non-empty file that starts with SQLite's plain header (an encrypted one looks random)."""
    try:
        with open(path, "rb") as handle:
            return handle.read(16) == SQLITE_HEADER
    except FileNotFoundError:
        return False


def exists(path: Path) -> bool:
    return path.is_file() and path.stat().st_size > 0


# --- the key ---------------------------------------------------------------------------------
def key_path(settings: Settings) -> Path:
    return settings.home / KEY_FILE


def load_key(settings: Settings, *, create: bool = False) -> DbKey:
    """THERAPY_DB_KEY if set, else <home>/db.key; `create` writes a new random key file (0600) when absent."""
    if settings.db_key:
        return DbKey(settings.db_key)
    path = key_path(settings)
    if path.is_file():
        tighten_files(path)
        secret = path.read_text(encoding="utf-8").strip()
        if not secret:
            raise ConfigError("The database key file is empty.", hint=f"restore {path} from your key backup")
        return DbKey(secret)
    if not create:
        raise ConfigError("No database key: THERAPY_DB_KEY is not set and the key file is missing.",
                          hint=f"restore {path} from your key backup, or set THERAPY_DB_KEY")
    write_private(path, secrets.token_hex(32) + "\n")
    log.info("created a new database key file (0600) in the toolkit home")
    return DbKey(path.read_text(encoding="utf-8").strip())


def key_for_open(settings: Settings, path: Path) -> DbKey:
    """The key to open (or create) `path` with; refuses a plain database (it must be migrated first)."""
    if is_plain(path):
        raise ConfigError("The practice database is not encrypted, and THERAPY_DB_ENCRYPTION is 'sqlcipher'.",
                          hint="stop the server and run `main.py db encrypt` once, or set "
                               "THERAPY_DB_ENCRYPTION=off to keep a plain database")
    return load_key(settings, create=not exists(path))


# --- connections -----------------------------------------------------------------------------
def dbapi():
    """The SQLCipher DB-API module (sqlcipher3, a sqlite3 work-alike)."""
    import sqlcipher3

    return sqlcipher3


def apply_key(dbapi_conn: Any, key: DbKey) -> None:
    """Key a fresh connection: must be the first statement on it. SQLCipher's own stderr log is silenced."""
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA cipher_log_level = NONE")
    cursor.execute(f"PRAGMA key = {key.pragma()}")
    cursor.close()


def check_opens(dbapi_conn: Any, path: Path, encrypted: bool) -> None:
    """Read the schema once: a wrong key (or a plain/encrypted mismatch) is a ConfigError, not a traceback."""
    try:
        dbapi_conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except Exception as exc:
        explain(exc, path, encrypted)
        raise


def explain(exc: BaseException, path: Path, encrypted: bool) -> None:
    """Raise the clear ConfigError for SQLite's "file is not a database" (wrong key or mismatch); else return."""
    if "not a database" not in str(exc) and "encrypted" not in str(exc):
        return
    if encrypted:
        hint = "check THERAPY_DB_KEY or <home>/db.key (an interrupted `db rekey` leaves the new one in db.key.new)"
        raise ConfigError(f"The database key does not open {path.name}: wrong key, or not a database.",
                          hint=hint) from None
    raise ConfigError(f"{path.name} is encrypted (or not a SQLite file) and THERAPY_DB_ENCRYPTION is 'off'.",
                      hint="unset THERAPY_DB_ENCRYPTION to open it with its key") from None


def connect(path: Path, key: DbKey | None) -> Any:
    """A checked DB-API connection (autocommit) to `path`: keyed SQLCipher, or plain when `key` is None."""
    conn = dbapi().connect(str(path), timeout=30)
    conn.isolation_level = None
    if key is not None:
        apply_key(conn, key)
    try:
        check_opens(conn, path, encrypted=key is not None)
    except Exception:
        conn.close()
        raise
    return conn


# --- encrypt and rekey -----------------------------------------------------------------------
def table_counts(conn: Any, schema: str = "main") -> dict[str, int]:
    names = [r[0] for r in conn.execute(f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table'")]
    return {name: conn.execute(f'SELECT count(*) FROM {schema}."{name}"').fetchone()[0] for name in names}


def encrypt_file(path: Path, key: DbKey) -> dict[str, int]:
    """Rewrite the plain SQLite database `path` encrypted with `key` (sqlcipher_export into a new file,
    every table's row count compared, then renamed over the original). Returns the row counts."""
    if not is_plain(path):
        raise ConfigError(f"{path.name} is not a plain SQLite database (already encrypted, or missing).")
    target = path.with_name(path.name + ".encrypting")
    for leftover in (target, *_side(target)):
        leftover.unlink(missing_ok=True)
    write_private(target, "")
    plain = connect(path, None)
    try:
        plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        plain.execute("BEGIN EXCLUSIVE")                    # no writer can slip in while we copy
        before = table_counts(plain)
        version = plain.execute("PRAGMA user_version").fetchone()[0]
        plain.execute(f"ATTACH DATABASE ? AS encrypted KEY {key.pragma()}", (str(target),))
        plain.execute("SELECT sqlcipher_export('encrypted')")
        plain.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        after = table_counts(plain, "encrypted")
        plain.execute("COMMIT")
        plain.execute("DETACH DATABASE encrypted")
    finally:
        plain.close()
    if after != before:
        target.unlink(missing_ok=True)
        raise ConfigError("The encrypted copy does not hold every row; the plain database was left as it was.")
    _replace(target, path)
    return after


def rekey_file(path: Path, old: DbKey, new: DbKey) -> dict[str, int]:
    """PRAGMA rekey `path` from `old` to `new`; checks it opens with `new` and returns the row counts."""
    conn = connect(path, old)
    try:
        conn.execute(f"PRAGMA rekey = {new.pragma()}")
    finally:
        conn.close()
    check = connect(path, new)
    try:
        return table_counts(check)
    finally:
        check.close()


def write_key(settings: Settings, key: DbKey, *, pending: bool = False) -> Path:
    """Write `key` to <home>/db.key (0600), or to db.key.new while a rekey is under way."""
    path = key_path(settings)
    if pending:
        path = path.with_name(path.name + ".new")
    return write_private(path, key.secret + "\n")


def commit_pending_key(settings: Settings) -> None:
    path = key_path(settings)
    os.replace(path.with_name(path.name + ".new"), path)


def new_key() -> DbKey:
    return DbKey(secrets.token_hex(32))


def _side(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in SIDE_FILES]


def _replace(source: Path, path: Path) -> None:
    """Move `source` over `path`, dropping `path`'s old -wal/-shm (they belong to the plain file)."""
    for stale in _side(path):
        stale.unlink(missing_ok=True)
    os.replace(source, path)
    for stale in _side(source):
        stale.unlink(missing_ok=True)
    tighten_files(path)
