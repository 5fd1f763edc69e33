"""CLI `build`: prepare data, train, convert, verify and register triage and therapy-assistant."""
from __future__ import annotations

import click

from cli.common import console, print_table
from pipeline.build import BuildConfig, run
from training.config import parse_overrides


@click.command()
@click.option("--preset", "preset_name", type=click.Choice(["cpu-lora", "gpu-qlora"]), default="cpu-lora",
              show_default=True)
@click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE", help="Training setting for both runs.")
@click.option("--quant", "quants", multiple=True, default=("q4_k_m",), show_default=True)
@click.option("--model", "models", multiple=True, type=click.Choice(BuildConfig.models),
              help="Build only these models (default both).")
@click.option("--no-ollama", is_flag=True, help="Register locally only.")
@click.option("--force", is_flag=True, help="Redo every stage even when nothing changed.")
def build(preset_name, overrides, quants, models, no_ollama, force) -> None:
    """Build the trained models end to end; stages whose inputs are unchanged are skipped."""
    cfg = BuildConfig(preset=preset_name, overrides=parse_overrides(overrides), quants=tuple(quants),
                      ollama=not no_ollama, force=force,
                      models=tuple(models) or BuildConfig.models)
    result = run(cfg, log=console.print, console=console)
    print_table(f"build: {result.wall_s} s", ["stage", "status", "seconds", "details"], map(_cells, result.stages))
    console.print(f"serve with: python main.py serve  (the registry now points {' / '.join(cfg.models)} at the new GGUFs)")


def _cells(entry: dict) -> list[str]:
    details = {k: v for k, v in entry.items() if k not in {"stage", "skipped", "seconds"}}
    return [entry["stage"], "skipped" if entry["skipped"] else "done", str(entry["seconds"]),
            ", ".join(f"{k}={v}" for k, v in details.items() if v is not None)[:120]]
