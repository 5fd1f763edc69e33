"""Crisis-floor quality per labelled set: crisis recall, false crises, low messages raised, and speed.

Columns: crisis recall; non-crisis (high/moderate/low) called crisis; low called crisis; low raised to any
higher severity; per-message latency.

Run: .venv/bin/python -m benchmarks.floor [--ablate]
The held-out sets (tests/data/floor_holdout3-5.jsonl, notes_holdout1.jsonl) were written independently and
never used for tuning; the others were seen while writing rules (tuned). `--ablate` repeats every set with
the learned layer (backend/safety/learned.py) switched off, side by side.
"""
from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
SETS = {  # file -> (role, label field)
    "must_catch.jsonl": ("tuned", None), "near_misses.jsonl": ("tuned", None),
    "floor_holdout.jsonl": ("tuned", "label"), "floor_holdout2.jsonl": ("tuned", "label"),
    "floor_holdout3.jsonl": ("held-out", "label"), "floor_holdout4.jsonl": ("held-out", "label"),
    "floor_holdout5.jsonl": ("held-out", "label"), "notes_holdout1.jsonl": ("held-out", "label"),
}


def _label(name: str, row: dict, field: str | None) -> str:
    if field:
        return row[field]
    return "crisis" if row["expect"] == "crisis" else "not_crisis"  # must_catch / near_misses


def score(name: str, evaluate) -> dict:
    rows = [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    role, field = SETS[name]
    times, out = [], {"crisis": 0, "caught": 0, "other": 0, "false_crisis": 0, "low": 0, "low_raised": 0, "low_crisis": 0}
    for row in rows:
        started = time.perf_counter()
        got = evaluate(row["text"]).severity
        times.append((time.perf_counter() - started) * 1000)
        gold = _label(name, row, field)
        if gold == "crisis":
            out["crisis"] += 1
            out["caught"] += got == "crisis"
        else:
            out["other"] += 1
            out["false_crisis"] += got == "crisis"
        if gold == "low":
            out["low"] += 1
            out["low_raised"] += got != "low"
            out["low_crisis"] += got == "crisis"
    out.update(role=role, p50_ms=statistics.median(times), max_ms=max(times))
    return out


def _row(name: str, r: dict, tag: str) -> str:
    recall = f"{r['caught']}/{r['crisis']} ({r['caught'] / r['crisis']:.0%})" if r["crisis"] else "-"
    false = f"{r['false_crisis']}/{r['other']} ({r['false_crisis'] / r['other']:.0%})" if r["other"] else "-"
    raised = f"{r['low_raised']}/{r['low']}" if r["low"] else "-"
    low_crisis = f"{r['low_crisis']}/{r['low']}" if r["low"] else "-"
    return (f"{name:<22} {r['role']:<9} {tag:<8} {recall:>14} {false:>14} {low_crisis:>11} {raised:>9} "
            f"{r['p50_ms']:>7.2f} {r['max_ms']:>7.1f}")


def _without_learned(text: str):
    """floor.evaluate itself, with only the learned layer's merge made a pass-through."""
    from unittest import mock

    from backend.safety import floor, learned

    with mock.patch.object(learned, "merge", lambda result, text, model=None: result):
        return floor.evaluate(text)


def main(argv: list[str]) -> None:
    from backend.safety import floor

    variants = [("floor", floor.evaluate)] + ([("no-learn", _without_learned)] if "--ablate" in argv else [])
    print(f"{'set':<22} {'role':<9} {'variant':<8} {'crisis recall':>14} {'false crisis':>14} "
          f"{'low->crisis':>11} {'low->up':>9} {'p50 ms':>7} {'max ms':>7}")
    for name in SETS:
        if not (DATA / name).is_file():
            continue
        for tag, evaluate in variants:
            print(_row(name, score(name, evaluate), tag))


if __name__ == "__main__":
    main(sys.argv[1:])
