"""Measures the PII scrubber on planted-PII canaries: recall, label agreement and false positives."""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, Callable

from training_data.scrub import Span, find_pii


def load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _covered(start: int, end: int, text: str, spans: list[Span]) -> Span | None:
    """The span covering every non-space character of text[start:end], or None when any leaks."""
    hits = set()
    for pos in range(start, end):
        if text[pos].isspace() or text[pos] in ",.":
            continue
        owner = next((s for s in spans if s.start <= pos < s.end), None)
        if owner is None:
            return None
        hits.add(owner)
    return next(iter(hits)) if hits else None


def evaluate(lines: list[dict[str, Any]], group: str = "canary",
             finder: Callable[[str], list[Span]] = find_pii) -> dict[str, Any]:
    """Recall over planted items of `group`; false positives over the clean sentences and unplanted spans."""
    planted = caught = same_label = spurious = 0
    missed: list[str] = []
    started = time.perf_counter()
    for line in (x for x in lines if x["group"] == group):
        text, spans = line["text"], finder(line["text"])
        covered_spans: set[Span] = set()
        for item, label in line["pii"]:
            planted += 1
            start = text.find(item)
            owner = _covered(start, start + len(item), text, spans)
            if owner is None:
                missed.append(f"{label}: {item!r} in {text!r}")
                continue
            caught += 1
            same_label += owner.label == label
            covered_spans |= {s for s in spans if s.start < start + len(item) and s.end > start}
        spurious += len([s for s in spans if s not in covered_spans])
    clean = [x["text"] for x in lines if x["group"] == "clean"]
    flagged = [t for t in clean if finder(t)]
    return {"group": group, "planted": planted, "caught": caught, "recall": caught / planted if planted else 1.0,
            "label_agreement": same_label / caught if caught else 0.0, "missed": missed,
            "spurious_spans": spurious, "clean_sentences": len(clean), "clean_flagged": len(flagged),
            "false_positive_rate": len(flagged) / len(clean) if clean else 0.0, "flagged": flagged,
            "seconds": round(time.perf_counter() - started, 3)}
