"""run(BuildConfig) -> BuildResult: prepare -> train both models -> convert+verify -> register, each skippable."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable

import tasks
from convert import pipeline as conversion
from core.errors import NotFound
from core.settings import Settings
from modelfiles import register
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


@dataclass
class BuildResult:
    stages: list[dict[str, Any]] = field(default_factory=list)
    registered: dict[str, dict[str, Any]] = field(default_factory=dict)
    wall_s: float = 0.0


def run(cfg: BuildConfig, settings: Settings | None = None, *, log: Callable[[str], None] = print,
        console=None) -> BuildResult:
    settings = settings or Settings.from_env()
    result, started = BuildResult(), time.perf_counter()

    def stage(name: str, fn: Callable[[], tuple[bool, dict[str, Any]]]) -> None:
        t = time.perf_counter()
        log(f"[bold]{name}[/bold] ...")
        skipped, details = fn()
        entry = {"stage": name, "skipped": skipped, "seconds": round(time.perf_counter() - t, 1), **details}
        result.stages.append(entry)
        log(f"{name}: {'unchanged, skipped' if skipped else 'done'} in {entry['seconds']} s")

    trained = [tasks.for_model(m) for m in cfg.models]
    for task in sorted({t.name for t in trained}):
        stage(f"prepare {task}", lambda task=task: _prepare(task, settings, cfg.force))
    mixers = [t for t in trained if t.mix_in] if cfg.chat_fraction > 0 else []
    mixed = {t.mix_in for t in mixers if _prepare_mix(t, settings, cfg.force, log)}
    runs: dict[str, str] = {}
    for model in cfg.models:
        stage(f"train {model}", lambda model=model: _train(model, cfg, settings, mixed, runs, console))
    for model in cfg.models:
        stage(f"convert+verify {model}", lambda model=model: _convert(runs[model], cfg, settings, log))
    stage("register", lambda: _register(cfg, settings, runs, result, log))
    result.wall_s = round(time.perf_counter() - started, 1)
    return result


def _prepare(task: str, settings: Settings, force: bool) -> tuple[bool, dict[str, Any]]:
    out = prepare.run(prepare.PrepareConfig(task=task, home=settings.home, force=force))
    return out.up_to_date, {"counts": out.counts}


def _prepare_mix(task: tasks.Task, settings: Settings, force: bool, log) -> bool:
    """The data mixed into `task`'s run is optional: chat is only what the practice imported (`data import`)."""
    try:
        _prepare(task.mix_in, settings, force)
        return True
    except NotFound:
        log(f"no imported {task.mix_in} data: {task.model_name} trains on {task.name} data only")
        return False


def _train(model: str, cfg: BuildConfig, settings: Settings, mixed: set[str], runs: dict, console):
    task = tasks.for_model(model)
    extra = {"chat_fraction": cfg.chat_fraction if task.mix_in in mixed else 0.0}
    per_model = MODEL_OVERRIDES.get(model, {}) if cfg.preset == "cpu-lora" else {}
    train_cfg = preset(cfg.preset, task=task.name, **{**per_model, **cfg.overrides, **extra})
    out = train.run(train_cfg, settings, force=cfg.force, console=console)
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


def _register(cfg: BuildConfig, settings: Settings, runs: dict, result: BuildResult, log):
    names = tuple(runs[m] for m in cfg.models)
    if not cfg.force and register.registered_unchanged(settings, names):
        return True, {"models": list(cfg.models)}
    out = register.run(register.RegisterConfig(runs=names, ollama=cfg.ollama), settings, log=log)
    result.registered = out.models
    return False, {"models": list(out.models)}
