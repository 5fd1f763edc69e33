"""Pages: a session's note in the practice's format, drafted from its summary, edited and approved by a
clinician (risk never below the floor), and the approved note for print or PDF."""
from __future__ import annotations

from flask import g, redirect, request, url_for

from backend import access
from backend.audit import audited
from backend.context import get_toolkit
from backend.notes.approve import approve, floor_minimum, get_note, notes_of
from backend.notes.formats import draft, formats, get_format
from backend.store import queries
from backend.store.db import get_db
from backend.store.models import TherapySession
from backend.summarize.patient import summarize_patient
from backend.web.base import page, render
from core.errors import NotFound
from core.schemas import SEVERITIES, severity_rank


def _session(db, session_id: int) -> TherapySession:
    """The session, or the same 404 whether it is absent or of a patient the caller may not see."""
    session = db.get(TherapySession, session_id)
    if session is None or not access.can_see(db, g.user, session.patient_id):
        raise NotFound(f"No session with id {session_id}.")
    return session


def _format_name() -> str:
    return request.values.get("format") or get_toolkit().settings.note_format


@page("/clinic/sessions/<id:session_id>/note")
def note_form(session_id: int):
    note_format = get_format(_format_name())
    with audited(get_db(), "session.read", actor=g.user.name) as audit_:
        session = _session(audit_.db, session_id)
        cached = queries.latest_summaries(audit_.db, [session_id]).get(session_id)
        approved = notes_of(audit_.db, [session_id])[session_id]
        audit_.patient_id, audit_.session_ids = session.patient_id, [session_id]
        audit_.detail = {"via": "web", "format": note_format.name}
    summary = cached.result.get("summary") if cached is not None else None
    minimum = floor_minimum(session.text)
    proposed = cached.result.get("risk", minimum) if cached is not None else minimum
    choices = [s for s in SEVERITIES if severity_rank(s) >= severity_rank(minimum)]
    return render("note.html", session=session, patient=session.patient, note_format=note_format,
                  formats=formats(), sections=draft(note_format, summary, session.text), has_summary=summary is not None,
                  minimum=minimum, risk=max(proposed, minimum, key=severity_rank), choices=choices,
                  approved=approved)


@page("/clinic/sessions/<id:session_id>/note", methods=["POST"])
def note_approve(session_id: int):
    note_format = get_format(_format_name())
    with audited(get_db(), "note.approve", actor=g.user.name) as audit_:
        session = _session(audit_.db, session_id)
        audit_.patient_id, audit_.session_ids = session.patient_id, [session_id]
        sections = {s.label: request.form.get(f"section-{i}", "") for i, s in enumerate(note_format.sections)}
        note = approve(audit_.db, session, note_format, sections, risk=request.form.get("risk", ""),
                       by=g.user.name)
        audit_.detail = {"via": "web", "note": note.id, "format": note_format.name, "risk": note.risk,
                         "floor_risk": note.floor_risk}
    return redirect(url_for("web.note_view", note_id=note.id))


@page("/clinic/sessions/<id:session_id>/draft", methods=["POST"])
def note_draft(session_id: int):
    """Summarize this one session (cached, queued for review when at risk), then back to its note form."""
    db = get_db()
    session = _session(db, session_id)
    patient_id = session.patient_id
    db.commit()
    with audited(db, "summarize", actor=g.user.name, patient_id=patient_id, record_ok=False) as audit_:
        summarize_patient(audit_.db, get_toolkit().summarizer.engine(), patient_id, actor=g.user.name,
                          session_ids=[session_id])
    return redirect(url_for("web.note_form", session_id=session_id, format=_format_name()))


@page("/clinic/notes/<id:note_id>")
def note_view(note_id: int):
    with audited(get_db(), "note.read", actor=g.user.name) as audit_:
        note = get_note(audit_.db, note_id)
        session = audit_.db.get(TherapySession, note.session_id)
        if not access.can_see(audit_.db, g.user, session.patient_id):
            raise NotFound(f"No note with id {note_id}.")          # the same answer as for an absent note
        audit_.patient_id, audit_.session_ids = session.patient_id, [session.id]
        audit_.detail = {"via": "web", "note": note_id}
    return render("note_view.html", note=note, session=session, patient=session.patient,
                  note_format=formats().get(note.format))
