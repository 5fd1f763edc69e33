"""Note formats as data: load formats.yaml, and draft a note's sections from a session summary."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from backend.summarize.faithful import NOT_DOCUMENTED
from core.errors import BadRequest, ConfigError

FORMATS_FILE = Path(__file__).with_name("formats.yaml")
FIELDS = ("chief_complaint", "symptoms", "risk", "risk_note", "plan")     # a summary's, plus {note}: the note


@dataclass(frozen=True)
class Section:
    label: str
    draft: str = ""
    hint: str = ""


@dataclass(frozen=True)
class NoteFormat:
    name: str
    title: str
    sections: tuple[Section, ...]
    max_words: int | None = None


@lru_cache(maxsize=4)
def formats(path: Path = FORMATS_FILE) -> dict[str, NoteFormat]:
    """Every format in the file, by name (ConfigError when one is malformed)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    try:
        return {name: NoteFormat(name=name, title=spec["title"], max_words=spec.get("max_words"),
                                 sections=tuple(Section(**s) for s in spec["sections"]))
                for name, spec in raw.items()}
    except (KeyError, TypeError) as exc:
        raise ConfigError(f"Note formats file is malformed: {exc}") from None


def get_format(name: str) -> NoteFormat:
    """The named format; BadRequest naming the known ones otherwise."""
    known = formats()
    if name not in known:
        raise BadRequest(f"Unknown note format '{name}'.", hint=f"known formats: {', '.join(known)}")
    return known[name]


def draft(note_format: NoteFormat, summary: dict[str, Any] | None, note: str = "") -> list[tuple[Section, str]]:
    """Each section with its drafted text (empty without a summary, or where the format leaves it to the
    clinician); a field the note does not document drafts as empty, for the clinician to write."""
    values = {k: str((summary or {}).get(k) or "").strip() for k in FIELDS}
    values = {k: "" if v.lower() == NOT_DOCUMENTED else v for k, v in values.items()} | {"note": note.strip()}
    out = []
    for section in note_format.sections:
        text = section.draft.format(**values) if summary else ""
        out.append((Section(section.label, section.draft, section.hint.format(**values)), _tidy(text)))
    return out


def _tidy(text: str) -> str:
    """Drop the punctuation left by an empty field ("x. " / ": ")."""
    text = " ".join(text.split())
    return "" if text.strip(" .:-") == "" else text
