"""Crisis resources (fixed by the practice in a YAML file) and the fallback texts, loaded and validated."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Optional

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from core.errors import ConfigError
from core.schemas import Severity

SAFETY_DIR = Path(__file__).resolve().parent
RESOURCES_FILE = SAFETY_DIR / "resources.yaml"
FALLBACK_FILE = SAFETY_DIR / "fallback.yaml"


class Resource(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str
    contact: str
    url: Optional[str] = None
    available: Optional[str] = None


class ResourceSet(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    region: str
    severities: tuple[Severity, ...] = ("crisis", "high")
    resources: tuple[Resource, ...] = Field(min_length=1)

    def for_severity(self, severity: str) -> list[Resource]:
        return list(self.resources) if severity in self.severities else []


class FallbackTexts(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    default_action: dict[Severity, str]
    empathetic_opening: dict[Severity, str]
    follow_up_question: dict[Severity, str]


def _load(path: Path, model: type[BaseModel]) -> BaseModel:
    try:
        return model.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"Cannot read {path}: {exc}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        raise ConfigError(f"{path} is malformed: {'.'.join(map(str, first['loc']))}: {first['msg']}") from None


@lru_cache(maxsize=8)
def load_resources(path: str | Path | None = None) -> ResourceSet:
    """The crisis resources from `path` (Settings.resources_file) or the shipped US defaults."""
    return _load(Path(path) if path else RESOURCES_FILE, ResourceSet)  # type: ignore[return-value]


@lru_cache(maxsize=1)
def load_fallback_texts() -> FallbackTexts:
    return _load(FALLBACK_FILE, FallbackTexts)  # type: ignore[return-value]
