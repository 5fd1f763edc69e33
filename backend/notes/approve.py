"""Approving a note: the clinician's sections and risk (never below the floor's reading), stored with who and when."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.notes.formats import NoteFormat
from backend.store.db import begin_write
from backend.store.models import ApprovedNote, TherapySession, utcnow
from core.errors import NotFound, ValidationFailed
from core.schemas import SEVERITIES, severity_rank

SECTION_MAX_CHARS = 20000


def floor_minimum(text: str) -> str:
    """The lowest risk an approved note of `text` may carry: the crisis floor's reading of the note, without the
    hits the note itself explicitly denies (as the summary's own risk)."""
    from backend.safety.floor import evaluate
    from backend.summarize.evidence import ground_floor

    return ground_floor(text, evaluate(text)).risk


def check(note_format: NoteFormat, sections: dict[str, str], risk: str, minimum: str) -> dict[str, str]:
    """The sections in the format's order, each stripped; ValidationFailed naming every problem."""
    problems = []
    out = {}
    for section in note_format.sections:
        text = " ".join(str(sections.get(section.label) or "").split())
        if not text:
            problems.append(f"{section.label} is empty")
        elif len(text) > SECTION_MAX_CHARS:
            problems.append(f"{section.label} is longer than {SECTION_MAX_CHARS} characters")
        out[section.label] = text
    words = sum(len(t.split()) for t in out.values())
    if note_format.max_words and words > note_format.max_words:
        problems.append(f"the {note_format.title} is {words} words; the format allows {note_format.max_words}")
    if risk not in SEVERITIES:
        problems.append(f"risk must be one of {', '.join(SEVERITIES)}")
    elif severity_rank(risk) < severity_rank(minimum):
        problems.append(f"risk cannot be lower than the safety floor's reading of this note ({minimum})")
    if problems:
        raise ValidationFailed("The note cannot be approved: " + "; ".join(problems) + ".",
                               details={"problems": problems})
    return out


def approve(db: Session, session: TherapySession, note_format: NoteFormat, sections: dict[str, str], *,
            risk: str, by: str) -> ApprovedNote:
    """Store the approved note (caller commits, with its audit row)."""
    minimum = floor_minimum(session.text)
    checked = check(note_format, sections, risk, minimum)
    begin_write(db)
    note = ApprovedNote(session_id=session.id, format=note_format.name, sections=checked, risk=risk,
                        floor_risk=minimum, approved_by=by, approved_at=utcnow())
    db.add(note)
    db.flush()
    return note


def notes_of(db: Session, session_ids: list[int]) -> dict[int, list[ApprovedNote]]:
    """Approved notes per session, newest first."""
    out: dict[int, list[ApprovedNote]] = {i: [] for i in session_ids}
    query = select(ApprovedNote).where(ApprovedNote.session_id.in_(session_ids)).order_by(ApprovedNote.id.desc())
    for note in db.scalars(query):
        out[note.session_id].append(note)
    return out


def get_note(db: Session, note_id: int) -> ApprovedNote:
    note = db.get(ApprovedNote, note_id)
    if note is None:
        raise NotFound(f"No note with id {note_id}.")
    return note
