"""CLI `models` and `run`: list the models and chat with one, like `ollama list` and `ollama run`."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from cli.common import console, load_settings, print_json, table
from core.engine.base import GenerationOptions
from core.engine.registry import ModelRegistry

EXIT_WORDS = {"/bye", "/exit", "/quit"}


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def models(as_json: bool) -> None:
    """List model names, where each resolves, its size and the engine that would serve it."""
    rows = ModelRegistry(load_settings()).describe()
    if as_json:
        print_json(rows)
        return
    console.print(table("Models", ["name", "engine", "source", "size", "modelfile"], map(_cells, rows),
                        no_wrap={"name"}))


def _cells(row: dict) -> list[str]:
    size = f"{row['size_bytes'] / 1e6:.1f} MB" if row.get("size_bytes") else "-"
    engine = row.get("engine") or f"[red]{row.get('error')}[/red]"
    where = Path(row["path"]).name if row.get("path") else str(row.get("source") or "-")
    return [row["name"], engine, where, size, _short(row["modelfile"])]


def _short(path: str) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return path


@click.command()
@click.argument("name")
@click.argument("prompt", required=False)
@click.option("--system", help="Replace the model's system prompt.")
@click.option("--temperature", type=float, help="Sampling temperature (default: the Modelfile's).")
@click.option("--max-tokens", type=click.IntRange(1, 8192), help="Most tokens to generate.")
@click.option("--seed", type=int, help="Sampling seed, for repeatable answers.")
def run(name: str, prompt: str | None, system: str | None, temperature: float | None,
        max_tokens: int | None, seed: int | None) -> None:
    """Chat with model NAME (a registered name or a .gguf path), like `ollama run`.

    With PROMPT: answer once and exit (PROMPT '-' reads standard input). Without: an interactive
    chat; type /bye or press Ctrl-D to leave.
    """
    engine = ModelRegistry(load_settings()).get(name)
    options = GenerationOptions(temperature=temperature, max_tokens=max_tokens, seed=seed)
    history: list[dict[str, str]] = [{"role": "system", "content": system}] if system else []
    if prompt is not None:
        text = sys.stdin.read() if prompt == "-" else prompt
        _answer(engine, history + [{"role": "user", "content": text}], options)
        return
    console.print(f"[dim]Chatting with {name} ({engine.name}). /bye or Ctrl-D to leave.[/dim]")
    while True:
        try:
            text = console.input("[bold green]>>> [/bold green]")
        except EOFError:
            break
        if text.strip() in EXIT_WORDS:
            break
        if not text.strip():
            continue
        history.append({"role": "user", "content": text})
        history.append({"role": "assistant", "content": _answer(engine, history, options)})


def _answer(engine, messages, options) -> str:
    """Stream one reply to standard output; return it whole."""
    parts = []
    for piece in engine.stream(messages, options=options):
        parts.append(piece)
        click.echo(piece, nl=False)
    click.echo()
    return "".join(parts).strip()
