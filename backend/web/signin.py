"""The page's sign-in: argon2id passwords, server-side browser sessions behind an HttpOnly SameSite cookie,
a CSRF token per session, and sign-out after the practice's idle time (HIPAA 164.312(a)(2)(iii)).

API tokens stay for machines; a browser never sends one, and the JSON API never reads this cookie, so the API
cannot be driven cross-site and the page needs no token in script."""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.auth import aware, find_user
from backend.store.db import begin_write
from backend.store.models import User, WebSession, utcnow
from core.errors import BadRequest

COOKIE = "therapy_session"
LOGIN_COOKIE = "therapy_login"          # double-submit token of the sign-in form (there is no session yet)
PAGE_ROLES = ("clinician",)             # the page shows clinical data: clinicians only
MIN_PASSWORD, MAX_PASSWORD = 12, 256
_HASHER = PasswordHasher()
_DUMMY = _HASHER.hash("an unused password for unknown users")


def digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


# --- passwords ---------------------------------------------------------------------------------
def set_password(db: Session, name: str, password: str) -> User:
    """Set NAME's page password (argon2id); BadRequest when it is too short or long. Caller commits."""
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise BadRequest(f"Passwords are {MIN_PASSWORD} to {MAX_PASSWORD} characters.")
    begin_write(db)
    user = find_user(db, name)
    if user.role not in PAGE_ROLES:
        raise BadRequest(f"Only {', '.join(PAGE_ROLES)} users sign in to the page (not '{user.role}').")
    user.password_hash = _HASHER.hash(password)
    end_all(db, user.id, "password")                     # a new password signs every browser out
    return user


def check_password(db: Session, name: str, password: str) -> User | None:
    """The active page user with this password, or None; as slow for an unknown name as for a wrong password."""
    user = db.scalar(select(User).where(User.name == name)) if name else None
    stored = user.password_hash if user is not None and user.password_hash else _DUMMY
    try:
        _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.password_hash or not user.active or user.role not in PAGE_ROLES:
        return None
    return user


# --- browser sessions ---------------------------------------------------------------------------
def start(db: Session, user: User, now: datetime) -> str:
    """A new signed-in browser for `user`; returns the cookie value (only its hash is stored). Caller commits."""
    begin_write(db)
    value = secrets.token_urlsafe(32)
    db.add(WebSession(user_id=user.id, session_hash=digest(value), csrf_token=secrets.token_urlsafe(32),
                      created_at=now, last_seen_at=now))
    db.flush()
    return value


def find(db: Session, value: str | None) -> WebSession | None:
    """The session row behind a cookie value, live or ended (None for an unknown one)."""
    return db.scalar(select(WebSession).where(WebSession.session_hash == digest(value))) if value else None


def resume(db: Session, value: str | None, now: datetime, idle: timedelta) -> tuple[WebSession | None, str | None]:
    """(the session row behind the cookie, why it is not live): why is None for a live one (its last-seen time
    is moved on), "idle" for one that just timed out (it is ended now), "ended" for one ended before; (None,
    None) without a known cookie."""
    row = find(db, value)
    if row is None:
        return None, None
    if row.ended_at is not None or not row.user.active:
        return row, "ended"
    begin_write(db)
    if now - aware(row.last_seen_at) > idle:
        row.ended_at, row.ended_why = now, "idle"
        return row, "idle"
    row.last_seen_at = now
    return row, None


def end(db: Session, row: WebSession, why: str, now: datetime) -> None:
    begin_write(db)
    row.ended_at, row.ended_why = now, why


def end_all(db: Session, user_id: int, why: str) -> int:
    """End every live browser session of a user (password change, revoke); returns how many."""
    begin_write(db)
    live = list(db.scalars(select(WebSession).where(WebSession.user_id == user_id, WebSession.ended_at.is_(None))))
    for row in live:
        row.ended_at, row.ended_why = utcnow(), why
    return len(live)


def csrf_ok(expected: str | None, sent: str | None) -> bool:
    """Whether a form's token matches (constant time)."""
    return bool(expected) and bool(sent) and hmac.compare_digest(str(expected), str(sent))


def new_login_token() -> str:
    return secrets.token_urlsafe(24)
