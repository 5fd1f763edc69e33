"""Prepared records -> prompt/completion chat examples, built with the backend's own prompt functions."""
from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from pydantic import ValidationError

import tasks
from core.errors import ConfigError, NotFound, ValidationFailed
from core.modelfile import shipped

Example = dict[str, list[dict[str, str]]]


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        raise NotFound(f"Prepared data file {path} is missing.",
                       hint="run `python main.py data prepare` first (or `python main.py build`)")
    records = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValidationFailed(f"{path.name}:{lineno} is not valid JSON ({exc.msg}).",
                                       hint="re-run `python main.py data prepare`") from None
            if not isinstance(record, dict):
                raise ValidationFailed(f"{path.name}:{lineno} must be a JSON object")
            records.append(record)
    return records


def system_prompt(model_name: str) -> str | None:
    """The SYSTEM prompt of the shipped Modelfile, which `register` writes into the trained model's Modelfile,
    so train = serve (an earlier registration's copy under var/modelfiles may be stale)."""
    return shipped(model_name).system


def to_examples(task: str, records: list[dict[str, Any]], system: str | None, source: str) -> list[Example]:
    """TRL conversational prompt/completion examples; a bad record stops with its id and field."""
    out, example = [], tasks.get(task).example
    for i, record in enumerate(records):
        try:
            prompt, completion = example(record)
        except KeyError as exc:
            raise ValidationFailed(f"{source}: record {record.get('id', i)} has no field {exc} "
                                   f"(expected the prepared '{task}' format).",
                                   hint="re-run `python main.py data prepare`; see the data card for the format") from None
        except (ValidationError, ValueError, TypeError) as exc:
            raise ValidationFailed(f"{source}: record {record.get('id', i)} is not a valid '{task}' example: "
                                   f"{str(exc).splitlines()[0]}", hint="re-run `python main.py data prepare`") from None
        head = [{"role": "system", "content": system}] if system else []
        out.append({"prompt": head + prompt, "completion": [{"role": "assistant", "content": completion}]})
    return out


def load_split(data_dir: Path, task: str, split: str, *, limit: int = 0, seed: int = 42) -> list[dict[str, Any]]:
    records = read_jsonl(data_dir / f"{split}.jsonl")
    if not records:
        raise ConfigError(f"{data_dir / (split + '.jsonl')} is empty.", hint="prepare more data")
    if limit and len(records) > limit:
        records = random.Random(seed).sample(records, limit)
    return records
