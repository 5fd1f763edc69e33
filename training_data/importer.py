"""`data import`: a file, Kaggle zip or folder -> <home>/data/imported/<name>/records.jsonl + manifest."""
from __future__ import annotations

import json
import re
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from core import manifest
from training_data import formats


@dataclass(frozen=True)
class ImportConfig:
    path: Path
    home: Path
    name: str | None = None                 # default: the file or folder name, slugified


@dataclass
class ImportResult:
    name: str
    format: str
    records: int
    out_dir: Path
    up_to_date: bool = False
    seconds: float = 0.0


def dataset_name(path: Path) -> str:
    stem = path.name[: -len(path.suffix)] if path.is_file() else path.name
    return re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "dataset"


def run(config: ImportConfig) -> ImportResult:
    """Load and normalize; rewrite only when the input files changed."""
    started = time.monotonic()
    path = Path(config.path)
    name = config.name or dataset_name(path)
    out_dir = config.home / "data" / "imported" / name
    fmt, records = formats.load(path)           # validates before anything is written
    inputs = manifest.hash_inputs([path])
    previous = manifest.read(out_dir / manifest.FILENAME)
    if previous and previous.get("inputs") == inputs and (out_dir / "records.jsonl").exists():
        return ImportResult(name, fmt, len(records), out_dir, up_to_date=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = out_dir / "records.jsonl.tmp"
    tmp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    tmp.replace(out_dir / "records.jsonl")
    metrics = {"format": fmt, "records": len(records), "by_kind": dict(Counter(r["kind"] for r in records)),
               "by_source": dict(Counter(r["source"] for r in records))}
    manifest.write_stage(out_dir, stage="import", inputs=inputs, config={"name": name}, metrics=metrics)
    return ImportResult(name, fmt, len(records), out_dir, seconds=round(time.monotonic() - started, 2))
