"""Model names -> ModelSpec (from Modelfiles) -> a cached Engine, choosing llama.cpp or Ollama."""
from __future__ import annotations

import dataclasses
import threading
from pathlib import Path
from typing import Any

from core.embedded import EMBEDDED_ALIASES, embedded_gguf_path
from core.engine.base import Engine, ModelSpec
from core.engine.choice import choose, create_engine
from core.errors import ConfigError, ModelNotFound
from core.model_names import version_of
from core.modelfile import SHIPPED_DIR, Modelfile, parse_file
from core.settings import Settings


class ModelRegistry:
    """Resolves names and GGUF paths, and keeps one Engine per name (reloaded if its Modelfile changes)."""

    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings.from_env()
        self._engines: dict[str, tuple[Any, Engine]] = {}
        self._lock = threading.Lock()

    # --- resolution ------------------------------------------------------------------------
    def modelfile_dirs(self) -> list[Path]:
        return [self.settings.registry_dir, SHIPPED_DIR]

    def names(self) -> list[str]:
        found: dict[str, None] = {}
        for folder in self.modelfile_dirs():
            for path in sorted(folder.glob("*.Modelfile")):
                found.setdefault(path.name.removesuffix(".Modelfile"))
        return list(found)

    def modelfile_path(self, name: str) -> Path | None:
        for folder in self.modelfile_dirs():
            path = folder / f"{name}.Modelfile"
            if path.is_file():
                return path
        return None

    def resolve(self, name: str) -> ModelSpec:
        if not isinstance(name, str) or not name.strip():
            raise ModelNotFound("A model name is required.")
        path = self.modelfile_path(name)
        if path is not None:
            return spec_from_modelfile(name, parse_file(path))
        if name.lower().endswith(".gguf") or "/" in name:
            return spec_from_gguf(Path(name))
        if name in EMBEDDED_ALIASES:
            return ModelSpec(name=name, source=name, gguf_path=embedded_gguf_path(), ollama_name=name)
        raise ModelNotFound(f"Unknown model '{name}'.",
                            hint=f"known names: {', '.join(self.names())}, or a path to a .gguf file")

    # --- engines ---------------------------------------------------------------------------
    def get(self, name: str) -> Engine:
        """The Engine serving `name`, created once and reused (its Modelfile's mtime is the cache key)."""
        path = self.modelfile_path(name)
        key = path.stat().st_mtime_ns if path else None
        with self._lock:
            cached = self._engines.get(name)
            if cached and cached[0] == key:
                return cached[1]
            engine = create_engine(self.resolve(name), self.settings)
            self._engines[name] = (key, engine)
            if cached and cached[1].spec.gguf_path != engine.spec.gguf_path:
                cached[1].release()           # hot swap: calls already holding the old engine still finish
            return engine

    def describe(self) -> list[dict[str, Any]]:
        """One row per known name: where it resolves, size, and which engine would serve it."""
        rows = []
        for name in self.names():
            row: dict[str, Any] = {"name": name, "modelfile": str(self.modelfile_path(name))}
            try:
                spec = self.resolve(name)
                row.update(source=spec.source, path=str(spec.gguf_path) if spec.gguf_path else None,
                           size_bytes=spec.gguf_path.stat().st_size if spec.gguf_path else None,
                           engine=self._planned_engine(spec), ok=True)
            except (ModelNotFound, ConfigError) as exc:
                row.update(ok=False, error=exc.message)
            rows.append(row)
        return rows

    def served(self) -> dict[str, dict[str, Any]]:
        """name -> the kept version it serves (None: shipped or unversioned) and its weights' file name."""
        out: dict[str, dict[str, Any]] = {}
        for name in self.names():
            try:
                spec = self.resolve(name)
            except (ModelNotFound, ConfigError) as exc:
                out[name] = {"version": None, "error": exc.message}
                continue
            out[name] = {"version": version_of(self.settings.models_dir, name, spec.gguf_path),
                         "weights": spec.gguf_path.name if spec.gguf_path else spec.ollama_name}
        return out

    def _planned_engine(self, spec: ModelSpec) -> str:
        with self._lock:
            cached = self._engines.get(spec.name)
        return cached[1].name if cached else choose(spec, self.settings).label

    def close(self) -> None:
        with self._lock:
            for _, engine in self._engines.values():
                engine.close()
            self._engines.clear()


def spec_from_modelfile(name: str, mf: Modelfile) -> ModelSpec:
    gguf, ollama_name = _resolve_from(mf)
    return ModelSpec(name=name, source=mf.from_, gguf_path=gguf, ollama_name=ollama_name or name,
                     system=mf.system, template=mf.template, parameters=dict(mf.parameters),
                     messages=tuple(mf.messages), license=mf.license, modelfile=mf.path)


def _resolve_from(mf: Modelfile) -> tuple[Path | None, str | None]:
    """FROM may be an embedded alias, a GGUF path (relative to the Modelfile) or an Ollama model name."""
    source = mf.from_
    if source.lower() in EMBEDDED_ALIASES:
        return embedded_gguf_path(), None
    looks_like_path = source.lower().endswith(".gguf") or source.startswith((".", "/", "~"))
    if looks_like_path:
        path = Path(source).expanduser()
        if not path.is_absolute() and mf.path is not None:
            path = mf.path.parent / path
        if not path.is_file():
            raise ModelNotFound(f"GGUF file not found: {path} (FROM in {mf.path})",
                                hint="run `python main.py register` again or fix the FROM line")
        return path, None
    return None, source


def spec_from_gguf(path: Path) -> ModelSpec:
    path = path.expanduser()
    if not path.is_file():
        raise ModelNotFound(f"GGUF file not found: {path}", hint="check the path")
    return ModelSpec(name=str(path), source=str(path), gguf_path=path.resolve())


def weights_spec(name: str, like: ModelSpec | None = None) -> ModelSpec:
    """Bare weights (a GGUF path, else an Ollama model name) with `like`'s SYSTEM, TEMPLATE and parameters."""
    if name.lower().endswith(".gguf"):
        base = spec_from_gguf(Path(name))
    else:
        base = ModelSpec(name=name, source=name, ollama_name=name)
    if like is None:
        return base
    return dataclasses.replace(like, name=base.name, source=base.source, gguf_path=base.gguf_path,
                               ollama_name=base.ollama_name, modelfile=None)
