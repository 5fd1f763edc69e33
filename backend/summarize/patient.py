"""Summarize a patient's sessions: read, reuse cached summaries, generate the rest, then write all at once."""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Sequence

from sqlalchemy.orm import Session

from backend import audit
from backend.store import queries
from backend.summarize.progression import Visit, overall_risk, progression_html, risk_trend
from backend.summarize.service import MODEL_NAME, SessionResult, cache_key, model_identity, summarize_session
from core.engine.base import Engine
from core.errors import Conflict, NotFound
from core.prompts import SUMMARY_PROMPT_VERSION as PROMPT_VERSION
from core.schemas import max_severity

log = logging.getLogger("backend.summarize")


class NoSessions(Conflict):
    code = "no_sessions"


@dataclass
class _Source:
    session_id: int
    date: str
    text: str
    key: str


def load_sources(db: Session, patient_id: int, session_ids: Sequence[int] | None,
                 identity: str) -> list[_Source]:
    """The sessions to cover, oldest first (404 unknown patient/sessions, 409 when there are none)."""
    rows = queries.list_sessions(db, patient_id, session_ids)
    if session_ids is not None:
        missing = sorted(set(session_ids) - {r.id for r in rows})
        if missing:
            raise NotFound(f"Patient {patient_id} has no sessions with ids {missing}.",
                           details={"missing_session_ids": missing})
    if not rows:
        raise NoSessions(f"Patient {patient_id} has no sessions to summarize.",
                         hint=f"add one first: POST /patients/{patient_id}/sessions")
    return [_Source(r.id, r.date.isoformat(), r.text, cache_key(r.text, r.date.isoformat(), identity))
            for r in rows]


def cached_results(db: Session, keys: list[str]) -> dict[str, SessionResult]:
    return {key: SessionResult.from_dict(row.result) for key, row in queries.cached_summaries(db, keys).items()}


_LOCKS: dict[tuple[str, int], threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


def patient_lock(db: Session, patient_id: int) -> threading.Lock:
    """One lock per (database, patient): a retried or concurrent request waits, then reads the cache."""
    key = (str(db.get_bind().url), patient_id)
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(key, threading.Lock())


def summarize_patient(db: Session, engine: Engine, patient_id: int, *, actor: str,
                      session_ids: Sequence[int] | None = None, refresh: bool = False,
                      model_name: str = MODEL_NAME) -> dict[str, Any]:
    """The /summarize-sessions answer. No transaction is held while the model runs; the cache rows,
    review items and the audit row are written in one transaction at the end."""
    with patient_lock(db, patient_id):
        return _summarize_patient(db, engine, patient_id, actor=actor, session_ids=session_ids,
                                  refresh=refresh, model_name=model_name)


def _summarize_patient(db: Session, engine: Engine, patient_id: int, *, actor: str,
                       session_ids: Sequence[int] | None, refresh: bool, model_name: str) -> dict[str, Any]:
    identity = model_identity(engine)
    sources = load_sources(db, patient_id, session_ids, identity)
    cached = {} if refresh else cached_results(db, [s.key for s in sources])
    db.commit()                                              # release the database while generating
    fresh: dict[str, SessionResult] = {}
    for source in sources:
        if source.key not in cached and source.key not in fresh:
            start = time.perf_counter()
            fresh[source.key] = summarize_session(engine, source.text, source.date)
            log.info("summarized session %s in %.0f ms", source.session_id, (time.perf_counter() - start) * 1000)
    results = {**cached, **fresh}
    visits = [Visit(s.session_id, s.date, results[s.key]) for s in sources]
    review_ids = _store(db, patient_id, sources, fresh, identity)
    risk = overall_risk(visits)
    audit.record(db, actor=actor, action="summarize", outcome="ok", patient_id=patient_id,
                 session_ids=[s.session_id for s in sources],
                 detail={"generated": len(fresh), "cached": len(sources) - len(fresh), "refresh": refresh,
                         "risk": risk, "review_items": review_ids}, commit=False)
    db.commit()
    return {
        "patient_id": patient_id,
        "sessions": [{"session_id": v.session_id, "date": v.date, "summary_html": v.result.summary_html,
                      "risk": v.result.risk, "cached": v.session_id not in _fresh_ids(sources, fresh),
                      "chunks": v.result.chunks, "replaced": v.result.replaced} for v in visits],
        "progression_html": progression_html(visits),
        "risk": risk,
        "trend": risk_trend(visits),
        "needs_review": any(v.result.needs_review for v in visits),
        "review_item_ids": review_ids,
        "sessions_covered": len(visits),
        "model": model_name,
        "prompt_version": PROMPT_VERSION,
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def _fresh_ids(sources: list[_Source], fresh: dict[str, SessionResult]) -> set[int]:
    return {s.session_id for s in sources if s.key in fresh}


def _store(db: Session, patient_id: int, sources: list[_Source], fresh: dict[str, SessionResult],
           identity: str) -> list[int]:
    """Upsert fresh results into the cache and queue high/crisis ones for review (no commit)."""
    done = [(source, fresh[source.key]) for source in sources if source.key in fresh]
    queries.save_summaries(db, [(s.key, s.session_id, result.to_dict()) for s, result in done],
                           model=identity, prompt_version=PROMPT_VERSION)
    return [_review(db, patient_id, source, result) for source, result in done if result.needs_review]


def _review(db: Session, patient_id: int, source: _Source, result: SessionResult) -> int:
    return queries.add_review_item(
        db, kind="session_summary", severity=max_severity(result.risk, result.floor_risk), commit=False,
        reason=f"Session {source.session_id} summary risk is {result.risk}" + (
            f" (safety floor: {result.floor_risk}; the note denies what it matched)" if result.discounted else ""),
        payload={"session_id": source.session_id, "model_risk": result.model_risk,
                 "floor_risk": result.floor_risk, "floor_flags": result.floor_flags,
                 "floor_discounted": result.discounted, "replaced": result.replaced},
        patient_id=patient_id, session_id=source.session_id)
