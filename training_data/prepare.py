"""`data prepare`: load -> select -> de-identify -> validate -> dedupe -> stratified split -> files + data card."""
from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import tasks
from core import manifest
from core.errors import NotFound, ValidationFailed
from training_data import card, deid, formats, hygiene
from training_data.deid import report as deid_report

DATASETS_DIR = Path(__file__).with_name("datasets")
Row = dict[str, Any]


@dataclass(frozen=True)
class PrepareConfig:
    task: str
    home: Path
    inputs: tuple[str, ...] = ()          # default: shipped sets (triage, summarize) or imported data (chat)
    seed: int = 1234
    similarity: float = 85.0              # near-duplicates above this fuzz.ratio are dropped
    min_answer_words: int = 40            # chat: answers shorter than this are not "high quality"
    max_answer_words: int = 600           # chat: longer answers do not fit a small model's context
    force: bool = False


@dataclass
class PrepareResult:
    task: str
    out_dir: Path
    counts: dict[str, int] = field(default_factory=dict)
    dropped: int = 0
    up_to_date: bool = False
    seconds: float = 0.0


def resolve_inputs(config: PrepareConfig) -> list[Path]:
    task = tasks.get(config.task)
    if config.inputs:
        paths = [Path(p) for p in config.inputs]
    elif task.dataset is None:
        paths = sorted((config.home / "data" / "imported").glob("*/records.jsonl"))
        if not paths:
            raise NotFound(f"no imported {task.name} data",
                           hint="run `main.py data import PATH` (e.g. a CounselChat CSV or zip) first")
    else:
        paths = [DATASETS_DIR / task.dataset]
    for path in paths:
        if not path.exists():
            raise NotFound(f"{path}: input not found")
    return paths


def run(config: PrepareConfig) -> PrepareResult:
    """Prepare one task's training data under <home>/data/prepared/<task>/; skipped when inputs are unchanged."""
    started = time.monotonic()
    paths, task = resolve_inputs(config), tasks.get(config.task)
    out_dir = config.home / "data" / "prepared" / config.task
    settings = {k: v for k, v in asdict(config).items() if k not in {"home", "force", "inputs"}}
    inputs = manifest.hash_inputs(paths)
    previous = manifest.read(out_dir / manifest.FILENAME)
    if not config.force and previous and previous.get("inputs") == inputs and previous.get("config") == settings:
        return PrepareResult(config.task, out_dir, previous.get("metrics", {}).get("counts", {}),
                             previous.get("metrics", {}).get("dropped", 0), up_to_date=True)
    rows, dropped = _rows(config, task, paths)
    scrub_counts = _scrub_rows(task, rows)
    rows = _validate(task, rows, dropped)
    rows = _dedupe(config, task, rows, dropped)
    if not rows:
        reasons = Counter(card.category(d["reason"]) for d in dropped).most_common(3)
        raise ValidationFailed(f"no usable {config.task} records in the inputs ({len(dropped)} dropped)",
                               hint="; ".join(f"{r}: {n}" for r, n in reasons) or "the inputs are empty")
    splits = hygiene.stratified_split(rows, task.stratum, config.seed)
    counts = {name: len(split) for name, split in splits.items()}
    _write(out_dir, splits)
    data_card = card.build(config.task, splits, dropped, scrub_counts, inputs)
    card.write(out_dir, data_card)
    metrics = {"counts": counts, "dropped": len(dropped), "identifiers": scrub_counts["by_kind"]}
    manifest.write_stage(out_dir, stage="prepare", inputs=inputs, config=settings, metrics=metrics)
    return PrepareResult(config.task, out_dir, counts, len(dropped), seconds=round(time.monotonic() - started, 2))


# --- Stages -------------------------------------------------------------------------------------
def _rows(config: PrepareConfig, task: tasks.Task, paths: list[Path]) -> tuple[list[Row], list[dict[str, str]]]:
    records: list[Row] = []
    for path in paths:
        records += formats.load(path)[1]
    dropped: list[dict[str, str]] = []
    if task.qa_answers:
        return _qa_rows(config, task, records, dropped), dropped
    rows = []
    for record in records:
        if record.get("kind") != task.record_kind:
            dropped.append({"id": record["id"], "reason": f"not a {task.record_kind} record ({record.get('kind')})"})
        else:
            rows.append(task.row(record))
    return rows, dropped


def _qa_rows(config: PrepareConfig, task: tasks.Task, records: list[Row], dropped: list[dict[str, str]]) -> list[Row]:
    """The task's records as they are; Q&A records: the best answer per question within the length bounds."""
    rows = [task.row(r) for r in records if r.get("kind") == task.record_kind]
    best: dict[tuple[str, str], Row] = {}
    for record in (r for r in records if r.get("kind") == "qa"):
        words = len(record["answer"].split())
        if not config.min_answer_words <= words <= config.max_answer_words:
            bound = "short" if words < config.min_answer_words else "long"
            dropped.append({"id": record["id"], "reason": f"answer too {bound} ({words} words)"})
            continue
        key = (record["source"], record.get("question_id") or record["question"].strip().lower())
        incumbent = best.get(key)
        if incumbent is None or _answer_rank(record) > _answer_rank(incumbent):
            best[key], record = record, incumbent
        if record is not None:
            dropped.append({"id": record["id"], "reason": "not the best answer to its question (upvotes, length)"})
    rows += [{"id": r["id"], "source": r["source"], "topic": r.get("topic"),
              "messages": tasks.qa_messages(r["question"], r["answer"])} for r in best.values()]
    return rows


def _answer_rank(record: Row) -> tuple[int, int]:
    return (record.get("upvotes") or 0, len(record["answer"]))


def _scrub_rows(task: tasks.Task, rows: list[Row]) -> dict[str, Any]:
    """De-identify every scrubbed field in place; one row is one document (its placeholders are numbered together)."""
    fields = [(row, name, row, name) for row in rows for name in task.scrub_fields]
    fields += [(row, f"messages[{i}]", message, "content") for row in rows
               for i, message in enumerate(row.get("messages", []))]
    found = deid.find_many([holder[key] for _, _, holder, key in fields])
    report, pseudonyms = deid_report.Report(), {}
    for (row, label, holder, key), spans in zip(fields, found):
        report.add(str(row["id"]), label, spans)
        if spans:
            names = pseudonyms.setdefault(id(row), deid.Pseudonyms())
            holder[key] = deid.replace(holder[key], spans, names)
    return report.as_dict()


def _validate(task: tasks.Task, rows: list[Row], dropped: list[dict[str, str]]) -> list[Row]:
    kept = []
    for row in rows:
        reason = task.problem(row)
        if reason:
            dropped.append({"id": row["id"], "reason": reason})
        else:
            kept.append(row)
    return kept


def _dedupe(config: PrepareConfig, task: tasks.Task, rows: list[Row], dropped: list[dict[str, str]]) -> list[Row]:
    texts = [task.text(r) for r in rows]
    duplicates = hygiene.near_duplicates(texts, config.similarity)
    for index, (kept, score) in sorted(duplicates.items()):
        dropped.append({"id": rows[index]["id"], "reason": f"near-duplicate of {rows[kept]['id']} ({score}%)"})
    return [r for i, r in enumerate(rows) if i not in duplicates]


def _write(out_dir: Path, splits: dict[str, list[Row]]) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, rows in splits.items():
        tmp = out_dir / f"{name}.jsonl.tmp"
        tmp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        tmp.replace(out_dir / f"{name}.jsonl")
