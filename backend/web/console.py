"""Page: the triage console: paste a message, see the structured result, its evidence and the resources."""
from __future__ import annotations

from flask import g, request

from backend.audit import audited
from backend.context import get_toolkit
from backend.store.db import get_db
from backend.web.base import page, render
from backend.web.evidence import Piece
from core.errors import ValidationFailed


def _pieces(text: str, evidence: list) -> list[Piece]:
    """The message cut at the result's evidence spans (each span is exact: text[start:end])."""
    out, at = [], 0
    for span in sorted(evidence, key=lambda e: (e.start, -e.end)):
        if span.start < at:
            continue
        out += [Piece(text[at:span.start]), Piece(text[span.start:span.end], True, span.flag)]
        at = span.end
    return out + [Piece(text[at:])]


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
    return render("console.html", result=result, text=text, pieces=_pieces(text, result.evidence))
