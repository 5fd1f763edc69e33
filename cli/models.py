"""CLI commands for models and serving: `models`, `run`, `serve`."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from core.settings import Settings

console = Console()


def _registry():
    from core.engine.registry import ModelRegistry

    return ModelRegistry(Settings.from_env())


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def models(as_json: bool) -> None:
    """List model names, where each resolves, its size and the engine that would serve it."""
    rows = _registry().describe()
    if as_json:
        import json

        click.echo(json.dumps(rows, indent=2))
        return
    table = Table(title="Models")
    for column in ("name", "engine", "source", "size", "modelfile"):
        table.add_column(column, no_wrap=column == "name")
    for row in rows:
        size = f"{row['size_bytes'] / 1e6:.1f} MB" if row.get("size_bytes") else "-"
        engine = row.get("engine") or f"[red]{row.get('error')}[/red]"
        where = Path(row["path"]).name if row.get("path") else str(row.get("source") or "-")
        table.add_row(row["name"], engine, where, size, _short(row["modelfile"]))
    console.print(table)


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
    from core.engine.base import GenerationOptions

    engine = _registry().get(name)
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
        if text.strip() in {"/bye", "/exit", "/quit"}:
            break
        if not text.strip():
            continue
        history.append({"role": "user", "content": text})
        history.append({"role": "assistant", "content": _answer(engine, history, options)})


def _answer(engine, messages, options) -> str:
    parts = []
    for piece in engine.stream(messages, options=options):
        parts.append(piece)
        click.echo(piece, nl=False)
    click.echo()
    return "".join(parts).strip()


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8002, show_default=True, type=click.IntRange(1, 65535))
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64))
@click.option("--demo", is_flag=True, help="Serve the fictional demo practice (separate demo database).")
def serve(host: str, port: int, threads: int, demo: bool) -> None:
    """Serve the HTTP API with waitress (a production WSGI server)."""
    import waitress

    from backend import create_app

    settings = Settings.from_env()
    if demo:
        settings = _demo_settings(settings)
    app = create_app({"SETTINGS": settings})
    _warm_floor()
    console.print(f"[green]Serving on http://{host}:{port}[/green] (engine: {settings.engine}; "
                  f"database: {'demo' if demo else 'practice'}). Ctrl-C to stop.")
    waitress.serve(app, host=host, port=port, threads=threads, ident="therapy-toolkit")


def _warm_floor() -> None:
    """Compile the crisis floor's rules and load its classifier now, not on the first request."""
    from backend.safety import floor, learned, signals

    floor.default_rules(), signals.default_signals(), learned.default_model()


def _demo_settings(settings: Settings) -> Settings:
    from backend import demo

    return demo.prepare(settings)
