"""CLI `models` (list, history, rollback) and `run`: the models, their kept versions, and a chat like `ollama run`."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from cli.common import console, load_settings, print_json, table
from core.engine.base import GenerationOptions
from core.engine.registry import ModelRegistry
from modelfiles import register, versions

EXIT_WORDS = {"/bye", "/exit", "/quit"}


@click.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.pass_context
def models(ctx, as_json: bool) -> None:
    """List model names, where each resolves, its size and the engine that would serve it.

    `models history NAME` lists its kept versions; `models rollback NAME [VERSION]` serves an earlier one."""
    if ctx.invoked_subcommand is not None:
        return
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


@models.command("history")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def history(name: str, as_json: bool) -> None:
    """The kept versions of model NAME, oldest first; * marks the one served."""
    rows = versions.history(load_settings(), name)
    if as_json:
        print_json(rows)
        return
    if not rows:
        console.print(f"no kept versions of {name}: it serves its shipped Modelfile")
        return
    console.print(table(f"{name}: versions", ["", "version", "stored", "run", "how", "reason"],
                        [("*" if r["current"] else "", r["version"], r["stored_at"], r["run"], r["how"],
                          (r["reason"] or "")[:70]) for r in rows]))


@models.command("rollback")
@click.argument("name")
@click.argument("version", required=False)
@click.option("--no-ollama", is_flag=True, help="Do not re-create it in Ollama.")
def rollback(name: str, version: str | None, no_ollama: bool) -> None:
    """Serve VERSION of model NAME (default: the one before the served one); running servers switch at once."""
    from cli.practice import audit_model_change  # the practice database: only for this command

    settings = load_settings()
    before = versions.current(settings, name)
    entry = register.rollback(name, settings, version, ollama=not no_ollama)
    audit_model_change("model.rollback", name=name, version=entry["version"], replaced=before or "none")
    console.print(f"[green]{name} now serves {entry['version']}[/green] (was {before or 'unversioned'})")


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
