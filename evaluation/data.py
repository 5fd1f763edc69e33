"""Evaluation items: the prepared test split, any file the data loaders read, or CSV/JSONL with a label map."""
from __future__ import annotations

import csv
import json
import random
import sys
from pathlib import Path
from typing import Any, Mapping

import tasks
from core.errors import BadRequest, NotFound
from core.settings import Settings
from evaluation import labels


def default_path(settings: Settings, task: str) -> Path:
    return settings.data_dir / "prepared" / task / "test.jsonl"


def load_items(task: str, settings: Settings, path: str | Path | None = None,
               label_map: str | Path | None = None, limit: int | None = None) -> tuple[Path, list[dict[str, Any]]]:
    """The labelled items to evaluate, as prepared records of `task` (`limit` of them, spread over labels)."""
    if path and not Path(path).exists():
        raise BadRequest(f"--data {path}: no such file or folder")
    path = Path(path) if path else default_path(settings, task)
    if not path.exists():
        raise NotFound(f"no evaluation data at {path}",
                       hint=f"run `main.py data prepare --task {task}` or pass --data FILE")
    if label_map:
        items = labels.apply(read_rows(path), labels.load_label_map(label_map), task, source=path.stem)
    else:
        items = [normalise(task, r, i, path.stem) for i, r in enumerate(_records(path))]
    items = [r for r in items if r is not None]
    if not items:
        raise BadRequest(f"{path} holds no {task} items", hint="check --task, or pass --label-map")
    return path, sample(task, items, limit) if limit else items


def sample(task: str, items: list[dict[str, Any]], limit: int, seed: int = 0) -> list[dict[str, Any]]:
    """`limit` items taken in turn from each label (seeded order within a label), so a short run still
    covers every class; the split files are ordered by label, so their first rows would not."""
    groups: dict[str, list[dict[str, Any]]] = {}
    label = tasks.get(task).label
    for item in items:
        groups.setdefault(str(label(item)), []).append(item)
    rng = random.Random(seed)
    for members in groups.values():
        rng.shuffle(members)
    picked: list[dict[str, Any]] = []
    while len(picked) < min(limit, len(items)):
        for members in groups.values():
            if members and len(picked) < limit:
                picked.append(members.pop())
    return picked


def read_rows(path: Path) -> list[dict[str, Any]]:
    """Rows of a CSV, JSONL or JSON (list) file."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            csv.field_size_limit(sys.maxsize)          # real exports hold fields over 128 KiB
            with path.open(newline="", encoding="utf-8-sig") as fh:
                return list(csv.DictReader(fh))
        text = path.read_text(encoding="utf-8")
        if suffix == ".json":
            data = json.loads(text)
            return data if isinstance(data, list) else data.get("records") or data.get("data") or []
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest(f"cannot parse {path.name}: {exc}", hint="expected CSV, JSONL or a JSON list") from None


def _records(path: Path) -> list[dict[str, Any]]:
    """Our own JSONL/JSON directly; anything else through the training-data loaders when they know it."""
    if path.suffix.lower() in (".jsonl", ".json") and path.is_file():
        return read_rows(path)
    try:
        from training_data import formats
    except ImportError:
        raise BadRequest(f"cannot read {path.name} without a label map", hint="pass --label-map FILE") from None
    _, records = formats.load(path)
    return list(records)


def normalise(task: str, record: Mapping[str, Any], index: int, source: str) -> dict[str, Any] | None:
    """A prepared record of `task` from our prepared or shipped shapes; None for records of another task."""
    return tasks.get(task).normalise(record, index, source)
