"""The service's collaborators (settings, model registry, triage and summary services, clock), held on the app."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable

from flask import current_app

from backend.summarize.service import Summarizer
from backend.triage.service import TriageService
from core.settings import Settings


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class Toolkit:
    settings: Settings
    models: Any                                  # core.engine.registry.ModelRegistry
    triage: TriageService
    summarizer: Summarizer
    clock: Callable[[], datetime] = utcnow
    extras: dict[str, Any] = field(default_factory=dict)


def get_toolkit() -> Toolkit:
    return current_app.extensions["toolkit"]
