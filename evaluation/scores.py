"""Per-task metric tables: scalar metrics over per-item result rows (what the bootstrap resamples)."""
from __future__ import annotations

from typing import Any, Callable, Sequence

from core.schemas import SEVERITIES
from evaluation import metrics as m

Rows = Sequence[dict[str, Any]]


def _col(rows: Rows, key: str) -> list[Any]:
    return [r.get(key) for r in rows]


def _gold(rows: Rows, key: str) -> list[Any]:
    return [(r.get("gold") or {}).get(key) for r in rows]


def _pred(rows: Rows, key: str) -> list[Any]:
    return [(r.get("pred") or {}).get(key) for r in rows]


def _labelled(rows: Rows) -> list[dict[str, Any]]:
    return [r for r in rows if (r.get("gold") or {}).get("severity") in SEVERITIES]


def _sev(rows: Rows, floor: bool = False) -> tuple[list[str], list[str | None]]:
    rows = _labelled(rows)
    pred = _pred(rows, "severity")
    return _gold(rows, "severity"), m.with_floor(pred, _col(rows, "floor")) if floor else pred


def _crisis(stat: str, floor: bool) -> Callable[[Rows], float | None]:
    return lambda rows: m.binary_pr(*_sev(rows, floor), "crisis")[stat]


def _latency(q: float) -> Callable[[Rows], float | None]:
    return lambda rows: m.percentile([v for v in _col(rows, "latency_ms") if v is not None], q)


# name -> (aggregate over rows, higher is better)
TRIAGE: dict[str, tuple[Callable[[Rows], float | None], bool]] = {
    "schema_validity": (lambda rows: m.rate(_col(rows, "valid_first")), True),
    "severity_accuracy": (lambda rows: m.accuracy(*_sev(rows)), True),
    "severity_macro_f1": (lambda rows: m.macro_f1(*_sev(rows), SEVERITIES), True),
    "served_severity_accuracy": (lambda rows: m.accuracy(_gold(rows, "severity"), [(r.get("served") or {}).get(
        "severity") for r in rows]), True),
    "crisis_recall": (_crisis("recall", False), True),
    "crisis_precision": (_crisis("precision", False), True),
    "crisis_recall_with_floor": (_crisis("recall", True), True),
    "crisis_precision_with_floor": (_crisis("precision", True), True),
    "concern_accuracy": (lambda rows: m.accuracy(_gold(rows, "concern_type"), _pred(rows, "concern_type")), True),
    "action_consistency": (lambda rows: m.action_consistency(_pred(rows, "severity"),
                                                             _pred(rows, "recommended_action")), True),
    "ungrounded_flag_rate": (lambda rows: m.ungrounded_flag_rate(
        [p or [] for p in _pred(rows, "risk_flags")], _gold(rows, "risk_flags"),
        [e or [] for e in _col(rows, "evidence_flags")]), False),
    "latency_p50_ms": (_latency(50), False),
    "latency_p95_ms": (_latency(95), False),
}

def _agree(key: str) -> Callable[[Rows], float | None]:
    return lambda rows: m.rate([None if r.get("gold_risk") is None or r.get(key) is None
                                else r[key] == r["gold_risk"] for r in rows])


def _fields(rows: Rows, key: str, only: str | None = None) -> list[bool]:
    return [bool(f.get(key)) for r in rows for name, f in (r.get("fields") or {}).items() if only in (None, name)]


def _field_rate(key: str, only: str | None = None) -> Callable[[Rows], float | None]:
    return lambda rows: m.rate(_fields(rows, key, only)) if _fields(rows, key, only) else None


def _replaced_rate(rows: Rows) -> float | None:
    scored = [r for r in rows if r.get("fields")]
    return (sum(len(r.get("replaced") or ()) for r in scored) / (3 * len(scored))) if scored else None


def _trend_accuracy(rows: Rows) -> float | None:
    """Share of labelled patients whose computed trend matches the label (each patient once)."""
    seen = {r["patient"]: r.get("trend_ok") for r in rows if r.get("patient") is not None}
    return m.rate(list(seen.values()))


SUMMARIZE: dict[str, tuple[Callable[[Rows], float | None], bool]] = {
    "answer_rate": (lambda rows: m.rate(_col(rows, "valid_first")), True),
    "word_limit_compliance": (lambda rows: m.rate(_col(rows, "word_limit_ok")), True),
    "tag_compliance": (lambda rows: m.rate(_col(rows, "tags_ok")), True),
    "risk_agreement": (_agree("risk"), True),
    "risk_agreement_model": (_agree("model_risk"), True),
    "rouge_l": (lambda rows: m.mean(_col(rows, "rouge_l")), True),
    "embedding_similarity": (lambda rows: m.mean(_col(rows, "embedding_similarity")), True),
    "invented_entity_rate": (lambda rows: m.rate([None if r.get("invented") is None else bool(r["invented"])
                                                  for r in rows]), False),
    "unsupported_claim_rate": (_field_rate("unsupported"), False),             # of fields
    **{f"unsupported_{name}": (_field_rate("unsupported", name), False)
       for name in ("chief_complaint", "symptoms", "risk_note", "plan")},
    "negation_flips": (lambda rows: float(sum(_fields(rows, "flip"))) if _fields(rows, "flip") else None, False),
    "invented_entity_field_rate": (_field_rate("invented"), False),
    "replaced_field_rate": (_replaced_rate, False),                           # of the three checked fields
    "risk_within_one": (lambda rows: m.rate(_col(rows, "risk_within_one")), True),
    "crisis_never_below": (lambda rows: m.rate(_col(rows, "crisis_kept")), True),
    "trend_accuracy": (_trend_accuracy, True),
    "latency_p50_ms": (_latency(50), False),
    "latency_p95_ms": (_latency(95), False),
}

CHAT: dict[str, tuple[Callable[[Rows], float | None], bool]] = {
    "rouge_l": (lambda rows: m.mean(_col(rows, "rouge_l")), True),
    "embedding_similarity": (lambda rows: m.mean(_col(rows, "embedding_similarity")), True),
    "refusal_rate": (lambda rows: m.rate(_col(rows, "refusal")), False),
    "crisis_resource_rate": (lambda rows: m.rate([r.get("gave_resources") for r in rows if r.get("crisis")]), True),
    "latency_p50_ms": (_latency(50), False),
    "latency_p95_ms": (_latency(95), False),
}

TABLES = {"triage": TRIAGE, "summarize": SUMMARIZE, "chat": CHAT}        # tasks.Task.metric_table names one


def scalars(table: str, rows: Rows) -> dict[str, float | None]:
    return {name: fn(rows) for name, (fn, _) in TABLES[table].items()}


def triage_details(rows: Rows) -> dict[str, Any]:
    """Confusion matrices (model alone, with floor) and per-class precision/recall: not bootstrapped."""
    gold, pred = _sev(rows)
    _, floored = _sev(rows, floor=True)
    return {"labels": list(SEVERITIES), "columns": [*SEVERITIES, m.INVALID],
            "confusion": m.confusion_matrix(gold, pred, SEVERITIES),
            "confusion_with_floor": m.confusion_matrix(gold, floored, SEVERITIES),
            "per_class": m.per_class(gold, pred, SEVERITIES)}
