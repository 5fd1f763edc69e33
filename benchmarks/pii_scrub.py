"""De-identification benchmark: recall per identifier kind, over-scrubbing and speed, ours beside Presidio and philter.

Run: .venv/bin/python -m benchmarks.pii_scrub [--set NAME ...] [--show-misses]
The peers run in their own virtualenv (bash scripts/setup_peers.sh) through benchmarks/pii_peers.py; without it
only ours is measured. Sets: tests/data/pii_*.jsonl (see tests/data/pii_sets.md: which ones are blind).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from functools import partial
from pathlib import Path

from training_data.deid import find_many, measure, warm
from training_data.deid.spans import KINDS

ROOT = Path(__file__).resolve().parent.parent
SETS = {"canaries": ROOT / "tests" / "fixtures" / "data" / "pii_canaries.jsonl",
        "dev": ROOT / "tests" / "data" / "pii_dev.jsonl",
        "dev2": ROOT / "tests" / "data" / "pii_dev2.jsonl",
        "dev3": ROOT / "tests" / "data" / "pii_dev3.jsonl",
        "holdout3": ROOT / "tests" / "data" / "pii_holdout3.jsonl",
        "holdout1": ROOT / "tests" / "data" / "pii_holdout1.jsonl",
        "holdout2": ROOT / "tests" / "data" / "pii_holdout2.jsonl"}
PEERS_PYTHON = ROOT / ".venv-peers" / "bin" / "python"


def _lines(name: str) -> list[dict]:
    lines = measure.load(SETS[name])
    return measure.from_canaries(lines) if name == "canaries" else lines


def _patterns_only(texts: list[str]) -> list[measure.Found]:
    from training_data.deid import find_pii

    return [[(s.start, s.end, s.label) for s in find_pii(t, lexicons=False, ner=False)] for t in texts]


def _peer(tool: str, texts: list[str]) -> list[measure.Found]:
    payload = "".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in enumerate(texts))
    done = subprocess.run([str(PEERS_PYTHON), "-m", "benchmarks.pii_peers", "--tool", tool], input=payload,
                          capture_output=True, text=True, cwd=ROOT, check=True)
    by_id = {r["id"]: r["spans"] for r in map(json.loads, done.stdout.splitlines())}
    return [[tuple(s) for s in by_id.get(i, [])] for i in range(len(texts))]


def tools(peers: bool = True) -> dict:
    found = {"ours": measure.ours, "ours, patterns only": _patterns_only}
    if peers and PEERS_PYTHON.exists():
        found |= {"presidio": partial(_peer, "presidio"), "philter": partial(_peer, "philter")}
    return found


def _print(set_name: str, results: dict[str, dict], show_misses: bool) -> None:
    kinds = [k for k in KINDS if any(k in r["by_kind"] for r in results.values())]
    first = next(iter(results.values()))
    print(f"\n## {set_name}: {first['lines']} lines, {first['identifiers']} identifiers, {first['clean_words']} clean words")
    print(f"{'tool':<22}{'recall':>8}{'over-scrub':>11}{'clean lines':>12}{'texts/s':>9}  " + " ".join(f"{k[:6]:>6}" for k in kinds))
    for tool, r in results.items():
        per_kind = " ".join(f"{r['by_kind'][k]['recall']:>6.0%}" if k in r["by_kind"] else f"{'-':>6}" for k in kinds)
        speed = r["lines"] / r["seconds"] if r["seconds"] else 0
        print(f"{tool:<22}{r['recall']:>8.1%}{r['over_scrub_rate']:>11.1%}{r['clean_line_over_rate']:>12.1%}"
              f"{speed:>9.0f}  {per_kind}")
    print(f"{'(identifiers per kind)':<62}" + " ".join(f"{first['by_kind'][k]['total']:>6}" for k in kinds))
    if show_misses:
        for miss in results["ours"]["missed"]:
            print(f"  missed {miss['id']} {miss['kind']}: {miss['text']!r}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", dest="sets", action="append", choices=sorted(SETS))
    parser.add_argument("--no-peers", action="store_true", help="measure ours only")
    parser.add_argument("--show-misses", action="store_true", help="print ours' misses (never for a blind set you tune on)")
    args = parser.parse_args(argv)
    warm()
    find_many(["warm up the NER model"])
    for name in args.sets or [n for n, p in SETS.items() if p.exists()]:
        lines = _lines(name)
        results = {tool: measure.evaluate(lines, find) for tool, find in tools(not args.no_peers).items()}
        _print(name, results, args.show_misses)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
