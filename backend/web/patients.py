"""Pages: the clinician's patients, a patient's timeline (sessions, summaries, risk chart, progression with
links to its sessions), adding a session note, and summarizing."""
from __future__ import annotations

import re
from datetime import date

from flask import g, redirect, request, url_for
from markupsafe import Markup

from backend import access
from backend.audit import audited
from backend.context import get_toolkit
from backend.notes.approve import notes_of
from backend.store import queries
from backend.store.db import get_db
from backend.summarize.patient import summarize_patient
from backend.summarize.progression import Visit, progression_html, risk_trend
from backend.summarize.service import SessionResult
from backend.triage.review import add_note_item
from backend.web.base import page, render
from backend.web.chart import risk_chart

_CITE = re.compile(r"\[(#\d+(?:, #\d+)*)\]")


def _linked(progression: str) -> Markup:
    """Progression HTML (already sanitized) with each cited session a link to its entry on the page."""
    def link(match: re.Match) -> str:
        ids = [part.strip().lstrip("#") for part in match.group(1).split(",")]
        return "[" + ", ".join(f'<a href="#session-{i}">#{i}</a>' for i in ids) + "]"
    return Markup(_CITE.sub(link, progression))


@page("/clinic/patients")
def patients():
    with audited(get_db(), "patient.list", actor=g.user.name) as audit_:
        allowed = access.visible_patient_ids(audit_.db, g.user)
        rows = [p for p in queries.list_patients(audit_.db) if allowed is None or p.id in allowed]
        counts = queries.session_counts(audit_.db)
        audit_.detail = {"patients": len(rows), "via": "web"}
    return render("patients.html", patients=rows, counts=counts)


@page("/clinic/patients/<id:patient_id>")
def timeline(patient_id: int):
    with audited(get_db(), "patient.read", actor=g.user.name, patient_id=patient_id) as audit_:
        patient = access.visible_patient(audit_.db, g.user, patient_id)
        sessions = queries.list_sessions(audit_.db, patient_id)
        cached = queries.latest_summaries(audit_.db, [s.id for s in sessions])
        notes = notes_of(audit_.db, [s.id for s in sessions])
        audit_.session_ids = [s.id for s in sessions]
        audit_.detail = {"via": "web"}
    results = {sid: SessionResult.from_dict(row.result) for sid, row in cached.items()}
    visits = [Visit(s.id, s.date.isoformat(), results[s.id]) for s in sessions if s.id in results]
    complete = bool(sessions) and len(visits) == len(sessions)
    return render("timeline.html", patient=patient, sessions=list(reversed(sessions)), results=results, notes=notes,
                  chart=Markup(risk_chart([(v.date, v.result.risk) for v in visits])),
                  trend=risk_trend(visits) if complete else None,
                  progression=_linked(progression_html(visits)) if complete else None,
                  missing=len(sessions) - len(visits), today=date.today().isoformat(),
                  added=request.args.get("added"))


@page("/clinic/patients/<id:patient_id>/sessions", methods=["POST"])
def add_session(patient_id: int):
    with audited(get_db(), "session.create", actor=g.user.name, patient_id=patient_id) as audit_:
        access.visible_patient(audit_.db, g.user, patient_id)
        text = request.form.get("text", "")
        day = queries.parse_date(request.form.get("date", ""))
        session = queries.add_session(audit_.db, patient_id, date_=day, text=text, author=g.user.name)
        review_id = add_note_item(audit_.db, session)
        audit_.session_ids = [session.id]
        audit_.detail = {"via": "web", "review_item": review_id}
    return redirect(url_for("web.timeline", patient_id=patient_id, added=session.id) + f"#session-{session.id}")


@page("/clinic/patients/<id:patient_id>/summarize", methods=["POST"])
def summarize(patient_id: int):
    db = get_db()
    with audited(db, "summarize", actor=g.user.name, patient_id=patient_id, record_ok=False) as audit_:
        access.visible_patient(audit_.db, g.user, patient_id)
        audit_.db.commit()
        engine = get_toolkit().summarizer.engine()
        summarize_patient(audit_.db, engine, patient_id, actor=g.user.name,
                          refresh=request.form.get("refresh") == "1")
    return redirect(url_for("web.timeline", patient_id=patient_id))
