"""The service's collaborators (settings, model registry, store, clock), held on the Flask app."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable

from flask import current_app

from core.settings import Settings


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class Toolkit:
    settings: Settings
    models: Any                                  # core.engine.registry.ModelRegistry
    clock: Callable[[], datetime] = utcnow
    extras: dict[str, Any] = field(default_factory=dict)


def get_toolkit() -> Toolkit:
    return current_app.extensions["toolkit"]
