"""CLI `triage`: one message (prints the JSON result) or a JSONL file of {"id", "text"} lines."""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any, Optional

import click

import tasks
from backend.triage.review import store_writer
from backend.triage.service import TriageService, check_text
from cli.common import err_console, load_settings, progress_bar
from core.engine.registry import ModelRegistry
from core.errors import BadRequest
from core.settings import Settings

LINE_FIELDS = {"id", "text"}


def _service(settings: Settings, model: str, use_model: bool) -> TriageService:
    """The triage service as the API builds it; crisis results go to the same review queue."""
    service = TriageService.from_settings(settings, ModelRegistry(settings) if use_model else None,
                                          model_name=model, review=store_writer(settings))
    _, error = service.engine()                 # once, for the warning (the registry keeps the engine)
    if error is not None:
        err_console.print(f"[yellow]Model '{model}' unavailable ({error.message}); answering from the safety "
                          "floor only (needs_review=true).[/yellow]")
    return service


def read_lines(path: Path) -> list[dict[str, Any]]:
    """Every input line, validated before any work is done (exit 2 names the first bad line)."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BadRequest(f"Input file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BadRequest(f"Cannot read {path}: {exc}") from None
    rows = []
    for number, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise BadRequest(f"{path.name}:{number}: not valid JSON ({exc.msg}).") from None
        if not isinstance(row, dict) or set(row) != LINE_FIELDS:
            raise BadRequest(f"{path.name}:{number}: each line must be an object with exactly 'id' and 'text'.")
        if not isinstance(row["id"], (str, int)) or isinstance(row["id"], bool):
            raise BadRequest(f"{path.name}:{number}: 'id' must be a string or an integer.")
        if not isinstance(row["text"], str):
            raise BadRequest(f"{path.name}:{number}: 'text' must be a string.")
        rows.append(row)
    if not rows:
        raise BadRequest(f"{path.name} has no lines to triage.")
    return rows


def _write_atomic(path: Path, lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.writelines(line + "\n" for line in lines)
    os.replace(tmp, path)


@click.command()
@click.argument("text", required=False)
@click.option("--input", "input_path", type=click.Path(dir_okay=False, path_type=Path),
              help="JSONL file, one {\"id\", \"text\"} object per line.")
@click.option("--output", "output_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write one {\"id\", ...result} line per input line.")
@click.option("--model", default=tasks.TRIAGE_MODEL, show_default=True, help="Model name or .gguf path.")
@click.option("--no-model", is_flag=True, help="Answer from the safety floor only (no engine).")
def triage(text: Optional[str], input_path: Optional[Path], output_path: Optional[Path], model: str,
           no_model: bool) -> None:
    """Triage TEXT and print the JSON result, or triage every line of --input into --output.

    Crisis results are added to the review queue. Exit code 2 on bad input.
    """
    if (text is None) == (input_path is None):
        raise BadRequest("Give either TEXT or --input FILE (not both).")
    if (input_path is None) != (output_path is None):
        raise BadRequest("--input and --output go together.")
    settings = load_settings()
    service = _service(settings, model, not no_model)
    rows = [{"id": None, "text": text}] if text is not None else read_lines(input_path)  # type: ignore[arg-type]
    for number, row in enumerate(rows, 1):
        try:
            check_text(row["text"], service.config.max_chars)
        except BadRequest as exc:
            where = f"line {number}" if input_path else "TEXT"
            raise BadRequest(f"{where}: {exc.message}", hint=exc.hint) from None
    if text is not None:
        click.echo(service.triage(text).model_dump_json(indent=2))
        return
    _triage_file(rows, output_path, service)  # type: ignore[arg-type]


def _triage_file(rows: list[dict[str, Any]], output_path: Path, service: TriageService) -> None:
    """Triage every row with a progress bar; write the output only when every row succeeded."""
    out, crises = [], 0
    with progress_bar("triage") as progress:
        task = progress.add_task("triage", total=len(rows))
        for row in rows:
            result = service.triage(row["text"])
            out.append(json.dumps({"id": row["id"], **result.model_dump(mode="json")}, ensure_ascii=False))
            crises += result.severity == "crisis"
            progress.advance(task)
    _write_atomic(output_path, out)
    err_console.print(f"[green]Wrote {len(out)} results to {output_path}[/green] ({crises} crisis, queued for review)")
