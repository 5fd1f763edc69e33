"""Rebuilds common_words.txt: lowercase English words, so the scrubber knows 'Grace' may be 'grace'.

Derived from the CounselChat answers and questions (MIT, nbertagnolli/counsel-chat): every word seen
at least twice in lower case, plus English words that double as first names or places.
Run: .venv/bin/python -m training_data.lexicon.build ../shared/data/counsel-chat/*.csv
"""
from __future__ import annotations

import collections
import re
import sys
from pathlib import Path

SUPPLEMENT = """amber angel april art august autumn bill bob brook buck candy carol chase cliff crystal daisy dale
dawn destiny dusty faith forest frank gene ginger glen grace grant hazel heather holly honor hope hunter
iris ivy jack jasmine jade joy june justice king lily mark march max may melody miles misty olive pat
patience pearl penny prince rain ray reed rich river robin rocky rose ruby rusty sandy sky star sterling
summer sunny violet wade will winter young mobile reading nice bath independence liberty victory
christian santa love eve earl major olympic carnegie batman emotional mayo god jesus lord bible
""".split()
OUT = Path(__file__).with_name("common_words.txt")


def build(paths: list[str]) -> list[str]:
    from training_data.formats import load

    counts: collections.Counter[str] = collections.Counter()
    for path in paths:
        for record in load(path)[1]:
            counts.update(re.findall(r"\b[a-z][a-z'-]+\b", f"{record['question']} {record['answer']}"))
    return sorted({w for w, n in counts.items() if n >= 2} | set(SUPPLEMENT))


if __name__ == "__main__":
    words = build(sys.argv[1:])
    OUT.write_text("\n".join(words) + "\n", encoding="utf-8")
    print(f"{len(words)} words -> {OUT}")
