"""Crisis-floor quality like a clinician would measure it: per source, per layer, with bootstrap 95% intervals.

Columns per set: crisis recall, at-risk recall (high or crisis reached), false crisis (non-crisis called crisis),
false high (low/moderate raised to high or crisis), review lane share, latency p50/p99 per message.
Then: latency on 2,000-character messages, the semantic layer's leave-one-source-out table (from the model's
manifest, written by `main.py safety train`), and the kinds of held-out message the floor still misses.

Run: .venv/bin/python -m benchmarks.floor [--ablate] [--all]
Held-out sets (tests/data/) were written by authors who never saw the rules or the training data and are never
trained on; `--all` adds the training sets (backend/safety/data/, in-sample, optimistic). `--ablate` repeats the
held-out sets with one layer left out at a time (backend/safety/pipeline.py: a configuration, not a patch).
"""
from __future__ import annotations

import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

from evaluation.bootstrap import interval

ROOT = Path(__file__).resolve().parent.parent
HELD_OUT = ROOT / "tests" / "data"
TRAINING = ROOT / "backend" / "safety" / "data"
SETS = {  # file -> (folder, role)
    "floor_holdout3.jsonl": (HELD_OUT, "held-out"), "floor_holdout4.jsonl": (HELD_OUT, "held-out"),
    "floor_holdout5.jsonl": (HELD_OUT, "held-out"), "notes_holdout1.jsonl": (HELD_OUT, "held-out"),
    "floor_holdout6.jsonl": (HELD_OUT, "held-out"), "notes_holdout2.jsonl": (HELD_OUT, "held-out"),
    "floor_holdout7.jsonl": (HELD_OUT, "held-out"), "notes_holdout3.jsonl": (HELD_OUT, "held-out"),
    "floor_holdout8.jsonl": (HELD_OUT, "held-out"), "notes_holdout4.jsonl": (HELD_OUT, "held-out"),
    "must_catch.jsonl": (TRAINING, "trained"), "near_misses.jsonl": (TRAINING, "trained"),
    "floor_holdout.jsonl": (TRAINING, "trained"), "floor_holdout2.jsonl": (TRAINING, "trained"),
    "notes.jsonl": (TRAINING, "trained"), "messages.jsonl": (TRAINING, "trained"),
}
RANK = {"low": 0, "moderate": 1, "high": 2, "crisis": 3}


def load(name: str) -> list[dict]:
    folder, _ = SETS[name]
    rows = [json.loads(line) for line in (folder / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    for r in rows:  # must_catch / near_misses say only crisis / not crisis
        r.setdefault("label", "crisis" if r.get("expect") == "crisis" else "not_crisis")
    return rows


def judge(rows: list[dict], evaluate) -> list[dict]:
    """Each row with the floor's severity, lane and latency."""
    out = []
    for r in rows:
        started = time.perf_counter()
        result = evaluate(r["text"])
        out.append({**r, "got": result.severity, "lane": result.lane,
                    "ms": (time.perf_counter() - started) * 1000})
    return out


def _rate(items: list[dict], hit) -> str:
    if not items:
        return "-"
    agg = lambda xs: sum(map(hit, xs)) / len(xs) if xs else None  # noqa: E731
    low, high = interval(items, agg)
    return f"{agg(items):.0%} [{low:.0%}-{high:.0%}] n={len(items)}"


def metrics(judged: list[dict]) -> dict[str, str]:
    crisis = [r for r in judged if r["label"] == "crisis"]
    at_risk = [r for r in judged if r["label"] in ("crisis", "high")]
    other = [r for r in judged if r["label"] != "crisis"]
    calm = [r for r in judged if r["label"] in ("low", "moderate")]
    times = sorted(r["ms"] for r in judged)
    return {"crisis recall": _rate(crisis, lambda r: r["got"] == "crisis"),
            "at-risk recall": _rate(at_risk, lambda r: RANK[r["got"]] >= 2),
            "false crisis": _rate(other, lambda r: r["got"] == "crisis"),
            "false high": _rate(calm, lambda r: RANK[r["got"]] >= 2),
            "review lane": f"{sum(r['lane'] == 'possible_risk' for r in judged)}/{len(judged)}",
            "p50/p99 ms": f"{statistics.median(times):.1f}/{times[int(0.99 * (len(times) - 1))]:.1f}"}


def print_table(title: str, rows: list[tuple[str, dict[str, str]]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    columns = ["set", *rows[0][1]] if rows else ["set"]
    for c in columns:
        table.add_column(c)
    for name, m in rows:
        table.add_row(name, *m.values())
    Console(width=200).print(table)


def long_latency(evaluate, runs: int = 100) -> str:
    """p50/p99 on 2,000-character messages (calm prose with one risk sentence in the middle)."""
    calm = "Work has been busy and my sister visited at the weekend; we cooked and watched a film together. "
    texts = [(calm * 11)[:900] + " I have been thinking that everyone would be better off without me. "
             + (calm * 11)[:1000 - i] for i in range(5)]
    evaluate(texts[0])
    times = []
    for i in range(runs):
        started = time.perf_counter()
        evaluate(texts[i % len(texts)])
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return f"2,000-character message, {runs} runs: p50 {statistics.median(times):.1f} ms, " \
           f"p99 {times[int(0.99 * (runs - 1))]:.1f} ms"


def loso_rows() -> list[tuple[str, dict[str, str]]]:
    from backend.safety.semantic import MODEL_FILE

    body = json.loads(MODEL_FILE.with_suffix(".manifest.json").read_text(encoding="utf-8"))
    pct = lambda v: "-" if v is None else f"{v:.0%}"  # noqa: E731
    return [(source, {"n": str(m["n"]), "crisis recall": pct(m.get("crisis_recall")),
                      "false crisis": pct(m.get("false_crisis")), "at-risk recall": pct(m.get("at_risk_recall")),
                      "false alarm": pct(m.get("false_alarm")),
                      "AUC crisis/risk": f"{m.get('crisis_auc') or '-'} / {m.get('risk_auc') or '-'}"})
            for source, m in body["leave_one_source_out"].items()]


def misses(judged: dict[str, list[dict]]) -> list[tuple[str, dict[str, str]]]:
    """Held-out messages whose severity is below the label's lane: crises not called crisis, highs not high."""
    found: Counter = Counter()
    for name, rows in judged.items():
        for r in rows:
            if r["label"] in ("crisis", "high") and RANK[r["got"]] < RANK[r["label"]]:
                found[(name.split(".")[0], r["label"], r.get("kind", "-"), r["got"])] += 1
    return [(s, {"label": lab, "kind": kind, "got": got, "count": str(n)})
            for (s, lab, kind, got), n in sorted(found.items())]


def main(argv: list[str]) -> None:
    from backend.safety import floor
    from backend.safety.pipeline import ablations

    names = [n for n, (_, role) in SETS.items() if role == "held-out" or "--all" in argv]
    names = [n for n in names if (SETS[n][0] / n).is_file()]
    judged = {n: judge(load(n), floor.evaluate) for n in names}
    print_table("crisis floor, all layers", [(f"{n} ({SETS[n][1]})", metrics(j)) for n, j in judged.items()])
    if "--ablate" in argv:
        rows = []
        for tag, pipeline in ablations().items():
            if tag == "all":
                continue
            for n in (n for n in names if SETS[n][1] == "held-out"):
                rows.append((f"{n} {tag}", metrics(judge(load(n), lambda t, p=pipeline: floor.evaluate(t, pipeline=p)))))
        print_table("ablation: one layer left out", rows)
    print(long_latency(floor.evaluate))
    print_table("semantic layer, leave-one-source-out (each source scored by a model that never saw it)", loso_rows())
    held = {n: j for n, j in judged.items() if SETS[n][1] == "held-out"}
    print_table("held-out messages still under their label", misses(held))


if __name__ == "__main__":
    main(sys.argv[1:])
