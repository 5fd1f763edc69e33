"""`data scrub FILE`: de-identify a practice's own text, JSONL or CSV file, or check it for residual identifiers."""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.errors import BadRequest, NotFound
from core.private import write_private
from training_data.deid import engine
from training_data.deid.report import Report

SUFFIXES = (".txt", ".md", ".jsonl", ".csv")


@dataclass(frozen=True)
class ScrubConfig:
    path: Path
    out: Path | None = None            # default: <name>.scrubbed<suffix> beside the input
    check: bool = False                # only look for identifiers; write nothing


@dataclass
class ScrubResult:
    path: Path
    out: Path | None
    report: dict[str, Any] = field(default_factory=dict)
    residual_lines: list[int] = field(default_factory=list)   # --check: 1-based records still holding identifiers


def run(config: ScrubConfig) -> ScrubResult:
    path = config.path
    if not path.is_file():
        raise NotFound(f"{path}: no such file")
    if path.suffix.lower() not in SUFFIXES:
        raise BadRequest(f"{path.name}: unsupported file type", hint=f"use one of {', '.join(SUFFIXES)}")
    try:
        records = _read(path)
    except (UnicodeDecodeError, json.JSONDecodeError, csv.Error) as exc:
        raise BadRequest(f"{path.name}: cannot be read ({type(exc).__name__})", hint="UTF-8 text, JSONL or CSV") from None
    cells = [(i, key) for i, record in enumerate(records) for key, value in record.items() if isinstance(value, str)]
    found = engine.find_many([records[i][key] for i, key in cells])
    report = Report()
    for (i, key), spans in zip(cells, found):
        report.add(str(i + 1), key, spans)
    if config.check:
        residual = sorted({i + 1 for (i, _), spans in zip(cells, found) if spans})
        return ScrubResult(path, None, report.as_dict(), residual)
    names: dict[int, engine.Pseudonyms] = {}
    for (i, key), spans in zip(cells, found):
        records[i][key] = engine.replace(records[i][key], spans, names.setdefault(i, engine.Pseudonyms()))
    out = config.out or path.with_name(f"{path.stem}.scrubbed{path.suffix}")
    _write(path, out, records)
    return ScrubResult(path, out, report.as_dict())


def _read(path: Path) -> list[dict[str, Any]]:
    text = path.read_text(encoding="utf-8")
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    if suffix == ".csv":
        return list(csv.DictReader(io.StringIO(text)))
    return [{"text": text}]


def _write(path: Path, out: Path, records: list[dict[str, Any]]) -> None:
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    elif suffix == ".csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(records[0]) if records else [])
        writer.writeheader()
        writer.writerows(records)
        body = buffer.getvalue()
    else:
        body = records[0]["text"]
    write_private(out, body)
