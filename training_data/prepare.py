"""`data prepare`: load -> select -> PII scrub -> validate -> dedupe -> stratified split -> files + data card."""
from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from core import manifest
from core.errors import BadRequest, NotFound, ValidationFailed
from training_data import card, formats, hygiene, scrub

DATASETS_DIR = Path(__file__).with_name("datasets")
TASKS = ("chat", "triage", "summarize")
DEFAULT_INPUTS = {"triage": DATASETS_DIR / "triage.jsonl", "summarize": DATASETS_DIR / "summaries.jsonl"}
STRATUM = {"triage": lambda r: r["label"]["severity"], "summarize": lambda r: r["risk"],
           "chat": lambda r: r.get("topic") or "none"}
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
    if config.task not in TASKS:
        raise BadRequest(f"unknown task '{config.task}'", hint=f"choose one of {', '.join(TASKS)}")
    if config.inputs:
        paths = [Path(p) for p in config.inputs]
    elif config.task == "chat":
        paths = sorted((config.home / "data" / "imported").glob("*/records.jsonl"))
        if not paths:
            raise NotFound("no imported chat data", hint="run `main.py data import PATH` (e.g. a CounselChat CSV or zip) first")
    else:
        paths = [DEFAULT_INPUTS[config.task]]
    for path in paths:
        if not path.exists():
            raise NotFound(f"{path}: input not found")
    return paths


def run(config: PrepareConfig) -> PrepareResult:
    """Prepare one task's training data under <home>/data/prepared/<task>/; skipped when inputs are unchanged."""
    started = time.monotonic()
    paths = resolve_inputs(config)
    out_dir = config.home / "data" / "prepared" / config.task
    settings = {k: v for k, v in asdict(config).items() if k not in {"home", "force", "inputs"}}
    inputs = manifest.hash_inputs(paths)
    previous = manifest.read(out_dir)
    if not config.force and previous and previous.get("inputs") == inputs and previous.get("config") == settings:
        return PrepareResult(config.task, out_dir, previous.get("metrics", {}).get("counts", {}),
                             previous.get("metrics", {}).get("dropped", 0), up_to_date=True)
    rows, dropped = _rows(config, paths)
    scrub_counts = _scrub_rows(config.task, rows)
    rows = _validate(config.task, rows, dropped)
    rows = _dedupe(config, rows, dropped)
    if not rows:
        reasons = Counter(card.category(d["reason"]) for d in dropped).most_common(3)
        raise ValidationFailed(f"no usable {config.task} records in the inputs ({len(dropped)} dropped)",
                               hint="; ".join(f"{r}: {n}" for r, n in reasons) or "the inputs are empty")
    splits = hygiene.stratified_split(rows, STRATUM[config.task], config.seed)
    counts = {name: len(split) for name, split in splits.items()}
    _write(out_dir, splits)
    data_card = card.build(config.task, splits, dropped, scrub_counts, inputs)
    card.write(out_dir, data_card)
    metrics = {"counts": counts, "dropped": len(dropped), "scrubbed": scrub_counts}
    manifest.write_stage(out_dir, stage="prepare", inputs=inputs, config=settings, metrics=metrics)
    return PrepareResult(config.task, out_dir, counts, len(dropped), seconds=round(time.monotonic() - started, 2))


# --- Stages -------------------------------------------------------------------------------------
def _rows(config: PrepareConfig, paths: list[Path]) -> tuple[list[Row], list[dict[str, str]]]:
    records: list[Row] = []
    for path in paths:
        records += formats.load(path)[1]
    dropped: list[dict[str, str]] = []
    if config.task == "chat":
        return _chat_rows(config, records, dropped), dropped
    kind = "triage" if config.task == "triage" else "summary"
    rows = []
    for record in records:
        if record.get("kind") != kind:
            dropped.append({"id": record["id"], "reason": f"not a {kind} record ({record.get('kind')})"})
        elif kind == "triage":
            rows.append({"id": record["id"], "text": record["text"], "label": record["label"], "source": record["source"]})
        else:
            rows.append({"id": record["id"], "session": record["session"], "summary_html": record["summary_html"],
                         "risk": record.get("risk"), "source": record["source"]})
    return rows, dropped


def _chat_rows(config: PrepareConfig, records: list[Row], dropped: list[dict[str, str]]) -> list[Row]:
    """Chat records as they are; Q&A records: the best answer per question within the length bounds."""
    rows = [{"id": r["id"], "messages": r["messages"], "source": r["source"], "topic": r.get("topic")}
            for r in records if r.get("kind") == "chat"]
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
              "messages": [{"role": "user", "content": r["question"]}, {"role": "assistant", "content": r["answer"]}]}
             for r in best.values()]
    return rows


def _answer_rank(record: Row) -> tuple[int, int]:
    return (record.get("upvotes") or 0, len(record["answer"]))


def _scrub_rows(task: str, rows: list[Row]) -> dict[str, int]:
    counts: Counter[str] = Counter()
    fields = {"triage": ("text",), "summarize": ("session", "summary_html")}.get(task, ())
    for row in rows:
        for name in fields:
            row[name] = _scrubbed(row[name], counts)
        for message in row.get("messages", []):
            message["content"] = _scrubbed(message["content"], counts)
    return dict(sorted(counts.items()))


def _scrubbed(text: str, counts: Counter[str]) -> str:
    spans = scrub.find_pii(text)
    counts.update(s.label for s in spans)
    return scrub.scrub(text) if spans else text


def _validate(task: str, rows: list[Row], dropped: list[dict[str, str]]) -> list[Row]:
    kept = []
    for row in rows:
        reason = hygiene.VALIDATORS[task](row)
        if reason:
            dropped.append({"id": row["id"], "reason": reason})
        else:
            kept.append(row)
    return kept


def _dedupe(config: PrepareConfig, rows: list[Row], dropped: list[dict[str, str]]) -> list[Row]:
    texts = [_dedupe_text(config.task, r) for r in rows]
    duplicates = hygiene.near_duplicates(texts, config.similarity)
    for index, (kept, score) in sorted(duplicates.items()):
        dropped.append({"id": rows[index]["id"], "reason": f"near-duplicate of {rows[kept]['id']} ({score}%)"})
    return [r for i, r in enumerate(rows) if i not in duplicates]


def _dedupe_text(task: str, row: Row) -> str:
    if task == "triage":
        return row["text"]
    if task == "summarize":
        return row["session"]
    return "\n".join(m["content"] for m in row["messages"])


def _write(out_dir: Path, splits: dict[str, list[Row]]) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, rows in splits.items():
        tmp = out_dir / f"{name}.jsonl.tmp"
        tmp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        tmp.replace(out_dir / f"{name}.jsonl")
