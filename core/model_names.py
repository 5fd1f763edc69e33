"""The registry names of the two shipped models (core/schemas needs one as a default, so they live in core)."""
from __future__ import annotations

TRIAGE_MODEL = "triage"
ASSISTANT_MODEL = "therapy-assistant"
