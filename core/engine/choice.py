"""ENGINES: which runtime serves a ModelSpec (settings.engine forces one; auto takes the first that can serve)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from core.engine.base import Engine, ModelSpec
from core.engine.llamacpp import LlamaCppEngine
from core.engine.ollama import OllamaEngine, ollama_models
from core.errors import ConfigError
from core.settings import Settings


@dataclass(frozen=True)
class EngineKind:
    """One runtime: the THERAPY_ENGINE value that forces it, the Engine.name it serves as, and its factory."""

    key: str
    label: str
    can_serve: Callable[[ModelSpec, Settings], bool]
    create: Callable[[ModelSpec, Settings], Engine]


def ollama_has(spec: ModelSpec, settings: Settings) -> bool:
    """Ollama answers and has the model (its Ollama name, else its name)."""
    names = ollama_models(settings.ollama_host)
    return bool(names) and (spec.ollama_name or spec.name) in names


def has_gguf(spec: ModelSpec, settings: Settings) -> bool:
    return spec.gguf_path is not None


def _ollama(spec: ModelSpec, settings: Settings) -> Engine:
    return OllamaEngine(spec, settings=settings)


def _llamacpp(spec: ModelSpec, settings: Settings) -> Engine:
    return LlamaCppEngine(spec, n_ctx=spec.num_ctx or settings.n_ctx, n_threads=settings.n_threads,
                          max_waiting=settings.model_queue)


# Tried in order under `auto`; the last one also answers when none can (and raises its own clear error).
ENGINES: tuple[EngineKind, ...] = (
    EngineKind("ollama", OllamaEngine.name, ollama_has, _ollama),
    EngineKind("llamacpp", LlamaCppEngine.name, has_gguf, _llamacpp),
)


def choose(spec: ModelSpec, settings: Settings) -> EngineKind:
    """The forced kind, or under `auto` the first that can serve `spec`; ConfigError for an unknown choice."""
    forced = next((kind for kind in ENGINES if kind.key == settings.engine), None)
    if forced is not None:
        return forced
    if settings.engine != "auto":
        raise ConfigError(f"Unknown engine '{settings.engine}'; use auto, llamacpp or ollama.")
    return next((kind for kind in ENGINES if kind.can_serve(spec, settings)), ENGINES[-1])


def create_engine(spec: ModelSpec, settings: Settings) -> Engine:
    """A new Engine for `spec` on the runtime `choose` picks."""
    return choose(spec, settings).create(spec, settings)
