"""CLI `data`: import, fetch and prepare training data (printing only ids, counts, timings)."""
from __future__ import annotations

from pathlib import Path

import click

import tasks
from cli.common import console, home, table
from training_data import fetch as fetching
from training_data import importer
from training_data.deid import files as deid_files
from training_data.prepare import PrepareConfig
from training_data.prepare import run as run_prepare


@click.group()
def data() -> None:
    """Import, fetch and prepare training data (PII-scrubbed, validated, deduplicated, split)."""


@data.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--name", help="Dataset name under <home>/data/imported/ (default: from the file name).")
def import_command(path: Path, name: str | None) -> None:
    """Import a CSV/JSON/JSONL file, a Kaggle zip or a folder as normalized records."""
    result = importer.run(importer.ImportConfig(path, home(), name=name))
    state = "up to date" if result.up_to_date else f"imported in {result.seconds}s"
    console.print(f"[green]{result.name}[/]: {result.records} records, format {result.format} ({state})")
    console.print(f"  -> {result.out_dir / 'records.jsonl'}")


@data.command()
@click.argument("dataset")
def fetch(dataset: str) -> None:
    """Download DATASET from Kaggle (needs the `kaggle` package and credentials), then import it."""
    result = fetching.run(fetching.FetchConfig(dataset, home()))
    console.print(f"[green]{result.name}[/]: {result.records} records, format {result.format}")


@data.command()
@click.option("--task", type=click.Choice(tasks.names()), required=True)
@click.option("--input", "inputs", multiple=True, type=click.Path(path_type=Path),
              help="Input file/zip/folder (repeatable). Default: shipped sets, or imported data for chat.")
@click.option("--seed", default=1234, show_default=True)
@click.option("--force", is_flag=True, help="Prepare again even when the inputs are unchanged.")
def prepare(task: str, inputs: tuple[Path, ...], seed: int, force: bool) -> None:
    """Scrub PII, validate, remove near-duplicates, split 80/10/10 and write a data card."""
    config = PrepareConfig(task=task, home=home(), inputs=tuple(str(p) for p in inputs), seed=seed, force=force)
    result = run_prepare(config)
    if result.up_to_date:
        console.print(f"[green]{task}[/]: up to date ({result.out_dir})")
        return
    counts = [result.counts.get(k, 0) for k in ("train", "val", "test")] + [result.dropped]
    console.print(table(f"prepared {task} in {result.seconds}s", ["train", "val", "test", "dropped"], [counts],
                        justify="right"))
    console.print(f"  -> {result.out_dir} (data_card.md)")


@data.command("scrub")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), help="Where to write (default: NAME.scrubbed.EXT beside it).")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 when any identifier is found.")
def scrub_command(path: Path, out: Path | None, check: bool) -> None:
    """De-identify a .txt/.md/.jsonl/.csv file (placeholders like [NAME_1]), or --check it for identifiers."""
    result = deid_files.run(deid_files.ScrubConfig(path, out, check))
    report = result.report
    rows = [[kind, n] for kind, n in report["by_kind"].items()] or [["none", 0]]
    console.print(f"{path.name}: {report['identifiers']} identifiers in {report['texts_changed']} of "
                  f"{report['texts']} texts")
    console.print(table("identifiers by kind", ["kind", "count"], rows))
    if check:
        if result.residual_lines:
            shown = ", ".join(map(str, result.residual_lines[:20])) + (" ..." if len(result.residual_lines) > 20 else "")
            console.print(f"[red]check failed[/]: identifiers remain in records {shown}")
            raise SystemExit(1)
        console.print("[green]check passed[/]: no identifiers found")
        return
    console.print(f"  -> {result.out}")
