"""The Engine interface: one model on one runtime, generate/stream/count_tokens, plus its value types."""
from __future__ import annotations

import json
import time
from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

from core.errors import BadRequest, ContextOverflow

Messages = Sequence[Mapping[str, str]]
ROLES = ("system", "user", "assistant")


@dataclass(frozen=True)
class ModelSpec:
    """What a model name resolves to: weights, prompt format and defaults (read from a Modelfile)."""

    name: str
    source: str                                  # the FROM value as written
    gguf_path: Path | None = None                # local weights, when we have them
    ollama_name: str | None = None               # name to ask Ollama for
    system: str | None = None
    template: str | None = None                  # Ollama Go template
    parameters: Mapping[str, Any] = field(default_factory=dict)
    messages: tuple[tuple[str, str], ...] = ()   # MESSAGE few-shot turns
    license: str | None = None
    modelfile: Path | None = None

    @property
    def num_ctx(self) -> int | None:
        value = self.parameters.get("num_ctx")
        return int(value) if value else None


@dataclass
class GenerationOptions:
    """Per-call overrides; None means the Modelfile's PARAMETER (or the runtime default)."""

    temperature: float | None = None
    top_p: float | None = None
    top_k: int | None = None
    max_tokens: int | None = None
    stop: list[str] | None = None
    seed: int | None = None
    repeat_penalty: float | None = None
    logprobs: bool = False                       # ask for the mean token log-probability
    timeout_s: float | None = None               # generation deadline; past it: EngineTimeout

    @classmethod
    def from_parameters(cls, params: Mapping[str, Any], **overrides: Any) -> "GenerationOptions":
        base = cls(
            temperature=params.get("temperature"), top_p=params.get("top_p"), top_k=params.get("top_k"),
            max_tokens=params.get("num_predict"), stop=list(params.get("stop", [])) or None,
            seed=params.get("seed"), repeat_penalty=params.get("repeat_penalty"),
        )
        for key, value in overrides.items():
            if value is not None:
                setattr(base, key, value)
        return base


@dataclass
class Reply:
    """One generation: the text plus token counts and timings."""

    text: str
    model: str
    engine: str
    tokens_in: int
    tokens_out: int
    latency_ms: float
    finish_reason: str = "stop"
    mean_logprob: float | None = None

    @property
    def tokens_per_s(self) -> float:
        return self.tokens_out / (self.latency_ms / 1000) if self.latency_ms > 0 else 0.0

    def json(self) -> Any:
        """The text parsed as JSON (for schema-constrained replies)."""
        return json.loads(self.text)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "tokens_per_s": round(self.tokens_per_s, 2)}


class Engine(ABC):
    """One model served by one runtime. Implementations translate their library's errors to ToolkitError."""

    name: str = "engine"

    def __init__(self, spec: ModelSpec):
        self.spec = spec

    @property
    @abstractmethod
    def context_length(self) -> int: ...

    @abstractmethod
    def count_tokens(self, text: str) -> int: ...

    @abstractmethod
    def generate(self, messages: Messages, *, schema: Mapping[str, Any] | None = None,
                 options: GenerationOptions | None = None) -> Reply: ...

    @abstractmethod
    def stream(self, messages: Messages, *, options: GenerationOptions | None = None) -> Iterator[str]: ...

    # --- shared helpers -------------------------------------------------------------------
    def full_messages(self, messages: Messages) -> list[dict[str, str]]:
        """The conversation as the model sees it: SYSTEM, then MESSAGE turns, then the caller's."""
        checked = validate_messages(messages)
        prefix: list[dict[str, str]] = []
        if self.spec.system and not any(m["role"] == "system" for m in checked):
            prefix.append({"role": "system", "content": self.spec.system})
        prefix += [{"role": r, "content": c} for r, c in self.spec.messages]
        if checked and checked[0]["role"] == "system" and prefix:
            return [checked[0], *prefix[1 if prefix[0]["role"] == "system" else 0:], *checked[1:]]
        return prefix + checked

    def options_for(self, options: GenerationOptions | None) -> GenerationOptions:
        merged = GenerationOptions.from_parameters(self.spec.parameters)
        if options:
            for key, value in asdict(options).items():
                if value is not None and value is not False:
                    setattr(merged, key, value)
        return merged

    def check_fits(self, prompt_tokens: int) -> None:
        if prompt_tokens >= self.context_length:
            raise ContextOverflow(
                f"Prompt is {prompt_tokens} tokens but model '{self.spec.name}' has a context of "
                f"{self.context_length}; nothing was truncated.",
                hint="shorten the input or raise num_ctx in the model's Modelfile",
                details={"prompt_tokens": prompt_tokens, "context_length": self.context_length},
            )

    def close(self) -> None:
        """Release resources (optional)."""

    def release(self) -> None:
        """A newer model replaced this one: free what only it uses once in-flight calls end (optional)."""


def validate_messages(messages: Messages) -> list[dict[str, str]]:
    """Check the chat shape: a non-empty list of {role, content} with known roles and string content."""
    if not isinstance(messages, (list, tuple)) or not messages:
        raise BadRequest("messages must be a non-empty list of {role, content} objects")
    out = []
    for i, m in enumerate(messages):
        if not isinstance(m, Mapping) or set(m) - {"role", "content"} or "role" not in m or "content" not in m:
            raise BadRequest(f"messages[{i}] must be an object with exactly 'role' and 'content'")
        if m["role"] not in ROLES:
            raise BadRequest(f"messages[{i}].role must be one of {', '.join(ROLES)}")
        if not isinstance(m["content"], str):
            raise BadRequest(f"messages[{i}].content must be a string")
        out.append({"role": m["role"], "content": m["content"]})
    return out


class Timer:
    """Milliseconds since construction."""

    def __init__(self) -> None:
        self.start = time.perf_counter()

    @property
    def ms(self) -> float:
        return (time.perf_counter() - self.start) * 1000
