"""Routes: POST /triage (clinicians and services), answering from the floor when the model is down."""
from __future__ import annotations

from flask import Blueprint, jsonify

from backend.audit import audited
from backend.auth import actor_name, roles
from backend.context import get_toolkit
from backend.http import parse_body
from backend.store import queries
from backend.store.db import get_db
from backend.triage.models import TriageRequest

bp = Blueprint("triage", __name__)


@bp.post("/triage")
@roles("clinician", "service")
def triage_route():
    body = parse_body(TriageRequest)
    db = get_db()
    if body.patient_id is not None:
        queries.get_patient(db, body.patient_id)           # 404 for an unknown patient
    result = get_toolkit().triage.triage(body.text, patient_id=body.patient_id)
    if body.patient_id is not None:
        with audited(db, "triage", actor=actor_name(), patient_id=body.patient_id) as access:
            access.detail = {"severity": result.severity, "review_id": result.review_id}
    return jsonify(result.model_dump(mode="json"))
