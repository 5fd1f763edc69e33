"""Benchmark: first /summarize-sessions of a 10-session patient vs the cached second call, and summary compliance.

    .venv/bin/python benchmarks/summarize.py [--sessions 10] [--out result.json]

Both calls go through the real HTTP route (auth, store, audit) on the embedded therapy-assistant model,
side by side in one run. Compliance: every session summary under 50 visible words, only <b>/<br> tags,
and risk never below the triage floor of its session text.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from backend.demo import DEMO_PATIENTS  # noqa: E402
from core.settings import Settings  # noqa: E402
from tasks import ASSISTANT_MODEL  # noqa: E402

GOAL_RATIO = 10.0


@dataclass
class BenchConfig:
    sessions: int = 10
    home: Path | None = None


@dataclass
class BenchResult:
    sessions: int
    first_s: float
    cached_s: float
    ratio: float
    goal_ratio: float
    summaries: int
    under_limit: int
    tag_clean: int
    risk_at_or_above_floor: int
    max_words: int
    mean_words: float
    engine: str


def notes(count: int) -> list[str]:
    """`count` fictional notes: the demo practice's notes in turn, each tagged with its visit number."""
    pool = [text for _, sessions in DEMO_PATIENTS for _, text in sessions]
    return [f"Visit {i + 1}. {pool[i % len(pool)]}" for i in range(count)]


def run(config: BenchConfig) -> BenchResult:
    from backend import auth, create_app, store
    from core.engine.registry import ModelRegistry

    home = config.home or Path(tempfile.mkdtemp(prefix="bench-summarize-"))
    settings = Settings(home=home, engine="llamacpp")
    app = create_app({"SETTINGS": settings, "MODELS": ModelRegistry(settings)})
    with app.app_context(), store.get_store().session() as db:
        user, token = auth.create_user(db, "bench", "clinician")
        patient = store.create_patient(db, "Benchmark Person (FICTIONAL)")
        store.queries.assign(db, patient.id, user.id)
        for i, text in enumerate(notes(config.sessions)):
            store.add_session(db, patient.id, date_=date(2026, 1, 5) + timedelta(weeks=i), text=text, author="bench")
        db.commit()
        patient_id = patient.id
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    app.extensions["toolkit"].models.get(ASSISTANT_MODEL)     # load the model outside the timing
    first, first_s = _timed(client, headers, patient_id)
    cached, cached_s = _timed(client, headers, patient_id)
    assert cached["sessions"] == first["sessions"] or all(s["cached"] for s in cached["sessions"])
    return _result(first, first_s, cached_s, settings)


def _timed(client, headers, patient_id: int) -> tuple[dict, float]:
    start = time.perf_counter()
    response = client.post("/summarize-sessions", json={"patient_id": patient_id}, headers=headers)
    elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise SystemExit(f"summarize failed: {response.status_code} {response.json}")
    return response.json, elapsed


def _result(first: dict, first_s: float, cached_s: float, settings: Settings) -> BenchResult:
    from backend import store
    from backend.safety.floor import evaluate
    from core.schemas import severity_rank, visible_words

    with store.open_store(settings).session() as db:
        texts = {s.id: s.text for s in db.query(store.TherapySession)}
    rows = first["sessions"]
    words = [visible_words(s["summary_html"]) for s in rows]
    clean = [set(re.findall(r"</?\s*([A-Za-z0-9]+)", s["summary_html"])) <= {"b", "br"} for s in rows]
    floors = [severity_rank(s["risk"]) >= severity_rank(evaluate(texts[s["session_id"]]).severity) for s in rows]
    return BenchResult(sessions=first["sessions_covered"], first_s=round(first_s, 3), cached_s=round(cached_s, 4),
                       ratio=round(first_s / cached_s, 1), goal_ratio=GOAL_RATIO, summaries=len(rows),
                       under_limit=sum(w < 50 for w in words), tag_clean=sum(clean),
                       risk_at_or_above_floor=sum(floors), max_words=max(words),
                       mean_words=round(sum(words) / len(words), 1), engine="llama.cpp (embedded GGUF)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--home", type=Path, help="Data folder (default: a new temporary one).")
    parser.add_argument("--out", type=Path, help="Also write the result as JSON here.")
    args = parser.parse_args()
    result = run(BenchConfig(sessions=args.sessions, home=args.home))
    print(f"first call ({result.sessions} sessions, generated): {result.first_s:8.2f} s")
    print(f"second call (cached):                      {result.cached_s:8.4f} s")
    print(f"speed-up: {result.ratio}x (goal >= {GOAL_RATIO:g}x) {'OK' if result.ratio >= GOAL_RATIO else 'BELOW GOAL'}")
    print(f"summaries under 50 words: {result.under_limit}/{result.summaries} (max {result.max_words}, "
          f"mean {result.mean_words}); tag-clean: {result.tag_clean}/{result.summaries}; "
          f"risk >= floor: {result.risk_at_or_above_floor}/{result.summaries}")
    if args.out:
        args.out.write_text(json.dumps(asdict(result), indent=2))


if __name__ == "__main__":
    main()
