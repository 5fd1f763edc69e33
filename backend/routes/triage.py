"""Routes: POST /triage (clinicians and services), answering from the floor when the model is down."""
from __future__ import annotations

from typing import Optional

from flask import Blueprint, jsonify

from backend import audit, store
from backend.auth import current_user, roles
from backend.context import get_toolkit
from backend.http import parse_body
from backend.safety.resources import load_resources
from backend.triage.models import TriageRequest, TriageResult
from backend.triage.retrieval import default_library
from backend.triage.service import TriageConfig, triage
from core.engine.base import Engine
from core.errors import ToolkitError
from tasks import TRIAGE_MODEL

bp = Blueprint("triage", __name__)
MODEL_NAME = TRIAGE_MODEL


def triage_engine() -> tuple[Optional[Engine], Optional[str]]:
    """The registry's `triage` engine, or (None, error code) when it cannot be had right now."""
    try:
        return get_toolkit().models.get(MODEL_NAME), None
    except ToolkitError as exc:
        return None, exc.code


def review_writer(patient_id: Optional[int]):
    """Crisis results go to the review queue with the message, the result and the fixed resources."""
    def write(result: TriageResult, text: str) -> int:
        return store.add_review_item(
            store.get_db(), kind="triage", severity=result.severity,
            reason="; ".join(result.review_reasons) or "crisis",
            payload={"text": text, "result": result.model_dump(mode="json")}, patient_id=patient_id)
    return write


@bp.post("/triage")
@roles("clinician", "service")
def triage_route():
    body = parse_body(TriageRequest)
    toolkit = get_toolkit()
    db = store.get_db()
    if body.patient_id is not None:
        store.get_patient(db, body.patient_id)             # 404 for an unknown patient
    engine, engine_error = triage_engine()
    result = triage(body.text, engine=engine, resources=load_resources(toolkit.settings.resources_file or None),
                    review=review_writer(body.patient_id), library=default_library(),
                    config=TriageConfig.from_settings(toolkit.settings))
    if engine_error:                                        # why there was no engine at all
        result.engine_error = engine_error
    if body.patient_id is not None:
        user = current_user()
        audit.record(db, actor=user.name if user else "anonymous", action="triage", outcome="ok",
                     patient_id=body.patient_id,
                     detail={"severity": result.severity, "review_id": result.review_id})
    return jsonify(result.model_dump(mode="json"))
