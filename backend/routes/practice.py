"""Routes: patients, sessions, /summarize-sessions, review queue (clinicians; summarize also for services), each
limited to the caller's patients (backend.access)."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any, Literal

from flask import Blueprint, jsonify, request
from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator

from backend import access
from backend.audit import audited
from backend.auth import actor_name, current_user, roles
from backend.context import get_toolkit
from backend.http import parse_body, read_json
from backend.idempotency import created, idempotent
from backend.store import queries
from backend.store.db import get_db
from backend.store.models import REVIEW_STATUSES, Patient, ReviewItem, TherapySession
from backend.summarize.patient import summarize_patient
from core.errors import BadRequest
from core.schemas import MAX_ID, RecordId

bp = Blueprint("practice", __name__)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NewPatient(_Body):
    display_name: str = Field(min_length=1, max_length=120)
    external_ref: str | None = Field(default=None, max_length=64)


class NewSession(_Body):
    date: str
    kind: Literal["notes", "transcript"] = "notes"
    text: str = Field(min_length=1, max_length=queries.SESSION_TEXT_MAX_CHARS)
    # no `author`: a session's author is the token's user (a sent author is refused, 422)

    @field_validator("date")
    @classmethod
    def _iso(cls, value: str) -> str:
        if not _ISO_DATE.match(value):
            raise ValueError("must be a date YYYY-MM-DD")
        queries.parse_date(value)
        return value

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value


class SummarizeRequest(_Body):
    patient_id: RecordId
    session_ids: list[RecordId] | None = Field(default=None, min_length=1, max_length=1000)
    refresh: StrictBool = False


class ResolveRequest(_Body):
    note: str | None = Field(default=None, max_length=500)


# --- helpers -----------------------------------------------------------------------------------
def _iso(moment: datetime | None) -> str | None:
    """ISO-8601 in UTC (SQLite hands datetimes back without their zone)."""
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).isoformat()


def _patient_json(patient: Patient) -> dict[str, Any]:
    return {"id": patient.id, "display_name": patient.display_name, "external_ref": patient.external_ref,
            "created_at": _iso(patient.created_at)}


def _session_json(session: TherapySession, *, text: bool = True) -> dict[str, Any]:
    out = {"id": session.id, "patient_id": session.patient_id, "date": session.date.isoformat(),
           "kind": session.kind, "author": session.author, "created_at": _iso(session.created_at)}
    return {**out, "text": session.text} if text else out


def _review_json(item: ReviewItem) -> dict[str, Any]:
    return {"id": item.id, "kind": item.kind, "severity": item.severity, "reason": item.reason,
            "payload": item.payload, "patient_id": item.patient_id, "session_id": item.session_id,
            "status": item.status, "created_at": _iso(item.created_at), "resolved_at": _iso(item.resolved_at),
            "resolved_by": item.resolved_by, "resolution": item.resolution}


# --- patients and sessions ------------------------------------------------------------------
@bp.post("/patients")
@roles("clinician")
@idempotent("patient.create")
def create_patient():
    with audited(get_db(), "patient.create", actor=actor_name()) as audit_:
        body = parse_body(NewPatient)
        patient = queries.create_patient(audit_.db, body.display_name, body.external_ref)
        queries.assign(audit_.db, patient.id, current_user().id)          # the creator is on the care team
        audit_.patient_id = patient.id
        return created(audit_.db, _patient_json(patient), patient_id=patient.id)


@bp.get("/patients/<id:patient_id>")
@roles("clinician")
def get_patient(patient_id: int):
    with audited(get_db(), "patient.read", actor=actor_name(), patient_id=patient_id) as audit_:
        patient = access.visible_patient(audit_.db, current_user(), patient_id)
        sessions = queries.list_sessions(audit_.db, patient_id)
        team = [u.name for u in queries.care_team(audit_.db, patient_id)]
    return jsonify({**_patient_json(patient), "session_count": len(sessions), "care_team": team,
                    "sessions": [_session_json(s, text=False) for s in sessions]})


@bp.post("/patients/<id:patient_id>/sessions")
@roles("clinician")
@idempotent("session.create")
def add_session(patient_id: int):
    with audited(get_db(), "session.create", actor=actor_name(), patient_id=patient_id) as audit_:
        access.visible_patient(audit_.db, current_user(), patient_id)
        body = parse_body(NewSession)
        session = queries.add_session(audit_.db, patient_id, date_=queries.parse_date(body.date), text=body.text,
                                      kind=body.kind, author=actor_name())
        audit_.session_ids = [session.id]
        return created(audit_.db, _session_json(session, text=False), patient_id=patient_id)


@bp.get("/patients/<id:patient_id>/sessions")
@roles("clinician")
def list_sessions(patient_id: int):
    with audited(get_db(), "session.read", actor=actor_name(), patient_id=patient_id) as audit_:
        access.visible_patient(audit_.db, current_user(), patient_id)
        sessions = queries.list_sessions(audit_.db, patient_id)
        audit_.session_ids = [s.id for s in sessions]
    return jsonify({"patient_id": patient_id, "sessions": [_session_json(s) for s in sessions]})


# --- summaries -------------------------------------------------------------------------------
@bp.post("/summarize-sessions")
@roles("clinician", "service")
def summarize_sessions():
    db = get_db()
    patient_id = _body_patient_id(db)
    with audited(db, "summarize", actor=actor_name(), patient_id=patient_id, record_ok=False) as audit_:
        body = parse_body(SummarizeRequest)
        access.visible_patient(audit_.db, current_user(), body.patient_id)
        engine = get_toolkit().summarizer.engine()
        result = summarize_patient(audit_.db, engine, body.patient_id, actor=actor_name(),
                                   session_ids=body.session_ids, refresh=body.refresh)
        return jsonify(result)


def _body_patient_id(db) -> int | None:
    """The body's patient id for the audit row of a request that fails, only when the caller may see that
    patient (a caller cannot make a row name someone else's patient); None otherwise."""
    try:
        body = read_json()
    except BadRequest:
        return None
    value = body.get("patient_id") if isinstance(body, dict) else None
    if type(value) is not int or not 1 <= value <= MAX_ID:
        return None
    visible = access.can_see(db, current_user(), value)
    db.commit()                                           # end the read before the view's work
    return value if visible else None


# --- review queue ----------------------------------------------------------------------------
@bp.get("/review-queue")
@roles("clinician")
def review_queue():
    status = request.args.get("status", "open")
    if status not in (*REVIEW_STATUSES, "all"):
        raise BadRequest("status must be open, resolved or all.")
    with audited(get_db(), "review.read", actor=actor_name()) as audit_:
        items = queries.list_review_items(audit_.db, status=None if status == "all" else status)
        items = access.visible_items(audit_.db, current_user(), items)
        audit_.session_ids = [i.session_id for i in items if i.session_id]
        audit_.detail = {"items": len(items), "patient_ids": sorted({i.patient_id for i in items if i.patient_id})}
    return jsonify({"status": status, "items": [_review_json(i) for i in items]})


@bp.post("/review-queue/<id:item_id>/resolve")
@roles("clinician")
def resolve_review_item(item_id: int):
    with audited(get_db(), "review.resolve", actor=actor_name()) as audit_:
        access.visible_item(audit_.db, current_user(), item_id)
        body = parse_body(ResolveRequest) if request.content_length else ResolveRequest()
        item = queries.resolve_review_item(audit_.db, item_id, by=actor_name(), note=body.note)
        audit_.patient_id = item.patient_id
        audit_.session_ids = [item.session_id] if item.session_id else []
        audit_.detail = {"item": item_id}
    return jsonify(_review_json(item))
