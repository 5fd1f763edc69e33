"""run(BuildConfig) -> BuildResult: prepare, then per model train -> convert+verify -> gate -> promote; each skippable."""
from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

import tasks
from convert import pipeline as conversion
from core import manifest
from core.errors import NotFound
from core.settings import Settings
from modelfiles import register, versions
from pipeline import feedback
from pipeline.gate import Decision, GateConfig, evaluate
from tasks import ASSISTANT_MODEL, TRIAGE_MODEL
from training import train
from training.config import preset
from training_data import prepare

# Per-model changes to the preset: the summary set is small and its examples long, one epoch keeps CPU builds short.
MODEL_OVERRIDES: dict[str, dict[str, Any]] = {ASSISTANT_MODEL: {"epochs": 1}}


@dataclass
class BuildConfig:
    preset: str = "cpu-lora"
    overrides: dict[str, Any] = field(default_factory=dict)   # TrainConfig settings for both runs
    quants: tuple[str, ...] = ("q4_k_m",)
    chat_fraction: float = 0.25       # share of chat records in the therapy-assistant run (when chat data exists)
    ollama: bool = True
    force: bool = False
    models: tuple[str, ...] = (TRIAGE_MODEL, ASSISTANT_MODEL)
    gate: GateConfig | None = field(default_factory=GateConfig)   # None: promote without evaluating
    force_promote: bool = False       # promote even when the gate says no (recorded as forced)
    keep: int = 3                     # promoted versions kept per model
    feedback: bool = True             # train on the practice's reviews (a fixed share); the gate also tests the rest


@dataclass
class BuildResult:
    stages: list[dict[str, Any]] = field(default_factory=list)
    registered: dict[str, dict[str, Any]] = field(default_factory=dict)
    kept: dict[str, dict[str, Any]] = field(default_factory=dict)     # candidates the gate did not promote
    wall_s: float = 0.0


def run(cfg: BuildConfig, settings: Settings | None = None, *, log: Callable[[str], None] = print,
        console=None, reporter: Any = None,
        on_promote: Callable[[str, dict[str, Any]], None] | None = None) -> BuildResult:
    """`reporter` (core.jobs.Reporter, optional) is told each stage and the training progress; `on_promote(model,
    entry)` is called as each model is promoted (the CLI audits it then, not at the end of a build that may stop)."""
    settings = settings or Settings.from_env()
    result, started = BuildResult(), time.perf_counter()
    trained = [tasks.for_model(m) for m in cfg.models]
    plan = [f"prepare {t}" for t in sorted({t.name for t in trained})] + \
        [f"{verb} {m}" for m in cfg.models for verb in ("train", "convert+verify", "gate+promote")]

    def stage(name: str, fn: Callable[[], tuple[bool, dict[str, Any]]]) -> None:
        t = time.perf_counter()
        log(f"[bold]{name}[/bold] ...")
        if reporter:
            reporter.stage(name, plan.index(name) + 1 if name in plan else 0, len(plan))
        skipped, details = fn()
        entry = {"stage": name, "skipped": skipped, "seconds": round(time.perf_counter() - t, 1), **details}
        result.stages.append(entry)
        if reporter:
            reporter.stage_done(entry)
        log(f"{name}: {'unchanged, skipped' if skipped else details.get('outcome', 'done')} in {entry['seconds']} s")

    reviews = _reviews(cfg, settings, log)
    for task in sorted({t.name for t in trained}):
        extra = (reviews.train,) if reviews and reviews.n_train and task == tasks.for_model(TRIAGE_MODEL).name else ()
        stage(f"prepare {task}", lambda task=task, extra=extra: _prepare(task, settings, cfg.force, extra))
    mixers = [t for t in trained if t.mix_in] if cfg.chat_fraction > 0 else []
    mixed = {t.mix_in for t in mixers if _prepare_mix(t, settings, cfg.force, log)}
    runs: dict[str, str] = {}
    for model in cfg.models:            # one model at a time: the first one is served as soon as it is promoted
        stage(f"train {model}", lambda model=model: _train(model, cfg, settings, mixed, runs, console, reporter))
        stage(f"convert+verify {model}", lambda model=model: _convert(runs[model], cfg, settings, log))
        practice = reviews.test if reviews and reviews.n_test >= feedback.MIN_HOLDOUT and model == TRIAGE_MODEL \
            else None
        stage(f"gate+promote {model}", lambda model=model, practice=practice: _gate(
            model, runs[model], cfg, settings, result, log, reporter, on_promote, practice))
    result.wall_s = round(time.perf_counter() - started, 1)
    return result


def _reviews(cfg: BuildConfig, settings: Settings, log) -> feedback.Split | None:
    """The practice's own reviews, split for training and the gate (None: none yet, or not asked for)."""
    if not cfg.feedback or TRIAGE_MODEL not in cfg.models or not _has_database(settings):
        return None
    split = feedback.write_split(settings)
    if split:
        log(f"practice reviews: {split.n_train} train the triage model, {split.n_test} are held out for the gate"
            + ("" if split.n_test >= feedback.MIN_HOLDOUT else f" (the gate weighs them from {feedback.MIN_HOLDOUT})"))
    return split


def _has_database(settings: Settings) -> bool:
    """A practice database to read reviews from (a build never creates one)."""
    url = settings.db_url
    return not url.startswith("sqlite:///") or Path(url.removeprefix("sqlite:///")).is_file()


def _prepare(task: str, settings: Settings, force: bool, extra: tuple[Path, ...] = ()) -> tuple[bool, dict[str, Any]]:
    config = prepare.PrepareConfig(task=task, home=settings.home, force=force)
    if extra:
        config = replace(config, inputs=tuple(str(p) for p in [*prepare.resolve_inputs(config), *extra]))
    out = prepare.run(config)
    return out.up_to_date, {"counts": out.counts, **({"practice_reviews": len(extra)} if extra else {})}


def _prepare_mix(task: tasks.Task, settings: Settings, force: bool, log) -> bool:
    """The data mixed into `task`'s run is optional: chat is only what the practice imported (`data import`)."""
    try:
        _prepare(task.mix_in, settings, force)
        return True
    except NotFound:
        log(f"no imported {task.mix_in} data: {task.model_name} trains on {task.name} data only")
        return False


def _train(model: str, cfg: BuildConfig, settings: Settings, mixed: set[str], runs: dict, console, reporter):
    task = tasks.for_model(model)
    extra = {"chat_fraction": cfg.chat_fraction if task.mix_in in mixed else 0.0}
    per_model = MODEL_OVERRIDES.get(model, {}) if cfg.preset == "cpu-lora" else {}
    train_cfg = preset(cfg.preset, task=task.name, **{**per_model, **cfg.overrides, **extra})
    out = train.run(train_cfg, settings, force=cfg.force, console=console,
                    report=reporter.progress if reporter else None)
    runs[model] = out.run_dir.name
    keys = ("steps", "train_loss", "val_loss", "tokens_per_s", "wall_s")
    return out.skipped, {"run": out.run_dir.name, **{k: out.metrics.get(k) for k in keys}}


def _convert(run_name: str, cfg: BuildConfig, settings: Settings, log):
    convert_cfg = conversion.ConvertConfig(run=run_name, quants=cfg.quants)
    out = conversion.run(convert_cfg, settings, force=cfg.force, log=log)
    verify = out.primary_entry.get("verify", {})
    return out.skipped, {"gguf": str(out.primary), "bytes": out.primary.stat().st_size,
                         "perplexity_delta_pct": verify.get("perplexity_delta_pct"),
                         "smoke": verify.get("smoke")}


def _gate(model: str, run_name: str, cfg: BuildConfig, settings: Settings, result: BuildResult, log, reporter,
          on_promote=None, practice: Path | None = None):
    """Promote the run's export if the gate passes (or is forced); otherwise keep it as a candidate, with why."""
    export = register.export_of(run_name, settings)
    body = manifest.read(export / "manifest.json") or {}
    against = served_identity(settings, model)
    if not cfg.force and register.registered_unchanged(settings, (run_name,)):
        return True, {"outcome": "already served", "version": versions.current(settings, model)}
    key = [body.get("fingerprint"), against] + ([manifest.sha256(practice)] if practice else [])
    earlier = manifest.read(export / "gate" / "decision.json") or {}
    cached = not cfg.force and cfg.gate is not None and earlier.get("key") == key   # same candidate, same served
    decision = Decision(**earlier["decision"]) if cached else _decide(model, export, cfg, settings, reporter, log,
                                                                      practice)
    if not cached:
        manifest.write_json(export / "gate" / "decision.json", {"key": key, "decision": decision.to_dict()})
    if not decision.promote and not cfg.force_promote:
        result.kept[model] = decision.to_dict()
        log(f"[yellow]{model}: not promoted: {decision.summary}[/yellow] (report: {decision.report})")
        return cached, {"outcome": "kept as candidate" + (" (decided before)" if cached else ""),
                        "reason": decision.summary}
    how = "gate" if decision.promote else "forced"
    reason = decision.summary if decision.promote else f"promoted despite the gate (--force-promote): {decision.summary}"
    entry = register.promote(model, export, settings, promotion={"how": how, "reason": reason, "replaced": against},
                             evaluation=decision.to_dict(), ollama=cfg.ollama, keep=cfg.keep, log=log)
    result.registered[model] = entry
    if on_promote:
        on_promote(model, entry)
    return False, {"outcome": f"promoted ({how})", "version": entry["version"]}


def _decide(model: str, export, cfg: BuildConfig, settings: Settings, reporter, log,
            practice: Path | None = None) -> Decision:
    if cfg.gate is None:
        return Decision(promote=True, reasons=[], checks=[])

    def progress(role: str, done: int, total: int) -> None:
        if reporter:
            reporter.progress(done, total, role=role)
        if done == total or done % 10 == 0:
            log(f"gate {model}: {role} {done}/{total} test items answered")

    return evaluate(model, export, settings, cfg.gate, progress=progress, practice=practice)


def served_identity(settings: Settings, model: str) -> str:
    """What `model` serves now: its kept version, else the weights its Modelfile names (the embedded base)."""
    version = versions.current(settings, model)
    if version:
        return version
    path = settings.registry_dir / f"{model}.Modelfile"
    return f"unversioned:{path.stat().st_mtime_ns}" if path.is_file() else "shipped"
