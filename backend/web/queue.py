"""Pages: the review queue (the landing page) and resolving an item with the clinician's own severity."""
from __future__ import annotations

from flask import g, redirect, request, url_for

from backend import access
from backend.audit import audited
from backend.store import queries
from backend.store.db import get_db
from backend.store.models import Patient, ReviewItem
from backend.web.base import page, render
from backend.web.evidence import pieces, resources
from core.errors import ValidationFailed
from core.schemas import SEVERITIES

QUEUE_SEVERITIES = ("crisis", "high")
NOTE_MAX_CHARS = 500


def _view(db, item: ReviewItem) -> dict:
    text = queries.review_item_text(db, item)
    patient = db.get(Patient, item.patient_id) if item.patient_id else None
    return {"item": item, "patient": patient, "pieces": pieces(text) if text else [],
            "resources": resources(item.severity), "reasons": [r for r in item.reason.split("; ") if r]}


@page("/")
def queue():
    with audited(get_db(), "review.read", actor=g.user.name) as audit_:
        items = [i for i in queries.list_review_items(audit_.db, status="open") if i.severity in QUEUE_SEVERITIES]
        items = sorted(access.visible_items(audit_.db, g.user, items), key=lambda i: i.id, reverse=True)
        views = [_view(audit_.db, i) for i in items]
        audit_.session_ids = [i.session_id for i in items if i.session_id]
        audit_.detail = {"items": len(items), "via": "web",
                         "patient_ids": sorted({i.patient_id for i in items if i.patient_id})}
    return render("queue.html", views=views, severities=SEVERITIES, done=request.args.get("resolved"))


@page("/clinic/review/<id:item_id>/resolve", methods=["POST"])
def resolve(item_id: int):
    with audited(get_db(), "review.resolve", actor=g.user.name) as audit_:
        item = access.visible_item(audit_.db, g.user, item_id)
        note = " ".join(request.form.get("note", "").split())
        judged = request.form.get("severity", "")
        if not note or len(note) > NOTE_MAX_CHARS:
            raise ValidationFailed(f"A resolution note (1-{NOTE_MAX_CHARS} characters) is required.")
        severity = item.severity if judged == "agree" else judged
        if severity not in SEVERITIES:
            raise ValidationFailed("Choose 'agree' or the severity you judge right.")
        item = queries.resolve_review_item(audit_.db, item_id, by=g.user.name, note=note)
        item.clinician_severity = severity
        audit_.patient_id = item.patient_id
        audit_.session_ids = [item.session_id] if item.session_id else []
        audit_.detail = {"item": item_id, "via": "web", "severity": severity, "agreed": severity == item.severity}
    return redirect(url_for("web.queue", resolved=item_id))
