"""PII scrub benchmark: canary recall and false-positive rate, full scrubber vs. patterns-only, plus speed.

Run: .venv/bin/python -m benchmarks.pii_scrub
"""
from __future__ import annotations

import time
from functools import partial
from pathlib import Path

from training_data import canaries, formats
from training_data.scrub import find_pii, warm

ROOT = Path(__file__).resolve().parent.parent
CANARIES = ROOT / "tests" / "fixtures" / "data" / "pii_canaries.jsonl"
CORPORA = (ROOT.parent / "shared" / "data" / "counsel-chat" / "20200325_counsel_chat.csv",
           ROOT / "tests" / "fixtures" / "data" / "counselchat_20200325_sample.csv")


def _speed(finder) -> tuple[str, int, float]:
    path = next(p for p in CORPORA if p.exists())
    texts = [f"{r['question']}\n{r['answer']}" for r in formats.load(path)[1]]
    started = time.perf_counter()
    found = sum(len(finder(t)) for t in texts)
    return path.name, len(texts), found, time.perf_counter() - started


def main() -> None:
    lines = canaries.load(CANARIES)
    started = time.perf_counter()
    warm()
    print(f"lexicons loaded in {time.perf_counter() - started:.2f}s")
    finders = {"full (patterns + name/place lexicons)": find_pii,
               "patterns only (no lexicons)": partial(find_pii, lexicons=False)}
    print(f"\n{'scrubber':<40} {'group':<7} {'recall':>8} {'caught':>9} {'label ok':>9} {'FP rate':>8} {'spurious':>9}")
    for name, finder in finders.items():
        for group in ("canary", "stress"):
            r = canaries.evaluate(lines, group, finder)
            print(f"{name:<40} {group:<7} {r['recall']:>8.1%} {r['caught']:>4}/{r['planted']:<4} "
                  f"{r['label_agreement']:>9.1%} {r['false_positive_rate']:>8.1%} {r['spurious_spans']:>9}")
    full = canaries.evaluate(lines, "canary")
    print(f"\nclean sentences: {full['clean_sentences']}, flagged by the full scrubber: {full['clean_flagged']}")
    for miss in full["missed"]:
        print("  missed", miss)
    for name, finder in finders.items():
        corpus, n, found, seconds = _speed(finder)
        print(f"speed {name:<40} {n} records of {corpus}: {seconds:.2f}s ({n / seconds:.0f}/s), {found} spans")


if __name__ == "__main__":
    main()
