"""Benchmark: faithfulness, risk and trend of served session summaries on a multi-visit patients file.

    .venv/bin/python -m benchmarks.summaries_faithful --patients FILE [--model therapy-assistant] [--out result.json]

Every visit goes through the Summarizer as /summarize-sessions serves it, on the embedded default engine
(llama.cpp with the registry's therapy-assistant unless --model names another model or a .gguf). Printed:
per-field unsupported-claim rate, negation flips, invented entities, fields replaced by note extracts,
per-visit risk within one level of the label, crisis visits never served below crisis, and trend accuracy,
each against the goal issue 18 sets. Only ids, labels and figures are printed, never note text.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.settings import Settings  # noqa: E402
from tasks import ASSISTANT_MODEL  # noqa: E402

# metric -> (goal, higher is better)
GOALS = {"negation_flips": (0.0, False), "unsupported_claim_rate": (0.02, False),
         "risk_within_one": (0.90, True), "crisis_never_below": (1.0, True), "trend_accuracy": (0.90, True)}
SHOWN = ("unsupported_claim_rate", "unsupported_chief_complaint", "unsupported_symptoms", "unsupported_risk_note",
         "unsupported_plan", "negation_flips", "invented_entity_field_rate", "invented_entity_rate",
         "replaced_field_rate", "risk_within_one", "risk_agreement", "crisis_never_below", "trend_accuracy",
         "word_limit_compliance", "tag_compliance", "latency_p50_ms")


def run(patients_file: Path, model: str = ASSISTANT_MODEL, home: Path | None = None) -> dict:
    """Rows and metrics of every visit of `patients_file` summarized by `model` on the embedded engine."""
    from core.engine.registry import ModelRegistry
    from evaluation import patients, runners, scores

    settings = Settings(home=home or Path(tempfile.mkdtemp(prefix="bench-faithful-")), engine="llamacpp")
    engine = runners.open_engine(ModelRegistry(settings), model, "summarize", settings)
    _, items = patients.load_items(patients_file)
    rows = runners.run_items(items, runners.summary_scorer(engine, settings=settings),
                             lambda done, total: print(f"  visit {done}/{total}", file=sys.stderr, flush=True))
    runners.add_trends(rows)
    return {"patients_file": str(patients_file), "model": model, "engine": engine.name,
            "patients": len({r["patient"] for r in rows}), "visits": len(rows),
            "errors": sum(1 for r in rows if r.get("error")), "metrics": scores.scalars("summarize", rows),
            "misses": _misses(rows)}


def _misses(rows: list[dict]) -> dict:
    """Ids only: visits whose risk is off by more than a level (or a crisis served lower), trends missed,
    fields that failed a check."""
    return {"risk": [f"{r['id']}: {r.get('risk')} vs {r.get('gold_risk')}" for r in rows
                     if r.get("risk_within_one") is False or r.get("crisis_kept") is False],
            "trend": sorted({f"{r['patient']}: {r.get('trend')} vs {r.get('gold_trend')}" for r in rows
                             if r.get("trend_ok") is False}),
            "fields": [f"{r['id']}: {name}" + (" (flip)" if f["flip"] else "")
                       for r in rows for name, f in (r.get("fields") or {}).items() if f["unsupported"]]}


def _verdict(name: str, value: float | None) -> str:
    if name not in GOALS or value is None:
        return ""
    goal, higher = GOALS[name]
    ok = value >= goal if higher else value <= goal
    return f"(goal {'>=' if higher else '<='} {goal:g}) {'OK' if ok else 'BELOW GOAL'}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=Path, required=True, help="Multi-visit patients JSONL.")
    parser.add_argument("--model", default=ASSISTANT_MODEL, help="Model name or .gguf path.")
    parser.add_argument("--home", type=Path, help="Data folder (default: a new temporary one).")
    parser.add_argument("--out", type=Path, help="Also write the result (figures and ids, no text) as JSON here.")
    args = parser.parse_args()
    result = run(args.patients, args.model, args.home)
    print(f"{result['patients']} patients, {result['visits']} visits, model {result['model']} on {result['engine']}, "
          f"{result['errors']} failed visits")
    for name in SHOWN:
        value = result["metrics"].get(name)
        shown = "n/a" if value is None else (f"{value:.0f}" if name in ("negation_flips", "latency_p50_ms")
                                             else f"{value:.3f}")
        print(f"  {name:28s} {shown:>8s} {_verdict(name, value)}")
    for kind, misses in result["misses"].items():
        if misses:
            print(f"  missed {kind}: " + "; ".join(misses))
    if args.out:
        args.out.write_text(json.dumps(result, indent=2, default=str))


if __name__ == "__main__":
    main()
