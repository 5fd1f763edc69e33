"""Build the shipped synthetic datasets (triage.jsonl, summaries.jsonl) from the hand-written sources here.

Run: .venv/bin/python training_data/datasets/_build.py [--check]
Every record is validated through core.schemas before anything is written; --check only verifies
that the committed JSONL equals a fresh build (used by tests).
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parents[1])]

from core.schemas import (  # noqa: E402
    SUMMARY_MAX_WORDS,
    SessionSummary,
    TriageAssessment,
    consistency_problems,
    visible_words,
)

TRIAGE_SOURCES = ("_triage_crisis", "_triage_high", "_triage_moderate", "_triage_low")
SUMMARY_SOURCES = ("_summaries_a", "_summaries_b", "_summaries_c", "_summaries_d", "_summaries_e", "_summaries_f")
HARD_TAGS = ("indirect", "idiom", "negation", "third_person", "sarcasm", "short", "long",
             "typos", "injection")
LABEL_KEYS = ("severity", "concern_type", "recommended_action", "risk_flags",
              "empathetic_opening", "follow_up_question")


def _load(module_names: tuple[str, ...]) -> list:
    import importlib

    return [item for name in module_names for item in importlib.import_module(name).ITEMS]


def triage_record(n: int, item: tuple) -> dict:
    """item = (text, severity, concern, action, "flag flag", opening, question[, "tag tag"])."""
    text, sev, concern, action, flags, opening, question, *rest = item
    label = TriageAssessment(severity=sev, concern_type=concern, recommended_action=action,
                             risk_flags=flags.split(), empathetic_opening=opening,
                             follow_up_question=question)
    problems = consistency_problems(label.severity, label.recommended_action)
    if problems:
        raise ValueError(f"tri-{n:04d}: {problems}")
    tags = sorted(set((rest[0] if rest else "").split()))
    if "long" in tags and len(" ".join(text.split())) <= 1200:
        raise ValueError(f"tri-{n:04d}: tagged long but only {len(text)} chars")
    if "short" in tags and len(text) > 80:
        raise ValueError(f"tri-{n:04d}: tagged short but {len(text)} chars")
    unknown = set(tags) - set(HARD_TAGS)
    if unknown:
        raise ValueError(f"tri-{n:04d}: unknown tags {unknown}")
    return {"id": f"tri-{n:04d}", "text": " ".join(text.split()), **label.model_dump(),
            "tags": tags, "synthetic": True}


def summary_record(n: int, item: dict) -> dict:
    summary = SessionSummary(chief_complaint=item["cc"], symptoms=item["sx"], risk=item["risk"],
                             risk_note=item["note"], plan=item["plan"])
    html = summary.to_html()
    session = session_text(item["kind"], item["session"])
    words = len(session.split())
    if SessionSummary.from_html(html) != summary:
        raise ValueError(f"sum-{n:04d}: summary does not round-trip")
    if visible_words(html) > SUMMARY_MAX_WORDS:
        raise ValueError(f"sum-{n:04d}: summary has {visible_words(html)} words")
    if not 60 <= words <= 600:
        raise ValueError(f"sum-{n:04d}: session has {words} words")
    if item["kind"] == "transcript" and not session.startswith(("Therapist:", "Client:")):
        raise ValueError(f"sum-{n:04d}: transcript without Client: turns")
    record = {"id": f"sum-{n:04d}", "session": session, "kind": item["kind"],
              "summary": html, "risk": summary.risk, "synthetic": True}
    record.update({k: item[k] for k in ("client", "visit") if k in item})
    return record


def _all_or_errors(make, items: list) -> list[dict]:
    records, errors = [], []
    for i, item in enumerate(items, 1):
        try:
            records.append(make(i, item))
        except ValueError as exc:          # pydantic's ValidationError is a ValueError
            errors.append(f"#{i}: {exc}")
    if errors:
        raise ValueError(f"{len(errors)} invalid items:\n" + "\n".join(errors))
    return records


def build() -> dict[str, list[dict]]:
    triage = _all_or_errors(triage_record, _load(TRIAGE_SOURCES))
    summaries = _all_or_errors(summary_record, _load(SUMMARY_SOURCES))
    return {"triage.jsonl": triage, "summaries.jsonl": summaries}


def session_text(kind: str, raw: str) -> str:
    """Notes become one paragraph; transcripts keep one line per turn."""
    if kind == "notes":
        return " ".join(raw.split())
    return "\n".join(" ".join(line.split()) for line in raw.strip().splitlines() if line.strip())


def near_duplicates(texts: list[str], threshold: float = 85.0) -> list[tuple[int, int, float]]:
    from rapidfuzz import fuzz, process

    scores = process.cdist(texts, texts, scorer=fuzz.ratio, workers=1)
    return [(i, j, float(scores[i][j])) for i in range(len(texts))
            for j in range(i + 1, len(texts)) if scores[i][j] > threshold]


def dumps(records: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def report(sets: dict[str, list[dict]]) -> None:
    tri, summ = sets["triage.jsonl"], sets["summaries.jsonl"]
    print("triage", len(tri), dict(Counter(r["severity"] for r in tri)))
    print("concerns", dict(Counter(r["concern_type"] for r in tri)))
    print("tags", dict(Counter(t for r in tri for t in r["tags"])))
    print("summaries", len(summ), dict(Counter(r["risk"] for r in summ)),
          dict(Counter(r["kind"] for r in summ)))
    for name, key in (("triage", "text"), ("summaries", "session")):
        recs = sets[f"{name}.jsonl"]
        dups = near_duplicates([r[key] for r in recs])
        print(f"{name} near-duplicates > 85:", [(recs[i]["id"], recs[j]["id"], round(s)) for i, j, s in dups])


def main(argv: list[str]) -> int:
    sets = build()
    if "--check" in argv:
        stale = [n for n, recs in sets.items() if (HERE / n).read_text(encoding="utf-8") != dumps(recs)]
        if stale:
            print("stale:", ", ".join(stale), "- rerun _build.py")
            return 1
        return 0
    for name, records in sets.items():
        (HERE / name).write_text(dumps(records), encoding="utf-8")
    report(sets)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
