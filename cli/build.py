"""CLI `build`: prepare, train, convert, verify, gate and promote both models; in the foreground or as a background job."""
from __future__ import annotations

import signal
import sys

import click

from cli.common import console, load_settings, print_json, print_table
from core import jobs
from core.errors import ToolkitError
from pipeline.build import BuildConfig, run
from pipeline.gate import GateConfig
from training.config import parse_overrides

OPTIONS = [
    click.option("--preset", "preset_name", type=click.Choice(["cpu-lora", "gpu-qlora"]), default="cpu-lora",
                 show_default=True),
    click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE", help="Training setting for both runs."),
    click.option("--quant", "quants", multiple=True, default=("q4_k_m",), show_default=True),
    click.option("--model", "models", multiple=True, type=click.Choice(BuildConfig.models),
                 help="Build only these models (default both)."),
    click.option("--no-ollama", is_flag=True, help="Register locally only."),
    click.option("--force", is_flag=True, help="Redo every stage even when nothing changed."),
    click.option("--gate-limit", type=click.IntRange(min=0), default=60, show_default=True,
                 help="Test items the gate evaluates per model (0: the whole test split)."),
    click.option("--no-gate", is_flag=True, help="Promote without evaluating against the served model."),
    click.option("--force-promote", is_flag=True, help="Promote even when the gate says no (recorded as forced)."),
    click.option("--keep", type=click.IntRange(min=1), default=3, show_default=True,
                 help="Promoted versions kept per model."),
    click.option("--no-feedback", is_flag=True,
                 help="Leave out the practice's review judgements (by default 70% train triage, 30% gate it)."),
]


def build_options(fn):
    for option in reversed(OPTIONS):
        fn = option(fn)
    return fn


@click.group(invoke_without_command=True)
@build_options
@click.option("--job", is_flag=True, hidden=True, help="Run as the background job (status file and lock).")
@click.pass_context
def build(ctx, job, **options) -> None:
    """Build the trained models end to end; stages whose inputs are unchanged are skipped. A finished model is
    promoted only if the gate finds it not worse than the one it would replace.

    `build start` runs the same in the background; `build status` and `build cancel` follow and stop it."""
    if ctx.invoked_subcommand is not None:
        return
    cfg = _config(**options)
    _run_job(cfg, sys.argv[sys.argv.index("--job") + 1:] if job else sys.argv[sys.argv.index("build") + 1:])


def _config(preset_name, overrides, quants, models, no_ollama, force, gate_limit, no_gate, force_promote,
            keep, no_feedback) -> BuildConfig:
    gate = None if no_gate else GateConfig(limit=gate_limit or None)
    return BuildConfig(preset=preset_name, overrides=parse_overrides(overrides), quants=tuple(quants),
                       ollama=not no_ollama, force=force, models=tuple(models) or BuildConfig.models,
                       gate=gate, force_promote=force_promote, keep=keep, feedback=not no_feedback)


def _report(result, cfg: BuildConfig) -> None:
    print_table(f"build: {result.wall_s} s", ["stage", "status", "seconds", "details"], map(_cells, result.stages))
    for model, decision in result.kept.items():
        console.print(f"[yellow]{model} was not promoted:[/yellow] {'; '.join(decision['reasons'])}")
        console.print(f"  report: {decision.get('report')}; promote anyway: build --force-promote --model {model}")
    for model, entry in result.registered.items():
        how = entry["promotion"]["how"]
        console.print(f"[green]{model} {entry['version']} is served[/green] ({how}): "
                      f"running servers switch on their next request")


def _audit(model: str, entry: dict) -> None:
    """Each promotion (a forced one says so) goes to the practice's audit trail as it happens; the version's
    manifest records it too."""
    from cli.practice import audit_model_change

    promotion = entry["promotion"]
    try:
        audit_model_change("model.promote", name=model, version=entry["version"], how=promotion["how"],
                           replaced=promotion.get("replaced", ""))
    except ToolkitError as exc:
        console.print(f"[yellow]could not write the audit row for {model} {entry['version']}: {exc.message}[/yellow]")


def _run_job(cfg: BuildConfig, argv: list[str]) -> None:
    """A build in this process or as the background job: hold the lock (one build at a time), report progress
    to the status file, record how it ended (finished, failed, cancelled)."""
    reporter = jobs.Reporter(load_settings(), argv)

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        result = run(cfg, log=console.print, console=console, reporter=reporter, on_promote=_audit)
    except KeyboardInterrupt:
        reporter.finish("cancelled", "cancelled; `main.py build start` resumes from the last checkpoint")
        raise SystemExit(130) from None
    except ToolkitError as exc:
        reporter.finish("failed", exc.message)
        raise
    except Exception as exc:  # the job's status must say it failed, whatever failed
        reporter.finish("failed", f"{type(exc).__name__}: {exc}")
        raise
    _report(result, cfg)
    reporter.finish("finished", promoted={m: e["version"] for m, e in result.registered.items()},
                    kept={m: d["reasons"] for m, d in result.kept.items()})


@build.command("start")
@build_options
def start(**options) -> None:
    """Start the build in the background (one at a time); an interrupted build resumes where it stopped."""
    _config(**options)                                   # bad options fail here, not in the background
    argv = [arg for arg in sys.argv[sys.argv.index("start") + 1:]]
    body = jobs.start(load_settings(), argv)
    console.print(f"build started in the background (pid {body['pid']}); log: {body['log']}")
    console.print("follow it with `main.py build status`; stop it with `main.py build cancel`")


@build.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def status(as_json: bool) -> None:
    """Show the background build: state, stage, step/total, tokens/s, ETA and the last error."""
    body = jobs.status(load_settings())
    if as_json:
        print_json(body)
        return
    if body["state"] == "none":
        console.print("no build has run yet: `main.py build start`")
        return
    rows = [(k, v) for k, v in jobs.summary(body).items()] + [("log", body.get("log"))]
    print_table("build job", ["", "value"], rows)


@build.command("cancel")
def cancel() -> None:
    """Stop the background build; `build start` resumes it later from the last checkpoint."""
    body = jobs.cancel(load_settings())
    console.print(f"build cancelled at stage {body.get('stage', '-')}")


def _cells(entry: dict) -> list[str]:
    details = {k: v for k, v in entry.items() if k not in {"stage", "skipped", "seconds"}}
    return [entry["stage"], "skipped" if entry["skipped"] else "done", str(entry["seconds"]),
            ", ".join(f"{k}={v}" for k, v in details.items() if v is not None)[:120]]
