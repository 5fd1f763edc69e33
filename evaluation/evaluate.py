"""The eval stage: run(EvalConfig) -> EvalResult: items -> rows per system -> metrics, A/B, report folder."""
from __future__ import annotations

import hashlib
import importlib
import json
import logging
import platform
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import tasks
from core import manifest
from core.engine.base import GenerationOptions
from core.engine.registry import ModelRegistry
from core.errors import BadRequest
from core.settings import Settings
from evaluation import bootstrap, data, embedder, patients, report, runners, scores

log = logging.getLogger(__name__)
TEXT_KEYS = ("output", "reference", "raw", "invented")   # clinical text in rows: kept only with include_examples


@dataclass
class EvalConfig:
    task: str
    model: str
    baseline: str | None = None
    data: str | None = None
    patients: str | None = None                      # summarize: a multi-visit patients file (adds trend accuracy)
    label_map: str | None = None
    limit: int | None = None
    include_examples: bool = False
    seed: int = 0
    n_resamples: int = 1000
    max_tokens: int | None = None                    # chat only: cap each reply (default: the Modelfile's)
    embeddings: bool = True                          # embedding similarity (loads the offline embedder)
    out_dir: str | None = None                       # default: <home>/eval/<timestamp>-<task>


@dataclass
class EvalResult:
    folder: Path
    result: dict[str, Any]
    paths: dict[str, Path] = field(default_factory=dict)


def run(config: EvalConfig, *, settings: Settings | None = None, registry: Any = None,
        progress: Callable[[str, int, int], None] | None = None) -> EvalResult:
    """Evaluate `config.model` (and `config.baseline` on the same items) and write the report folder.
    `progress(role, done, total)` is called after each item."""
    task = tasks.get(config.task)
    settings = settings or Settings.from_env()
    registry = ModelRegistry(settings) if registry is None else registry
    path, items = _items(config, settings)
    systems = {"candidate": config.model, **({"baseline": config.baseline} if config.baseline else {})}
    engines = {role: runners.open_engine(registry, name, config.task, settings) for role, name in systems.items()}
    scorers = {role: _scorer(task, config, engine, settings) for role, engine in engines.items()}
    rows = runners.run_paired(items, scorers, progress)
    notes = _post_process(task, rows, config.embeddings)
    result = _result(config, path, items, rows, notes)
    result["served_by"] = {role: _describe(engine) for role, engine in engines.items()}
    folder = Path(config.out_dir) if config.out_dir else _run_folder(settings, config.task)
    examples = _examples(items, rows) if config.include_examples else None
    paths = report.write(result, rows, folder, examples)
    _write_rows(folder / "items.jsonl", rows, config.include_examples)
    (folder / "manifest.json").write_text(json.dumps(_manifest(config, result), indent=2), encoding="utf-8")
    log.info("eval %s: %d items, %d systems -> %s", config.task, len(items), len(rows), folder)
    return EvalResult(folder, result, paths)


def _items(config: EvalConfig, settings: Settings) -> tuple[Path, list[dict[str, Any]]]:
    """The items: a patients file (tasks with `patients` support) or the task's labelled data."""
    if config.patients:
        task = tasks.get(config.task)
        if not task.patients:
            raise BadRequest(f"--patients is for tasks that summarize visits, not {config.task}")
        return patients.load_items(config.patients, config.limit)
    return data.load_items(config.task, settings, config.data, config.label_map, config.limit)


def resolve(ref: str) -> Any:
    """The function a task names as "module:function" (evaluation code: tasks.py does not import it)."""
    module, _, name = ref.partition(":")
    return getattr(importlib.import_module(module), name)


def _scorer(task: tasks.Task, config: EvalConfig, engine: Any, settings: Settings) -> runners.Scorer:
    """The task's scorer factory; `options` (reply length, seed) matter to the free-text scorers."""
    options = GenerationOptions(max_tokens=config.max_tokens, seed=config.seed)
    return resolve(task.scorer)(engine, settings=settings, options=options)


def _post_process(task: tasks.Task, rows: dict[str, list[dict[str, Any]]], embeddings: bool) -> list[str]:
    """The task's row post-processing (e.g. trends across a patient's visits), then similarity metrics for tasks
    that want them (one embedder for both systems); returns notes."""
    if task.post_process:
        for system_rows in rows.values():
            resolve(task.post_process)(system_rows)
    if not task.similarity:
        return []
    embed, note = embedder.load() if embeddings else (None, "embedding similarity skipped (--no-embeddings)")
    for system_rows in rows.values():
        runners.add_similarity(system_rows, embed)
    return [note]


def _result(config: EvalConfig, path: Path, items: list, rows: dict, notes: list[str]) -> dict[str, Any]:
    task = tasks.get(config.task)
    table = scores.TABLES[task.metric_table]
    result: dict[str, Any] = {
        "task": config.task, "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "models": {"candidate": config.model, "baseline": config.baseline},
        "data": {"path": str(path), "sha256": _sha256(path), "n_items": len(items), "limit": config.limit,
                 "label_map": config.label_map},
        "metrics": {role: scores.scalars(task.metric_table, r) for role, r in rows.items()},
        "errors": {role: sum(1 for x in r if x.get("error")) for role, r in rows.items()},
        "notes": notes, "comparisons": [],
        "bootstrap": {"n_resamples": config.n_resamples, "seed": config.seed, "confidence": 0.95},
    }
    if task.details:
        result["details"] = {role: resolve(task.details)(r) for role, r in rows.items()}
    if "baseline" in rows:
        result["comparisons"] = [
            bootstrap.paired_bootstrap(rows["baseline"], rows["candidate"], fn, metric=name,
                                       higher_is_better=higher, n_resamples=config.n_resamples,
                                       seed=config.seed).to_dict()
            for name, (fn, higher) in table.items()]
    return result


def _describe(engine: Any) -> dict[str, Any]:
    """What answered: runtime, weights and a hash of the prompt settings (so two runs can be compared)."""
    spec = engine.spec
    prompt = json.dumps([spec.system, spec.template, dict(spec.parameters), list(spec.messages)], default=str)
    gguf = spec.gguf_path
    return {"name": spec.name, "engine": engine.name, "gguf": str(gguf) if gguf else spec.ollama_name,
            "gguf_bytes": gguf.stat().st_size if gguf and gguf.exists() else None,
            "modelfile": str(spec.modelfile) if spec.modelfile else None,
            "prompt_sha256": hashlib.sha256(prompt.encode()).hexdigest()[:16]}


def _run_folder(settings: Settings, task: str) -> Path:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    folder = settings.home / "eval" / f"{stamp}-{task}"
    n = 1
    while folder.exists():
        n += 1
        folder = settings.home / "eval" / f"{stamp}-{task}-{n}"
    return folder


def _examples(items: list[dict[str, Any]], rows: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Input, label and each system's answer per item (clinical text: only with --include-examples)."""
    out = []
    for i, item in enumerate(items[:20]):
        example = {k: v for k, v in item.items() if k != "source"}
        for role, system_rows in rows.items():
            example[role] = {k: v for k, v in system_rows[i].items() if k != "id"}
        out.append(example)
    return out


def _write_rows(path: Path, rows: dict[str, list[dict[str, Any]]], include_text: bool) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for role, system_rows in rows.items():
            for row in system_rows:
                kept = {k: v for k, v in row.items() if include_text or k not in TEXT_KEYS}
                fh.write(json.dumps({"system": role, **kept}, default=str) + "\n")


def _manifest(config: EvalConfig, result: dict[str, Any]) -> dict[str, Any]:
    return {"stage": "eval", "config": asdict(config), "served_by": result.get("served_by"),
            "inputs": [{"path": result["data"]["path"], "sha256": result["data"]["sha256"]}],
            "versions": _versions(), "metrics": result["metrics"], "created": result["created"]}


def _versions() -> dict[str, str]:
    found = manifest.versions(manifest.EVAL_LIBRARIES)
    return {"python": platform.python_version(), **{k: v for k, v in found.items() if v}}


def _sha256(path: Path) -> str:
    return manifest.sha256(path) if path.is_file() else hashlib.sha256().hexdigest()
