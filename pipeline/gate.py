"""The promotion gate: a candidate export vs the model it would replace, on the held-out test split, by rules as data."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable

import tasks
from core import manifest
from core.settings import Settings


@dataclass(frozen=True)
class Rule:
    """One check: `all` (the candidate scores 1.0), `not_lower` (>= the served model), `not_worse` (the paired
    bootstrap does not call it significantly worse), `within` (the export's verify figure is at most `bound`)."""

    metric: str
    kind: str
    bound: float | None = None


RULES: dict[str, tuple[Rule, ...]] = {            # keyed by tasks.Task.metric_table
    "triage": (Rule("schema_validity", "all"), Rule("crisis_recall_with_floor", "not_lower"),
               Rule("severity_macro_f1", "not_worse"), Rule("perplexity_delta_pct", "within", 10.0)),
    "summarize": (Rule("answer_rate", "all"), Rule("crisis_never_below", "not_lower"),
                  Rule("tag_compliance", "not_worse"), Rule("word_limit_compliance", "not_worse"),
                  Rule("perplexity_delta_pct", "within", 10.0)),
}


@dataclass
class GateConfig:
    limit: int | None = 60             # test items per system (spread over labels); None: the whole split
    n_resamples: int = 1000
    seed: int = 0


@dataclass
class Decision:
    promote: bool
    reasons: list[str] = field(default_factory=list)       # why not (empty when promoted)
    checks: list[dict[str, Any]] = field(default_factory=list)
    report: str | None = None                              # the A/B report folder

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def summary(self) -> str:
        return "better or not worse on every check" if self.promote else "; ".join(self.reasons)


def evaluate(name: str, export: Path, settings: Settings, cfg: GateConfig | None = None, *,
             progress: Callable[[str, int, int], None] | None = None, practice: Path | None = None) -> Decision:
    """A/B the export's GGUF against what `name` serves now, on the test split, and decide; with `practice`
    (the held-out share of the practice's own reviews) the candidate must also pass the same rules there."""
    body = manifest.read(export / "manifest.json") or {}
    candidate = str((export / body["primary"]).resolve())
    decision = compare(name, candidate, settings, cfg, verify=primary_verify(body), out_dir=export / "gate",
                       progress=progress)
    if practice is None:
        return decision
    own = compare(name, candidate, settings, cfg, verify=primary_verify(body), out_dir=export / "gate" / "practice",
                  data=str(practice), progress=progress)
    return both(decision, own, "practice reviews")


def both(first: Decision, second: Decision, label: str) -> Decision:
    """Promote only when both pass; the second's checks and reasons are marked with `label`."""
    return Decision(promote=first.promote and second.promote,
                    reasons=first.reasons + [f"{label}: {r}" for r in second.reasons],
                    checks=first.checks + [{**c, "on": label} for c in second.checks], report=first.report)


def compare(name: str, candidate: str, settings: Settings, cfg: GateConfig | None = None, *,
            verify: dict[str, Any] | None = None, out_dir: Path | None = None, registry: Any = None,
            data: str | None = None, progress: Callable[[str, int, int], None] | None = None) -> Decision:
    """A/B `candidate` (a GGUF path or model name) against model `name` on `name`'s task, and decide."""
    from evaluation.evaluate import EvalConfig, run

    cfg = cfg or GateConfig()
    task = tasks.for_model(name)
    out = run(EvalConfig(task=task.name, model=candidate, baseline=name, limit=cfg.limit, embeddings=False,
                         data=data, n_resamples=cfg.n_resamples, seed=cfg.seed,
                         out_dir=str(out_dir) if out_dir else None),
              settings=settings, registry=registry, progress=progress)
    decision = decide(task.metric_table, out.result, verify or {})
    decision.report = str(out.folder)
    return decision


def primary_verify(body: dict[str, Any]) -> dict[str, Any]:
    """The verify figures of an export's primary (registered) file."""
    entry = next((v for v in (body.get("files") or {}).values() if v.get("file") == body.get("primary")), {})
    return entry.get("verify") or {}


def decide(table: str, result: dict[str, Any], verify: dict[str, Any]) -> Decision:
    """Apply the table's rules to an eval result (with a baseline) and the export's verify figures."""
    metrics = result.get("metrics", {})
    cand, base = metrics.get("candidate", {}), metrics.get("baseline", {})
    comparisons = {c["metric"]: c for c in result.get("comparisons", [])}
    checks = [_check(rule, cand, base, comparisons, verify) for rule in RULES[table]]
    errors = (result.get("errors") or {}).get("candidate", 0)
    if errors:
        checks.append({"metric": "errors", "rule": "none", "candidate": errors, "ok": False,
                       "why": f"{errors} test items failed outright"})
    reasons = [c["why"] for c in checks if not c["ok"]]
    return Decision(promote=not reasons, reasons=reasons, checks=checks)


def _check(rule: Rule, cand: dict, base: dict, comparisons: dict, verify: dict) -> dict[str, Any]:
    value = verify.get(rule.metric) if rule.kind == "within" else cand.get(rule.metric)
    row: dict[str, Any] = {"metric": rule.metric, "rule": rule.kind, "candidate": value,
                           "baseline": base.get(rule.metric)}
    if value is None:                                  # not measurable on these items (e.g. no crisis item)
        return {**row, "ok": True, "why": "not measured"}
    if rule.kind == "all":
        ok, why = value >= 1.0, f"{rule.metric} {value:.1%} (must be 100%)"
    elif rule.kind == "within":
        ok, why = value <= rule.bound, f"{rule.metric} {value:+.2f} (bound {rule.bound:+.2f})"
    elif rule.kind == "not_lower":
        baseline = base.get(rule.metric)
        ok = baseline is None or value >= baseline
        why = f"{rule.metric} {value:.3f} is lower than the served model's {baseline:.3f}" if not ok else ""
    else:
        comp = comparisons.get(rule.metric, {})
        ok = comp.get("verdict") != "worse"
        why = (f"{rule.metric} {value:.3f} vs {comp.get('baseline', 0):.3f}: significantly worse "
               f"(95% CI of the difference {comp.get('low', 0):+.3f}..{comp.get('high', 0):+.3f})") if not ok else ""
    return {**row, "ok": ok, "why": why if not ok else ""}
