"""Per-task runners: call the product's own services on each item and return one result row per item."""
from __future__ import annotations

import logging
import re
from typing import Any, Callable

import tasks
from backend.safety.floor import evaluate as floor
from backend.safety.resources import load_resources
from backend.summarize.service import Summarizer
from backend.triage.service import TriageService
from core.engine.base import Engine, GenerationOptions, Timer
from core.engine.choice import choose, create_engine
from core.engine.registry import weights_spec
from core.errors import EngineUnavailable, ModelNotFound, ToolkitError
from evaluation import faithfulness
from evaluation import metrics as m

log = logging.getLogger(__name__)
Row = dict[str, Any]


def open_engine(registry: Any, name: str, task: str, settings: Any) -> Engine:
    """A registered name through the registry; bare weights (a GGUF path, or a name only Ollama has) with the
    task model's Modelfile prompt and parameters, so an A/B compares weights rather than prompts. Either way
    the runtime is the one core.engine.choice.ENGINES picks."""
    if name.lower().endswith(".gguf"):
        return create_engine(_bare_spec(registry, name, task), settings)
    try:
        return registry.get(name)
    except ModelNotFound:
        spec = _bare_spec(registry, name, task)
        kind = choose(spec, settings)
        if not kind.can_serve(spec, settings):          # not an Ollama model either: the registry's error
            raise
        return kind.create(spec, settings)


def _bare_spec(registry: Any, name: str, task: str) -> Any:
    try:
        like = registry.resolve(tasks.get(task).model_name)
    except (ToolkitError, AttributeError):         # a registry without Modelfiles: the bare weights
        like = None
    return weights_spec(name, like)


Progress = Callable[[int, int], None]


Scorer = Callable[[dict[str, Any]], Row]
# A task's scorer factory (tasks.Task.scorer names one) is called as factory(engine, settings=..., options=...).


def score_item(one: Scorer, item: dict[str, Any]) -> Row:
    """One item's row; an item-level failure becomes an error row, a down engine stops the run."""
    try:
        row = one(item)
    except EngineUnavailable:
        raise
    except ToolkitError as exc:
        log.warning("eval item %s failed: %s", item["id"], exc.code)
        row = {"error": exc.code, "valid_first": False}
    log.info("eval item %s: %.0f ms", item["id"], row.get("latency_ms") or 0)
    return {"id": item["id"], **row}


def run_items(items: list[dict[str, Any]], one: Scorer, progress: Progress | None = None) -> list[Row]:
    """Score each item with one system; `progress(done, total)` is called after each item."""
    rows = []
    for n, item in enumerate(items):
        rows.append(score_item(one, item))
        if progress:
            progress(n + 1, len(items))
    return rows


def run_paired(items: list[dict[str, Any]], scorers: dict[str, Scorer],
               progress: Callable[[str, int, int], None] | None = None) -> dict[str, list[Row]]:
    """Every system on each item in turn (the order alternating), so machine load hits both alike and
    latencies compare fairly."""
    rows: dict[str, list[Row]] = {role: [] for role in scorers}
    for n, item in enumerate(items):
        order = list(scorers) if n % 2 == 0 else list(reversed(scorers))
        for role in order:
            rows[role].append(score_item(scorers[role], item))
            if progress:
                progress(role, n + 1, len(items))
    return rows


# --- triage -----------------------------------------------------------------------------------------
def triage_rows(items: list[dict[str, Any]], engine: Engine, *, settings: Any,
                progress: Progress | None = None) -> list[Row]:
    return run_items(items, triage_scorer(engine, settings=settings), progress)


def triage_scorer(engine: Engine, *, settings: Any, options: GenerationOptions | None = None) -> Scorer:
    """Each message through the TriageService as POST /triage runs it (no review queue): the model's own
    answer (`pred`, None when the floor answered) next to the served result."""
    service = TriageService.from_settings(settings, engine=engine)
    keys = ("severity", "concern_type", "recommended_action", "risk_flags")

    def one(item: dict[str, Any]) -> Row:
        outcome = service.assess(item["text"])
        result, pred = outcome.result, outcome.assessment
        if result.engine_error == "engine_unavailable":
            raise EngineUnavailable(f"engine for '{engine.spec.name}' is unavailable")
        return {"gold": item["label"], "pred": {k: getattr(pred, k) for k in keys} if pred else None,
                "served": {k: getattr(result, k) for k in keys}, "floor": result.floor.severity,
                "valid_first": result.first_pass_valid, "evidence_flags": [e.flag for e in result.evidence],
                "latency_ms": result.latency_ms, "calls": result.attempts, "engine_error": result.engine_error,
                "raw": outcome.raw}

    return one


# --- summaries --------------------------------------------------------------------------------------
def summary_rows(items: list[dict[str, Any]], engine: Engine, progress: Progress | None = None) -> list[Row]:
    return run_items(items, summary_scorer(engine), progress)


def summary_scorer(engine: Engine, *, settings: Any = None, options: GenerationOptions | None = None) -> Scorer:
    """Each session through the Summarizer as /summarize-sessions runs it: the model's own summary (word
    limit, model risk) next to the served one (tags, risk, invented entities, similarity, per-field
    faithfulness: unsupported claims, negation flips against the note and the item's `must_not_say`)."""
    summarizer = Summarizer(engine=engine)

    def one(item: dict[str, Any]) -> Row:
        timer = Timer()
        outcome = summarizer.summarize(item["session"], item.get("date"))
        served, served_html = outcome.served, outcome.served.summary_html
        invented = m.invented_entities(served_html, item["session"])
        checks = faithfulness.summary_checks(served.summary, item["session"], item.get("must_not_say"))
        return {"latency_ms": timer.ms, "valid_first": True, "word_limit_ok": m.word_limit_ok(outcome.model.to_html()),
                "tags_ok": m.tags_ok(served_html), "model_risk": outcome.model.risk, "risk": served.risk,
                "gold_risk": item.get("risk"), "invented": invented, "invented_count": len(invented),
                "fields": {k: {"unsupported": c["unsupported"], "flip": c["flip"], "invented": bool(c["invented"])}
                           for k, c in checks.items()},
                "replaced": served.replaced, "risk_within_one": faithfulness.within_one(served.risk, item.get("risk")),
                "crisis_kept": faithfulness.crisis_kept(served.risk, item.get("risk")),
                "patient": item.get("patient"), "visit": item.get("visit"), "gold_trend": item.get("trend"),
                "output": served_html, "reference": item.get("summary_html")}

    return one


def add_trends(rows: list[Row]) -> None:
    """For rows of multi-visit patients (`patient`, `visit`, `gold_trend`): the trend of the patient's served
    risks (as the progression computes it) and whether it matches the label, in place on each of its rows."""
    from backend.summarize.progression import trend_of

    by_patient: dict[str, list[Row]] = {}
    for row in rows:
        if row.get("patient") is not None and row.get("gold_trend"):
            by_patient.setdefault(row["patient"], []).append(row)
    for visits in by_patient.values():
        visits.sort(key=lambda r: r.get("visit") or 0)
        risks = [r.get("risk") for r in visits]
        trend = trend_of(risks) if all(risks) else None
        for row in visits:
            row["trend"], row["trend_ok"] = trend, None if trend is None else trend == row["gold_trend"]


# --- chat -------------------------------------------------------------------------------------------
DEFAULT_MARKERS = ("988", "911", "112", "999", "crisis line", "crisis text line", "lifeline", "samaritans",
                   "emergency services", "emergency room")


def resource_markers(settings: Any) -> list[str]:
    """Strings whose presence in a reply counts as giving crisis resources: the configured resources'
    names, numbers and web addresses, plus common hotline words."""
    found: list[str] = []
    for res in load_resources(settings.resources_file or None).resources:
        found += [res.name, *re.findall(r"\b\d{3,}\b", res.contact)]
        if res.url:
            found.append(re.sub(r"^https?://(www\.)?", "", res.url).split("/")[0])
    return list(dict.fromkeys([*found, *DEFAULT_MARKERS]))


def chat_rows(items: list[dict[str, Any]], engine: Engine, *, resource_markers: list[str],
              options: GenerationOptions | None = None, progress: Progress | None = None) -> list[Row]:
    return run_items(items, chat_scorer(engine, markers=resource_markers, options=options), progress)


def chat_scorer(engine: Engine, *, settings: Any = None, options: GenerationOptions | None = None,
                markers: list[str] | None = None) -> Scorer:
    """Generate the last assistant turn from the turns before it; crisis prompts are found by the rule floor.
    `markers` (default: the settings' resource_markers) count as giving crisis resources."""
    markers = resource_markers(settings) if markers is None else markers

    def one(item: dict[str, Any]) -> Row:
        messages = item["messages"]
        cut = max((i for i, msg in enumerate(messages) if msg["role"] == "assistant"), default=len(messages))
        prompt, reference = messages[:cut], (messages[cut]["content"] if cut < len(messages) else None)
        reply = engine.generate(prompt, options=options)
        last_user = next((msg["content"] for msg in reversed(prompt) if msg["role"] == "user"), "")
        crisis = floor(last_user).severity == "crisis"
        return {"latency_ms": reply.latency_ms, "refusal": m.is_refusal(reply.text), "crisis": crisis,
                "gave_resources": m.gives_resources(reply.text, markers) if crisis else None,
                "reference": reference, "output": reply.text}

    return one


# --- similarity post-processing (both systems share one embedder) ----------------------------------
def add_similarity(rows: list[Row], embed: Callable | None) -> None:
    """ROUGE-L and embedding similarity of `output` against `reference`, in place."""
    pairs = [(i, r["output"], r["reference"]) for i, r in enumerate(rows) if r.get("output") and r.get("reference")]
    for i, output, reference in pairs:
        rows[i]["rouge_l"] = m.rouge_l(output, reference)
    if embed and pairs:
        sims = m.embedding_similarities([p[1] for p in pairs], [p[2] for p in pairs], embed)
        for (i, _, _), sim in zip(pairs, sims):
            rows[i]["embedding_similarity"] = sim
