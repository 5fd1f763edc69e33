"""What every command module shares: the consoles, settings, tables, JSON and progress bars."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Collection, Iterable

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from core.settings import Settings

console = Console()
err_console = Console(stderr=True)  # progress and notes, so standard output stays the result alone


def load_settings() -> Settings:
    """The settings every command reads: the environment, with --home already applied by main.py."""
    return Settings.from_env()


def home() -> Path:
    return load_settings().home


def table(title: str, columns: Iterable[str], rows: Iterable[Iterable[Any]], *, justify: str = "left",
          no_wrap: Collection[str] = ()) -> Table:
    """A rich table; a None cell prints empty."""
    out = Table(title=title)
    for column in columns:
        out.add_column(column, justify=justify, no_wrap=column in no_wrap)  # type: ignore[arg-type]
    for row in rows:
        out.add_row(*("" if v is None else str(v) for v in row))
    return out


def print_table(title: str, columns: Iterable[str], rows: Iterable[Iterable[Any]], **options: Any) -> None:
    console.print(table(title, columns, rows, **options))


def print_json(value: Any) -> None:
    click.echo(json.dumps(value, indent=2))


def progress_bar(label: str) -> Progress:
    """A bar with done/total and time left, on standard error."""
    return Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    console=err_console)
