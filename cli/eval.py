"""CLI `eval`: evaluate a model on labelled data, optionally A/B against a baseline."""
from __future__ import annotations

import click

import tasks
from cli.common import console
from evaluation import evaluate, report


@click.command("eval")
@click.option("--task", type=click.Choice(tasks.names()), required=True)
@click.option("--model", "model", required=True, help="Candidate: a model name (e.g. triage) or a .gguf path.")
@click.option("--baseline", default=None, help="Baseline name or .gguf path, run on the same items.")
@click.option("--data", "data_path", type=click.Path(dir_okay=True), default=None,
              help="Labelled file (default: <home>/data/prepared/<task>/test.jsonl).")
@click.option("--patients", "patients_path", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Summarize only: a multi-visit patients JSONL (per-visit risk and must-not-say labels, the "
                   "overall trend) instead of --data; adds trend accuracy.")
@click.option("--label-map", type=click.Path(exists=True, dir_okay=False), default=None,
              help="YAML/JSON mapping external columns and labels onto ours "
                   "(example: evaluation/label_maps/cssrs_five_level.yaml).")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Evaluate N items, taken in turn from each label.")
@click.option("--include-examples", is_flag=True, help="Put inputs and outputs (clinical text) in the report.")
@click.option("--seed", type=int, default=0, show_default=True, help="Bootstrap seed.")
@click.option("--resamples", type=click.IntRange(min=100), default=1000, show_default=True,
              help="Bootstrap resamples.")
@click.option("--max-tokens", type=click.IntRange(min=1), default=None,
              help="Chat only: cap each reply (default: the model's num_predict).")
@click.option("--no-embeddings", is_flag=True, help="Skip embedding similarity (no embedder load).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None,
              help="Report folder (default: <home>/eval/<timestamp>-<task>).")
def eval_command(task: str, model: str, baseline: str | None, data_path: str | None, patients_path: str | None,
                 label_map: str | None, limit: int | None, include_examples: bool, seed: int, resamples: int,
                 max_tokens: int | None, no_embeddings: bool, out_dir: str | None) -> None:
    """Evaluate MODEL on a labelled set; with --baseline, a paired-bootstrap A/B with verdicts."""
    config = evaluate.EvalConfig(task=task, model=model, baseline=baseline, data=data_path, patients=patients_path,
                                 label_map=label_map, limit=limit, include_examples=include_examples, seed=seed,
                                 n_resamples=resamples, max_tokens=max_tokens,
                                 embeddings=not no_embeddings, out_dir=out_dir)
    with console.status(f"evaluating {task}...") as status:
        def progress(role: str, done: int, total: int) -> None:
            status.update(f"evaluating {task}: {role} {done}/{total}")
            console.log(f"{role}: item {done}/{total} done")

        outcome = evaluate.run(config, progress=progress)
    report.print_table(outcome.result, console)
    errors = {k: v for k, v in outcome.result["errors"].items() if v}
    if errors:
        console.print(f"[yellow]items that failed:[/yellow] {errors}")
    console.print(f"report: {outcome.paths['html']}")
