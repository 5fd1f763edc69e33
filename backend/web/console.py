"""Page: the triage console: paste a message, see the structured result, its evidence and the resources."""
from __future__ import annotations

from flask import g, request

from backend.audit import audited
from backend.context import get_toolkit
from backend.store.db import get_db
from backend.web.base import page, render
from backend.web.evidence import cut
from core.errors import ValidationFailed


@page("/clinic/triage", methods=["GET", "POST"])
def console():
    if request.method == "GET":
        return render("console.html", result=None, text="")
    text = request.form.get("text", "")
    limit = get_toolkit().settings.triage_max_chars
    if not text.strip() or len(text) > limit:
        raise ValidationFailed(f"Paste a message of 1 to {limit} characters.")
    with audited(get_db(), "triage", actor=g.user.name) as audit_:
        audit_.db.commit()                                         # the model may take a while
        result = get_toolkit().triage.triage(text)
        audit_.detail = {"severity": result.severity, "review_id": result.review_id, "via": "web"}
    return render("console.html", result=result, text=text, 
                  pieces=cut(text, [(e.start, e.end, e.flag) for e in result.evidence]))
