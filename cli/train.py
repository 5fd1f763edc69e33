"""CLI `train`: fine-tune triage or therapy-assistant with a preset, a config file and overrides."""
from __future__ import annotations

import click

import tasks
from cli.common import console, print_table
from training.config import load, parse_overrides
from training.train import run


@click.command()
@click.option("--task", type=click.Choice(tasks.names()), default=tasks.names()[0], show_default=True)
@click.option("--preset", "preset_name", type=click.Choice(["cpu-lora", "gpu-qlora"]), default=None,
              help="Starting recipe (default cpu-lora, or the config file's `preset`).")
@click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False),
              help="TOML/YAML/JSON file of settings (see training/config.py TrainConfig).")
@click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE",
              help="Override one setting, e.g. --set lora.r=16 --set max_steps=50 (repeatable).")
@click.option("--base-model", help="smollm2:135m (embedded), an HF model folder or a .gguf file.")
@click.option("--run-name", help="Output folder name under <home>/runs (default <task>-<preset>).")
@click.option("--force", is_flag=True, help="Train even when inputs and config are unchanged.")
@click.option("--no-progress", is_flag=True, help="No progress bar (for logs).")
def train(task, preset_name, config_file, overrides, base_model, run_name, force, no_progress) -> None:
    """Fine-tune a model with LoRA (CPU) or QLoRA (CUDA) on the prepared data; resumes when interrupted."""
    values = {"task": task, **parse_overrides(overrides)}
    if base_model:
        values["base_model"] = base_model
    if run_name:
        values["run_name"] = run_name
    cfg = load(config_file, preset_name=preset_name, overrides=values)
    result = run(cfg, force=force, show_progress=not no_progress, console=console)
    state = "unchanged, skipped" if result.skipped else "trained"
    print_table(f"{result.run_dir.name}: {state}", ["metric", "value"],
                [[key, str(value)] for key, value in result.metrics.items()])
    console.print(f"adapter: {result.adapter_dir}\nnext: python main.py convert {result.run_dir.name}")
