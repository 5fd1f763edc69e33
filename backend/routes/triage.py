"""Routes: POST /triage (clinicians and services), answering from the floor when the model is down; every call
is audited, with the patient only when the caller may see that patient."""
from __future__ import annotations

from flask import Blueprint, jsonify

from backend import access
from backend.audit import audited
from backend.auth import actor_name, current_user, roles
from backend.context import get_toolkit
from backend.http import parse_body
from backend.store.db import get_db
from backend.triage.models import TriageRequest

bp = Blueprint("triage", __name__)


@bp.post("/triage")
@roles("clinician", "service")
def triage_route():
    db = get_db()
    with audited(db, "triage", actor=actor_name()) as audit_:
        body = parse_body(TriageRequest)
        if body.patient_id is not None:           # the same 404 for an absent patient and one not the caller's
            access.visible_patient(db, current_user(), body.patient_id)
            db.commit()                           # end the read: the model may take a while
        result = get_toolkit().triage.triage(body.text, patient_id=body.patient_id)
        audit_.patient_id = body.patient_id
        audit_.detail = {"severity": result.severity, "review_id": result.review_id}
    return jsonify(result.model_dump(mode="json"))
