"""The data card (data_card.json + data_card.md): counts, length statistics and every dropped row."""
from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import tasks
from core.manifest import write_json
from training_data.hygiene import length_stats

Row = dict[str, Any]


def _count(values) -> dict[str, int]:
    return dict(sorted(Counter(values).items()))


def category(reason: str) -> str:
    """'near-duplicate of x (91.2%)' -> 'near-duplicate'; 'invalid severity: ...' -> 'invalid severity'."""
    return reason.split(" (")[0].split(":")[0].split(" of ")[0]


def build(task: str, splits: dict[str, list[Row]], dropped: list[dict[str, str]], deidentified: dict[str, Any],
          inputs: dict[str, str]) -> dict[str, Any]:
    rows, spec = [r for split in splits.values() for r in split], tasks.get(task)
    return {
        "task": task,
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "inputs": inputs,
        "counts": {"kept": len(rows), "dropped": len(dropped), **{k: len(v) for k, v in splits.items()}},
        "breakdown": spec.breakdowns(rows),
        "by_split": {name: spec.breakdowns(split) for name, split in splits.items()},
        "sources": _count(r["source"] for r in rows),
        "length_words": length_stats(len(spec.text(r).split()) for r in rows),
        "length_chars": length_stats(len(spec.text(r)) for r in rows),
        "deidentification": deidentified,
        "dropped_reasons": _count(category(d["reason"]) for d in dropped),
        "dropped": dropped,
    }


def render_markdown(card: dict[str, Any]) -> str:
    lines = [f"# Data card: {card['task']}", "", f"Generated {card['generated_at']}.", "", "## Inputs", ""]
    lines += [f"- `{Path(p).parent.name}/{Path(p).name}` sha256 `{h[:16]}…`" for p, h in card["inputs"].items()]
    lines += ["", "## Counts", "", "| kept | dropped | train | val | test |", "|---|---|---|---|---|",
              "| {kept} | {dropped} | {train} | {val} | {test} |".format(**card["counts"])]
    for name, counts in card["breakdown"].items():
        lines += ["", f"## Per {name}", "", f"| {name} | all | train | val | test |", "|---|---|---|---|---|"]
        lines += [f"| {value} | {n} | " + " | ".join(str(card["by_split"][s][name].get(value, 0))
                                                     for s in ("train", "val", "test")) + " |"
                  for value, n in counts.items()]
    lines += ["", "## Lengths", ""]
    lines += [f"- {unit}: " + ", ".join(f"{k} {v}" for k, v in card[unit].items()) for unit in ("length_words", "length_chars")]
    lines += _deidentification(card["deidentification"])
    lines += ["", "## Dropped rows", ""]
    lines += [f"- {reason}: {n}" for reason, n in card["dropped_reasons"].items()] or ["- none"]
    lines += ["", "| id | reason |", "|---|---|"] + [f"| {d['id']} | {d['reason']} |" for d in card["dropped"]]
    return "\n".join(lines) + "\n"


def _deidentification(report: dict[str, Any]) -> list[str]:
    lines = ["", "## De-identification", "",
             f"{report['identifiers']} identifiers replaced in {report['texts_changed']} of {report['texts']} texts "
             "(placeholders such as `[NAME_1]`, numbered within each record).", "", "| kind | replaced |", "|---|---|"]
    lines += [f"| {kind} | {n} |" for kind, n in report["by_kind"].items()] or ["| none | 0 |"]
    lines += ["", "| recognizer | spans |", "|---|---|"] + [f"| {r} | {n} |" for r, n in report["by_recognizer"].items()]
    lines += ["", "Sample of replaced spans (ids and offsets only, never the text):", "",
              "| row | field | kind | recognizer | start | length |", "|---|---|---|---|---|---|"]
    lines += [f"| {s['row']} | {s['field']} | {s['kind']} | {s['recognizer']} | {s['start']} | {s['length']} |"
              for s in report["sample"]]
    return lines


def write(out_dir: Path, card: dict[str, Any]) -> None:
    write_json(out_dir / "data_card.json", card)
    tmp = out_dir / "data_card.md.tmp"
    tmp.write_text(render_markdown(card), encoding="utf-8")
    tmp.replace(out_dir / "data_card.md")
