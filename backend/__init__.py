"""The Flask service: `create_app(test_config)` builds it; nothing here imports torch or training code."""
from __future__ import annotations

from typing import Any, Mapping

__version__ = "0.1.0"


def create_app(test_config: Mapping[str, Any] | None = None):
    from backend.app import create_app as _create_app

    return _create_app(test_config)
