"""Measures a de-identifier on annotated sets: recall per identifier kind, over-scrubbing of clean words, speed."""
from __future__ import annotations

import json
import re
import time
from collections import Counter
from pathlib import Path
from typing import Any, Callable, Iterable

Found = list[tuple[int, int, str]]            # (start, end, label) of what a tool would remove
_WORD = re.compile(r"\w+")


def load(path: Path) -> list[dict[str, Any]]:
    """Lines of {"text", "identifiers": [{"text", "kind"}], "allowed": [text]} (see tests/data/pii_*.md)."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def locate(text: str, pieces: Iterable[str]) -> list[tuple[int, int]]:
    """Offsets of each piece; a piece listed twice is found at its next occurrence."""
    seen: Counter[str] = Counter()
    out = []
    for piece in pieces:
        start = -1
        for _ in range(seen[piece] + 1):
            start = text.find(piece, start + 1)
        seen[piece] += 1
        if start < 0:
            raise ValueError(f"annotation not found in its text: {piece!r}")
        out.append((start, start + len(piece)))
    return out


def _covered(text: str, start: int, end: int, found: Found) -> str | None:
    """The label covering every letter and digit of text[start:end], or None when any leaks."""
    labels = []
    for pos in range(start, end):
        if not text[pos].isalnum():
            continue
        owner = next((f for f in found if f[0] <= pos < f[1]), None)
        if owner is None:
            return None
        labels.append(owner[2])
    return Counter(labels).most_common(1)[0][0] if labels else ""


def evaluate(lines: list[dict[str, Any]], find: Callable[[list[str]], list[Found]]) -> dict[str, Any]:
    texts = [line["text"] for line in lines]
    started = time.perf_counter()
    predictions = find(texts)
    seconds = time.perf_counter() - started
    kinds: dict[str, Counter[str]] = {}
    missed, words, over, clean_words, clean_over, same_label = [], 0, 0, 0, 0, 0
    for line, found in zip(lines, predictions):
        text, gold = line["text"], line.get("identifiers", [])
        spans = locate(text, [g["text"] for g in gold])
        for g, (s, e) in zip(gold, spans):
            label = _covered(text, s, e, found)
            counts = kinds.setdefault(g["kind"], Counter())
            counts["total"] += 1
            counts["caught"] += label is not None
            same_label += label == g["kind"]
            if label is None:
                missed.append({"id": line.get("id"), "kind": g["kind"], "text": g["text"]})
        protected = spans + locate(text, line.get("allowed", []))
        for w in _WORD.finditer(text):
            if any(s < w.end() and w.start() < e for s, e in protected):
                continue
            hit = any(f[0] < w.end() and w.start() < f[1] for f in found)
            words, over = words + 1, over + hit
            if not gold:
                clean_words, clean_over = clean_words + 1, clean_over + hit
    total = sum(c["total"] for c in kinds.values())
    caught = sum(c["caught"] for c in kinds.values())
    return {"identifiers": total, "caught": caught, "recall": caught / total if total else 1.0,
            "label_agreement": same_label / caught if caught else 0.0,
            "by_kind": {k: {"total": c["total"], "caught": c["caught"], "recall": c["caught"] / c["total"]}
                        for k, c in sorted(kinds.items())},
            "clean_words": words, "over_scrubbed": over, "over_scrub_rate": over / words if words else 0.0,
            "clean_line_words": clean_words, "clean_line_over": clean_over,
            "clean_line_over_rate": clean_over / clean_words if clean_words else 0.0,
            "lines": len(lines), "seconds": round(seconds, 3), "missed": missed}


def from_canaries(lines: list[dict[str, Any]], groups: tuple[str, ...] = ("canary", "clean")) -> list[dict[str, Any]]:
    """The planted-canary fixture ({"text", "pii": [[text, kind]], "group"}) in this module's set format."""
    return [{"id": f"canary-{i}", "text": x["text"], "identifiers": [{"text": t, "kind": k} for t, k in x["pii"]],
             "allowed": []} for i, x in enumerate(lines) if x["group"] in groups]


def ours(texts: list[str]) -> list[Found]:
    """Our de-identifier as a measured tool."""
    from training_data.deid import find_many

    return [[(s.start, s.end, s.label) for s in spans] for spans in find_many(texts)]
