"""CLI `safety train`: retrain the crisis floor's semantic layer and print its leave-one-source-out table."""
from __future__ import annotations

from pathlib import Path

import click

from cli.common import err_console, print_table

NOTE_COLUMNS = ["held out", "notes", "rules exact", "exact", "within one", "crisis", "over", "under"]
COLUMNS = ["held out", "n", "crisis", "false crisis", "at-risk", "false alarm", "AUC crisis", "AUC risk"]


@click.group()
def safety() -> None:
    """The crisis floor's trained layer."""


@safety.command("train")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the model here instead of the shipped backend/safety/semantic_model.npz.")
def train_command(out) -> None:
    """Cross-validate by source, choose thresholds, fit on all training data and write the model + manifest."""
    from backend.safety import train
    from backend.summarize.evidence import rule_rank

    config = train.TrainConfig(**({"out": out} if out else {}))
    result = train.run(config, progress=lambda i, n, s: err_console.print(f"  [{i}/{n}] held out {s}"),
                       note_rules=rule_rank)
    print_table(f"leave-one-source-out (thresholds crisis {result.thresholds['crisis']:.3f}, "
                f"review {result.thresholds['review']:.3f})", COLUMNS,
                [[s, m["n"], _pct(m.get("crisis_recall")), _pct(m.get("false_crisis")), _pct(m.get("at_risk_recall")),
                  _pct(m.get("false_alarm")), _auc(m.get("crisis_auc")), _auc(m.get("risk_auc"))]
                 for s, m in result.sources.items()])
    t = result.note_thresholds
    print_table("session-note reading, out of source (note thresholds " + ", ".join(f"{k} {v:.2f}" for k, v in t.items())
                + ")", NOTE_COLUMNS, [[s, m["n"], _pct(m["rules_exact"]), _pct(m["exact"]), _pct(m["within_one"]),
                                        _pct(m["crisis_recall"]), _pct(m["over"]), _pct(m["under"])]
                                       for s, m in result.notes.items()])
    click.echo(f"wrote {result.path} and {result.manifest.name} in {result.seconds:.0f} s")


def _auc(value) -> str:
    return "-" if value is None else f"{value:.3f}"


def _pct(value) -> str:
    return "-" if value is None else f"{value:.0%}"
