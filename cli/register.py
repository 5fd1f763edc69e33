"""CLI `register`: write the trained models' Modelfiles to the local registry and create them in Ollama."""
from __future__ import annotations

import click

from cli.common import console, load_settings
from modelfiles.register import RegisterConfig, ollama_create_command, run


@click.command()
@click.argument("runs", nargs=-1, metavar="[RUN]...")
@click.option("--no-ollama", is_flag=True, help="Only the local registry, even when Ollama answers.")
def register(runs, no_ollama) -> None:
    """Register the newest verified GGUF of each model (or the given RUNs) under triage / therapy-assistant."""
    settings = load_settings()
    result = run(RegisterConfig(runs=tuple(runs), ollama=not no_ollama), settings, log=console.print)
    for name, entry in result.models.items():
        ollama = entry.get("ollama") or {}
        where = "and in Ollama" if ollama.get("created") else f"(Ollama: {ollama.get('reason') or ollama.get('error') or 'skipped'})"
        console.print(f"[green]{name}[/green]: {entry['modelfile']} {where}")
        if not ollama.get("created"):
            console.print(f"  manual alternative: {ollama_create_command(name, settings)}")
    console.print(f"registry: {result.registry_file}")
