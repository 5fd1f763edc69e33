"""Stage manifests: a fingerprint of inputs+config+versions, written atomically as manifest.json."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from training_data.manifest import versions as _versions
from training_data.manifest import write_json

__all__ = ["fingerprint", "read", "unchanged", "versions", "write", "write_json"]
LIBRARIES = ("torch", "transformers", "peft", "trl", "llama-cpp-python", "gguf")


def versions(names: tuple[str, ...] = LIBRARIES) -> dict[str, str | None]:
    return _versions(names)


def fingerprint(inputs: dict[str, str], config: dict[str, Any], libs: dict[str, str | None]) -> str:
    """sha256 over the input hashes, the config and the library versions: equal means nothing changed."""
    blob = json.dumps({"inputs": inputs, "config": config, "versions": libs}, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def read(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None


def unchanged(path: Path, key: str) -> dict[str, Any] | None:
    """The manifest at path when it is complete and has this fingerprint, else None."""
    manifest = read(path)
    if manifest and manifest.get("fingerprint") == key and manifest.get("status") == "complete":
        return manifest
    return None


def write(path: Path, body: dict[str, Any]) -> dict[str, Any]:
    """Write manifest.json atomically (temp file + rename), stamped with the time."""
    body = {**body, "written_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    write_json(path, body)
    return body
