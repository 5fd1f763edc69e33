"""The `data` CLI group: import, fetch and prepare training data (printing only ids, counts, timings)."""
from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

console = Console()


def _home() -> Path:
    from core.settings import Settings

    return Settings.from_env().home


@click.group()
def data() -> None:
    """Import, fetch and prepare training data (PII-scrubbed, validated, deduplicated, split)."""


@data.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--name", help="Dataset name under <home>/data/imported/ (default: from the file name).")
def import_command(path: Path, name: str | None) -> None:
    """Import a CSV/JSON/JSONL file, a Kaggle zip or a folder as normalized records."""
    from training_data import importer

    result = importer.run(importer.ImportConfig(path, _home(), name=name))
    state = "up to date" if result.up_to_date else f"imported in {result.seconds}s"
    console.print(f"[green]{result.name}[/]: {result.records} records, format {result.format} ({state})")
    console.print(f"  -> {result.out_dir / 'records.jsonl'}")


@data.command()
@click.argument("dataset")
def fetch(dataset: str) -> None:
    """Download DATASET from Kaggle (needs the `kaggle` package and credentials), then import it."""
    from training_data import fetch as fetching

    result = fetching.run(fetching.FetchConfig(dataset, _home()))
    console.print(f"[green]{result.name}[/]: {result.records} records, format {result.format}")


@data.command()
@click.option("--task", type=click.Choice(["chat", "triage", "summarize"]), required=True)
@click.option("--input", "inputs", multiple=True, type=click.Path(path_type=Path),
              help="Input file/zip/folder (repeatable). Default: shipped sets, or imported data for chat.")
@click.option("--seed", default=1234, show_default=True)
@click.option("--force", is_flag=True, help="Prepare again even when the inputs are unchanged.")
def prepare(task: str, inputs: tuple[Path, ...], seed: int, force: bool) -> None:
    """Scrub PII, validate, remove near-duplicates, split 80/10/10 and write a data card."""
    from training_data.prepare import PrepareConfig, run

    result = run(PrepareConfig(task=task, home=_home(), inputs=tuple(str(p) for p in inputs), seed=seed, force=force))
    if result.up_to_date:
        console.print(f"[green]{task}[/]: up to date ({result.out_dir})")
        return
    table = Table(title=f"prepared {task} in {result.seconds}s")
    for column in ("train", "val", "test", "dropped"):
        table.add_column(column, justify="right")
    table.add_row(*(str(result.counts.get(k, 0)) for k in ("train", "val", "test")), str(result.dropped))
    console.print(table)
    console.print(f"  -> {result.out_dir} (data_card.md)")
