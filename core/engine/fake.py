"""ScriptedEngine: a real, deterministic Engine for tests (like simonw/llm's echo model), no weights."""
from __future__ import annotations

from typing import Any, Callable, Iterator, Mapping, Sequence

from core.engine.base import Engine, GenerationOptions, Messages, ModelSpec, Reply, Timer

Script = Sequence["str | Exception"] | Callable[[list[dict[str, str]], Mapping[str, Any] | None], str]


class ScriptedEngine(Engine):
    """Answers from a list of replies (the last one repeats) or a function of (messages, schema).

    An Exception in the list is raised instead of answering (e.g. EngineUnavailable for a down engine).
    Every call is recorded in `calls` as (messages, schema).
    """

    name = "scripted"

    def __init__(self, replies: Script, *, spec: ModelSpec | None = None, context_length: int = 4096):
        super().__init__(spec or ModelSpec(name="scripted", source="scripted"))
        self._replies = replies
        self._context_length = context_length
        self.calls: list[tuple[list[dict[str, str]], Mapping[str, Any] | None]] = []

    @property
    def context_length(self) -> int:
        return self._context_length

    def count_tokens(self, text: str) -> int:
        return len(text) // 4 + 1

    def generate(self, messages: Messages, *, schema: Mapping[str, Any] | None = None,
                 options: GenerationOptions | None = None) -> Reply:
        timer = Timer()
        full = self.full_messages(messages)
        prompt_tokens = sum(self.count_tokens(m["content"]) + 4 for m in full)
        self.check_fits(prompt_tokens)
        self.calls.append((full, schema))
        text = self._next(full, schema)
        return Reply(text=text, model=self.spec.name, engine=self.name, tokens_in=prompt_tokens,
                     tokens_out=self.count_tokens(text), latency_ms=timer.ms, mean_logprob=-0.1)

    def stream(self, messages: Messages, *, options: GenerationOptions | None = None) -> Iterator[str]:
        reply = self.generate(messages, options=options)
        yield from (word + " " for word in reply.text.split(" "))

    def _next(self, messages: list[dict[str, str]], schema: Mapping[str, Any] | None) -> str:
        if callable(self._replies):
            return self._replies(messages, schema)
        index = min(len(self.calls) - 1, len(self._replies) - 1)
        reply = self._replies[index]
        if isinstance(reply, Exception):
            raise reply
        return reply
