"""Bearer tokens and roles: every endpoint needs a valid token unless @public; unmarked views are admin-only."""
from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable, TypeVar

from flask import Flask, current_app, g, request
from sqlalchemy import select
from sqlalchemy.orm import Session

from backend import audit, denials
from backend.context import get_toolkit
from backend.store.db import begin_write, get_db
from backend.store.models import ROLES, Token, User, utcnow
from core.errors import BadRequest, Conflict, Forbidden, NotFound, Unauthorized

F = TypeVar("F", bound=Callable)
TOKEN_PREFIX = "tt_"
TOUCH_EVERY = timedelta(minutes=1)
DEFAULT_TOKEN_DAYS = 90                       # THERAPY_TOKEN_DAYS; callers pass settings.token_days
DEFAULT_ROLES = ("admin",)                    # deny by default: an unmarked view is for admins only
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,79}$")


@dataclass(frozen=True)
class CurrentUser:
    id: int
    name: str
    role: str
    token_id: int


# --- decorators ------------------------------------------------------------------------------
def public(view: F) -> F:
    """Mark a view as open to everyone (only /health should be)."""
    view._auth_public = True  # type: ignore[attr-defined]
    return view


def browser(view: F) -> F:
    """Mark a view as the clinician page's: signed in by its session cookie (backend.web), never by a token."""
    view._auth_browser = True  # type: ignore[attr-defined]
    return view


def roles(*names: str) -> Callable[[F], F]:
    """Declare which roles may call a view, e.g. @roles("clinician", "service")."""
    unknown = set(names) - set(ROLES)
    if not names or unknown:
        raise ValueError(f"roles() needs names from {ROLES}; got {names}")

    def mark(view: F) -> F:
        view._auth_roles = tuple(names)  # type: ignore[attr-defined]
        return view

    return mark


def current_user() -> CurrentUser | None:
    """The authenticated caller of this request (None on public endpoints)."""
    return g.get("user")


def actor_name() -> str:
    """Who this request's audit rows name: the caller's user name, or "anonymous"."""
    user = current_user()
    return user.name if user else "anonymous"


# --- tokens and users ------------------------------------------------------------------------
def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(db: Session, user: User, days: int = DEFAULT_TOKEN_DAYS) -> str:
    """A new random token for `user`, valid for `days` (returned once; only its hash is stored). Caller commits."""
    if not 1 <= days <= 3650:
        raise BadRequest("Tokens last 1 to 3650 days.")
    begin_write(db)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    db.add(Token(user=user, token_hash=hash_token(token), prefix=token[:10],
                 expires_at=utcnow() + timedelta(days=days)))
    db.flush()
    return token


def create_user(db: Session, name: str, role: str, days: int = DEFAULT_TOKEN_DAYS) -> tuple[User, str]:
    """Add a user with a first token; returns (user, token). Commits."""
    if not _NAME.match(name or ""):
        raise BadRequest("User names are 1-80 characters: letters, digits, and . _ @ - (no spaces).")
    if role not in ROLES:
        raise BadRequest(f"Unknown role '{role}'; use one of {', '.join(ROLES)}.")
    begin_write(db)
    if db.scalar(select(User).where(User.name == name)) is not None:
        raise Conflict(f"User '{name}' already exists.", hint="use `users token NAME` for a new token")
    user = User(name=name, role=role)
    db.add(user)
    token = issue_token(db, user, days)
    db.commit()
    return user, token


def find_user(db: Session, name: str) -> User:
    user = db.scalar(select(User).where(User.name == name))
    if user is None:
        raise NotFound(f"No user named '{name}'.")
    return user


def revoke(db: Session, name: str) -> int:
    """Revoke every token of `name` and deactivate the user; returns how many tokens were revoked."""
    begin_write(db)
    user = find_user(db, name)
    live = [t for t in user.tokens if t.revoked_at is None]
    for token in live:
        token.revoked_at = utcnow()
    user.active = False
    db.commit()
    return len(live)


def user_summary(user: User) -> dict:
    """What `users list` and GET /admin/users show: live tokens, the last use and the latest expiry."""
    live = [t for t in user.tokens if is_live(t)]
    used = [aware(t.last_used_at) for t in user.tokens if t.last_used_at]
    expiries = [aware(t.expires_at) for t in live if t.expires_at]
    return {"id": user.id, "name": user.name, "role": user.role, "active": user.active, "live_tokens": len(live),
            "last_used_at": max(used).isoformat() if used else None,
            "expires_at": max(expiries).isoformat() if expiries else None}


def authenticate(db: Session, token: str) -> CurrentUser | None:
    """The user behind a live token, or None (unknown, revoked, expired, or deactivated user)."""
    row = db.scalar(select(Token).where(Token.token_hash == hash_token(token)))
    if row is None or not is_live(row) or not row.user.active:
        return None
    _touch(db, row)
    return CurrentUser(id=row.user.id, name=row.user.name, role=row.user.role, token_id=row.id)


def is_live(token: Token, now: datetime | None = None) -> bool:
    """Not revoked and not expired."""
    return token.revoked_at is None and (token.expires_at is None or aware(token.expires_at) > (now or utcnow()))


def aware(moment: datetime) -> datetime:
    """A stored datetime in UTC (SQLite hands them back without their zone)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _touch(db: Session, token: Token) -> None:
    """Record when a token was last used, at most once a minute (most requests write nothing here)."""
    now = utcnow()
    last = token.last_used_at
    if last is not None and now - aware(last) < TOUCH_EVERY:
        return
    begin_write(db)
    db.get(Token, token.id).last_used_at = now
    db.commit()


# --- the request gate --------------------------------------------------------------------------
def init_app(app: Flask) -> None:
    """Authenticate every request to a known endpoint; needs backend.store.init_app first."""
    app.before_request(_gate)


def _gate() -> None:
    if request.endpoint is None or request.method == "OPTIONS":   # routing answers 404/405; a preflight
        return                                                     # reads nothing and is not an access
    view = current_app.view_functions.get(request.endpoint)
    if view is not None and (getattr(view, "_auth_public", False) or getattr(view, "_auth_browser", False)):
        return
    allowed = getattr(view, "_auth_roles", DEFAULT_ROLES)
    db = get_db()
    token = _bearer_token()
    user = authenticate(db, token) if token else None
    if user is None:
        db.rollback()
        denials.count(db, request.remote_addr or "unknown", window_s=get_toolkit().settings.denial_window_s)
        raise Unauthorized("A valid API token is required.",
                           hint="send the header 'Authorization: Bearer <token>' (see `main.py users add`)")
    if user.role not in allowed:
        _deny(db, user.name, "forbidden")
        raise Forbidden(f"Role '{user.role}' may not call this endpoint.")
    g.user = user
    db.commit()                                # end the read: a view starts with no open transaction


def _bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


def _deny(db: Session, actor: str, outcome: str) -> None:
    """One audit row for an authenticated caller's refused request (anonymous ones are only counted, by
    backend.denials). Decided from the header alone: the body is never read here, and the patient named
    is the one in the URL of an authenticated request (an anonymous caller cannot steer a row)."""
    db.rollback()
    patient_id = (request.view_args or {}).get("patient_id")
    audit.record(db, actor=actor, action=request.endpoint or "unknown", outcome=outcome,
                 patient_id=patient_id if type(patient_id) is int else None,
                 detail={"method": request.method})
