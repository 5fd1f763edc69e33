"""Loaders for every native data format (files, Kaggle zips, folders), auto-detected from columns/keys."""
from __future__ import annotations

import csv
import html
import io
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from core.errors import BadRequest, NotFound, ValidationFailed

csv.field_size_limit(2**31 - 1)  # CounselChat has answers longer than the default 131,072 chars

DATA_SUFFIXES = (".csv", ".json", ".jsonl")
Record = dict[str, Any]


@dataclass(frozen=True)
class Format:
    """A native format: the columns/keys that identify it and the function normalizing one row."""

    name: str
    kind: str                      # "csv" or "json"
    required: tuple[str, ...]
    normalize: Callable[[Record, int, str], Record]


# --- Row normalizers: native row -> our record ------------------------------------------------
def _clean_html(text: str) -> str:
    text = re.sub(r"(?i)<br\s*/?>|</p>\s*<p>|</?p>", "\n", (text or "").replace("\xa0", " "))
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    text = re.sub(r"[ \t]+", " ", re.sub(r"\n\s*\n+", "\n\n", text))
    return "\n".join(line.strip() for line in text.splitlines()).strip()


def _int(value: Any) -> int | None:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


def _qa(rid: str, question: str, answer: str, source: str, **extra: Any) -> Record:
    return {"id": rid, "kind": "qa", "question": _clean_html(question), "answer": _clean_html(answer),
            "source": source, "topic": None, "upvotes": None, "views": None, "question_id": None, **extra}


def _counselchat(row: Record, n: int, source: str) -> Record:
    question = "\n".join(p for p in (row.get("questionTitle", "").strip(), row.get("questionText", "").strip()) if p)
    topic = (row.get("topic") or row.get("topics") or "").split(",")[0].strip().lower()
    topic = re.sub(r"[^a-z0-9]+", "-", topic).strip("-") or None      # "Children & Adolescents" -> children-adolescents
    index = (row.get("") or "").strip() or str(n)
    return _qa(f"counselchat-{row['questionID']}-{index}", question, row.get("answerText", ""), source,
               topic=topic, upvotes=_int(row.get("upvotes")), views=_int(row.get("views")),
               question_id=str(row["questionID"]))


def _conversations(row: Record, n: int, source: str) -> Record:
    return _qa(f"mhcc-{n}", str(row["Context"]), str(row["Response"]), source)


def _faq(row: Record, n: int, source: str) -> Record:
    return _qa(f"mhfaq-{row.get('Question_ID') or n}", row["Questions"], row["Answers"], source, topic="faq")


TRIAGE_FIELDS = ("severity", "concern_type", "recommended_action", "risk_flags",
                 "empathetic_opening", "follow_up_question")


def _triage(row: Record, n: int, source: str) -> Record:
    label = row.get("label") if isinstance(row.get("label"), dict) else {k: row.get(k) for k in TRIAGE_FIELDS if k in row}
    return {"id": str(row.get("id") or f"triage-{n}"), "kind": "triage", "text": row["text"], "label": label,
            "tags": row.get("tags", []), "synthetic": bool(row.get("synthetic", False)), "source": source}


def _summary(row: Record, n: int, source: str) -> Record:
    summary = row.get("summary_html") or row.get("summary")
    return {"id": str(row.get("id") or f"summary-{n}"), "kind": "summary", "session": row["session"],
            "summary_html": summary, "risk": row.get("risk"), "session_kind": row.get("kind"),
            "synthetic": bool(row.get("synthetic", False)), "source": source}


def _chat(row: Record, n: int, source: str) -> Record:
    messages = row["messages"]
    if not isinstance(messages, list) or not all(isinstance(m, dict) and {"role", "content"} <= set(m) for m in messages):
        raise ValidationFailed(f"{source}: row {n + 1}: 'messages' must be a list of {{role, content}} objects")
    return {"id": str(row.get("id") or f"chat-{n}"), "kind": "chat", "messages": messages,
            "topic": row.get("topic"), "source": source}


def _imported(row: Record, n: int, source: str) -> Record:
    return {**row, "id": str(row.get("id") or f"qa-{n}")}


FORMATS: tuple[Format, ...] = (
    Format("imported", "json", ("kind", "question", "answer"), _imported),
    Format("counselchat", "csv", ("questionID", "questionTitle", "questionText", "answerText", "upvotes"), _counselchat),
    Format("mental_health_faq", "csv", ("Question_ID", "Questions", "Answers"), _faq),
    Format("counseling_conversations", "json", ("Context", "Response"), _conversations),
    Format("triage", "json", ("text", "severity"), _triage),
    Format("triage", "json", ("text", "label"), _triage),
    Format("summary", "json", ("session", "summary"), _summary),
    Format("summary", "json", ("session", "summary_html"), _summary),
    Format("chat", "json", ("messages",), _chat),
)


def _detect(columns: Iterable[str], kind: str, source: str) -> Format:
    present = {c.strip() for c in columns if c is not None}
    for fmt in FORMATS:
        if fmt.kind == kind and set(fmt.required) <= present:
            return fmt
    expected = "; ".join(f"{f.name}: {', '.join(f.required)}" for f in FORMATS if f.kind == kind)
    shown = [c if len(c) <= 30 else c[:27] + "..." for c in sorted(present)[:8]]   # a headerless file's first row is text
    raise ValidationFailed(f"{source}: unrecognised {kind.upper()} columns {shown}",
                           hint=f"expected one of — {expected}")


# --- Readers: bytes -> rows --------------------------------------------------------------------
def _decode(data: bytes, source: str) -> str:
    if not data.strip():
        raise BadRequest(f"{source}: the file is empty")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadRequest(f"{source}: not UTF-8 text (invalid byte at offset {exc.start})",
                         hint="re-save the file as UTF-8") from None


def _read_csv(text: str, source: str) -> tuple[Format, list[Record]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    fmt = _detect(reader.fieldnames or [], "csv", source)
    try:
        rows = [{(k or "").strip(): v for k, v in row.items()} for row in reader]
    except csv.Error as exc:
        raise BadRequest(f"{source}: malformed CSV at line {reader.line_num}: {exc}") from None
    return fmt, rows


def _read_json(text: str, source: str) -> tuple[Format, list[Record]]:
    stripped = text.lstrip()
    try:
        rows = json.loads(stripped) if stripped.startswith("[") else [
            json.loads(line) for line in stripped.splitlines() if line.strip()]
    except json.JSONDecodeError as exc:
        raise BadRequest(f"{source}: invalid JSON: {exc}", hint="expected a JSON array or one object per line") from None
    if not rows or not all(isinstance(r, dict) for r in rows):
        raise BadRequest(f"{source}: expected a non-empty list of JSON objects")
    return _detect(rows[0].keys(), "json", source), rows


def load_bytes(data: bytes, name: str) -> tuple[str, list[Record]]:
    """Load one file's content; `name` decides CSV vs JSON and is recorded as each record's source."""
    text = _decode(data, name)
    fmt, rows = (_read_csv if name.lower().endswith(".csv") else _read_json)(text, name)
    records = []
    for n, row in enumerate(rows):
        missing = [c for c in fmt.required if row.get(c) is None]
        if missing:
            raise ValidationFailed(f"{name}: row {n + 1} lacks {', '.join(missing)}")
        records.append(fmt.normalize(row, n, Path(name).name))
    return fmt.name, records


def _members(path: Path) -> list[tuple[str, bytes]]:
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in DATA_SUFFIXES)
        return [(str(p.relative_to(path)), p.read_bytes()) for p in files]
    if path.suffix.lower() == ".zip" or zipfile.is_zipfile(path):
        return _zip_members(path)
    if path.suffix.lower() not in DATA_SUFFIXES:
        raise BadRequest(f"{path.name}: unsupported file type", hint="give a .csv, .json, .jsonl, .zip or a folder")
    return [(path.name, path.read_bytes())]


def _zip_members(path: Path) -> list[tuple[str, bytes]]:
    try:
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if n.lower().endswith(DATA_SUFFIXES) and "__MACOSX" not in n]
            return [(n, archive.read(n)) for n in sorted(names)]
    except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile, OSError) as exc:
        raise BadRequest(f"{path.name}: corrupt or truncated zip archive ({exc})",
                         hint="download or copy the archive again") from None


def load(path: str | Path) -> tuple[str, list[Record]]:
    """Load a file, Kaggle zip or folder -> (format name, normalized records). Formats joined by '+'."""
    path = Path(path)
    if not path.exists():
        raise NotFound(f"{path}: no such file or folder")
    members = _members(path)
    if not members:
        raise BadRequest(f"{path.name}: no .csv, .json or .jsonl files inside")
    names: list[str] = []
    records: list[Record] = []
    for name, data in members:
        fmt, rows = load_bytes(data, name)
        names.append(fmt)
        records.extend(rows)
    return "+".join(dict.fromkeys(names)), records
