"""Idempotency-Key on creates: the same key from the same user replays the stored answer for 24 hours."""
from __future__ import annotations

import hashlib
import json
import re
from datetime import timedelta
from functools import wraps
from typing import Any, Callable

from flask import Response, g, jsonify, request
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend import access, audit
from backend.auth import CurrentUser, current_user
from backend.http import read_json
from backend.store import queries
from backend.store.db import begin_write, get_db
from backend.store.models import IdempotencyKey, utcnow
from core.errors import BadRequest, ValidationFailed

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
TTL = timedelta(hours=24)
_KEY = re.compile(r"^[\x21-\x7e]{1,200}$")            # printable ASCII, no spaces (a UUID fits)


def idempotent(action: str) -> Callable:
    """Mark a create view: with an Idempotency-Key header, a retry replays the first answer (status and
    body) instead of creating again; the same key with another body is 422. The view answers with created()."""
    def wrap(view: Callable) -> Callable:
        @wraps(view)
        def run(*args: Any, **kwargs: Any):
            key = request.headers.get(HEADER)
            if key is None:
                return view(*args, **kwargs)
            if not _KEY.match(key):
                raise BadRequest(f"{HEADER} must be 1-200 printable ASCII characters without spaces.")
            user, db, fingerprint = current_user(), get_db(), _fingerprint()
            stored = _lookup(db, user.id, key)
            if stored is None:
                g.idempotency = (key, fingerprint)
                try:
                    return view(*args, **kwargs)
                except IntegrityError:                 # a concurrent request with this key committed first
                    db.rollback()
                    stored = _lookup(db, user.id, key)
                    if stored is None:
                        raise
            return _replay(db, user, stored, fingerprint, action)
        return run
    return wrap


def created(db: Session, payload: dict[str, Any], *, patient_id: int | None = None, status: int = 201):
    """The create's answer. With an Idempotency-Key it is stored in `db`'s transaction, so the record and
    its stored answer commit together (or not at all)."""
    pending = g.pop("idempotency", None)
    if pending is not None:
        key, fingerprint = pending
        begin_write(db)
        db.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at < utcnow() - TTL))
        db.add(IdempotencyKey(user_id=current_user().id, key=key, fingerprint=fingerprint, status=status,
                              patient_id=patient_id, response=json.dumps(payload, separators=(",", ":"))))
        db.flush()
    return jsonify(payload), status


def _lookup(db: Session, user_id: int, key: str) -> IdempotencyKey | None:
    query = select(IdempotencyKey).where(IdempotencyKey.user_id == user_id, IdempotencyKey.key == key,
                                         IdempotencyKey.created_at >= utcnow() - TTL)
    return db.scalar(query)


def _fingerprint() -> str:
    """sha256 of the method, the route's path and the body (canonical JSON when it parses, else the bytes)."""
    try:
        body = json.dumps(read_json(), sort_keys=True, separators=(",", ":")).encode()
    except BadRequest:
        body = request.get_data(cache=True)
    return hashlib.sha256(b"\n".join([request.method.encode(), request.path.encode(), body])).hexdigest()


def _replay(db: Session, user: CurrentUser, stored: IdempotencyKey, fingerprint: str, action: str) -> Response:
    if stored.fingerprint != fingerprint:
        raise ValidationFailed(f"This {HEADER} was already used for a different request.",
                               hint="use a new key for a new request")
    if stored.patient_id is not None and not access.can_see(db, user, stored.patient_id):
        raise queries.no_patient(stored.patient_id)
    audit.record(db, actor=user.name, action=action, outcome="replayed", patient_id=stored.patient_id)
    response = Response(stored.response, status=stored.status, mimetype="application/json")
    response.headers[REPLAYED_HEADER] = "true"
    return response
