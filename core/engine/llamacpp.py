"""LlamaCppEngine: the embedded runtime (llama-cpp-python) with JSON-schema grammars and exact token counts."""
from __future__ import annotations

import atexit
import json
import os
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Mapping

from core.engine.base import Engine, GenerationOptions, Messages, ModelSpec, Reply, Timer
from core.errors import ConfigError, EngineBusy, EngineError, EngineTimeout, ModelNotFound
from core.templates import detect

_LOADED: dict[tuple[str, int, int], "_Loaded"] = {}
_LOADED_LOCK = threading.Lock()


class _Loaded:
    """One llama.cpp model+context, shared by every name that points at the same file, with its lock."""

    def __init__(self, path: Path, n_ctx: int, n_threads: int):
        import llama_cpp

        try:
            self.llm = llama_cpp.Llama(model_path=str(path), n_ctx=n_ctx, n_threads=n_threads or None,
                                       n_threads_batch=n_threads or None, verbose=False)
        except (ValueError, RuntimeError) as exc:
            raise EngineError(f"llama.cpp could not load {path.name}: {exc}",
                              hint="is it a valid GGUF file for this llama.cpp version?") from None
        self.lock = threading.RLock()           # one generation at a time; tokenizing inside it re-enters
        self.grammars: dict[str, Any] = {}
        self._waiting = 0
        self._count = threading.Lock()

    @contextmanager
    def slot(self, name: str, timeout_s: float | None, max_waiting: int) -> Iterator[float | None]:
        """Hold the model for one generation; yields the seconds left of `timeout_s` after the wait.

        At most `max_waiting` callers wait behind the one generating (more: EngineBusy at once), and the
        wait counts against the deadline (past it: EngineTimeout before anything is generated)."""
        started = time.perf_counter()
        if not self.lock.acquire(blocking=False):
            self._wait(name, timeout_s, max_waiting)
        try:
            yield None if timeout_s is None else timeout_s - (time.perf_counter() - started)
        finally:
            self.lock.release()

    def _wait(self, name: str, timeout_s: float | None, max_waiting: int) -> None:
        with self._count:
            if self._waiting >= max_waiting:
                raise EngineBusy(f"Model '{name}' is busy ({self._waiting} requests waiting).",
                                 hint=f"retry in {EngineBusy.retry_after_s} s")
            self._waiting += 1
        try:
            got = self.lock.acquire(timeout=timeout_s if timeout_s is not None else -1)
        finally:
            with self._count:
                self._waiting -= 1
        if not got:
            raise EngineTimeout(f"Model '{name}' stayed busy for {timeout_s:g} s; nothing was generated.")

    def grammar(self, schema: Mapping[str, Any]) -> Any:
        from llama_cpp import LlamaGrammar

        key = json.dumps(schema, sort_keys=True)
        if key not in self.grammars:
            try:  # keep the schema's property order: it is the order the model writes the fields in
                self.grammars[key] = LlamaGrammar.from_json_schema(json.dumps(schema), verbose=False)
            except Exception as exc:  # llama.cpp's converter raises bare exceptions
                raise ConfigError(f"JSON schema cannot be turned into a grammar: {exc}") from None
        return self.grammars[key]


def _load(path: Path, n_ctx: int, n_threads: int) -> _Loaded:
    key = (str(path.resolve()), n_ctx, n_threads)
    with _LOADED_LOCK:
        if key not in _LOADED:
            if not _LOADED:
                atexit.register(_close_all)
            _LOADED[key] = _Loaded(path, n_ctx, n_threads)
        return _LOADED[key]


def _forget(loaded: _Loaded) -> None:
    """Drop `loaded` from the cache without closing it: requests still holding it finish, then it is freed."""
    with _LOADED_LOCK:
        for key in [k for k, v in _LOADED.items() if v is loaded]:
            del _LOADED[key]


def _close_all() -> None:
    """Free models before interpreter shutdown (llama.cpp's finalizers fail once modules are torn down)."""
    with _LOADED_LOCK:
        for loaded in _LOADED.values():
            loaded.llm.close()
        _LOADED.clear()


class LlamaCppEngine(Engine):
    name = "llama.cpp"

    def __init__(self, spec: ModelSpec, *, n_ctx: int = 4096, n_threads: int = 0, max_waiting: int = 2):
        super().__init__(spec)
        self.max_waiting = max_waiting
        if spec.gguf_path is None:
            raise ModelNotFound(f"Model '{spec.name}' (FROM {spec.source}) has no local GGUF; "
                                "only Ollama can serve it.", hint="start Ollama, or register a local GGUF")
        self._model = _load(spec.gguf_path, n_ctx, n_threads or os.cpu_count() or 1)
        self._family = detect(spec.template) or detect(self._model.llm.metadata.get("tokenizer.chat_template"))

    def release(self) -> None:
        """This engine was replaced (a new version is served): stop caching its weights for new engines."""
        _forget(self._model)

    @property
    def llm(self) -> Any:
        """The underlying llama_cpp.Llama (for benchmarks and diagnostics)."""
        return self._model.llm

    @property
    def context_length(self) -> int:
        return self._model.llm.n_ctx()

    def count_tokens(self, text: str) -> int:
        with self._model.lock:
            return len(self._model.llm.tokenize(text.encode("utf-8"), add_bos=False, special=True))

    def render_prompt(self, messages: Messages) -> str:
        """The exact prompt text for these messages (SYSTEM and MESSAGE turns included)."""
        full = self.full_messages(messages)
        if self._family is not None:
            return self._family.render(full)
        return self._jinja_prompt(full)

    def prompt_tokens(self, messages: Messages) -> list[int]:
        prompt = self.render_prompt(messages)
        with self._model.lock:
            return self._model.llm.tokenize(prompt.encode("utf-8"), add_bos=True, special=True)

    def generate(self, messages: Messages, *, schema: Mapping[str, Any] | None = None,
                 options: GenerationOptions | None = None) -> Reply:
        import llama_cpp

        timer = Timer()
        opts = self.options_for(options)
        recorder = _LogprobRecorder() if opts.logprobs else None
        with self._model.slot(self.spec.name, opts.timeout_s, self.max_waiting) as left_s:
            tokens = self.prompt_tokens(messages)
            self.check_fits(len(tokens))
            deadline = _Deadline(left_s) if left_s is not None else None
            kwargs = self._completion_kwargs(tokens, opts, schema)
            if recorder:
                kwargs["logits_processor"] = llama_cpp.LogitsProcessorList([recorder])
            if deadline:
                kwargs["stopping_criteria"] = llama_cpp.StoppingCriteriaList([deadline])
            try:
                out = self._model.llm.create_completion(**kwargs)
            except (RuntimeError, ValueError) as exc:
                raise EngineError(f"llama.cpp generation failed: {exc}") from None
        if deadline and deadline.hit:
            raise EngineTimeout(f"Model '{self.spec.name}' did not finish within {opts.timeout_s:g} s "
                                "(queue time included).")
        choice, usage = out["choices"][0], out["usage"]
        return Reply(text=choice["text"].strip(), model=self.spec.name, engine=self.name,
                     tokens_in=usage["prompt_tokens"], tokens_out=usage["completion_tokens"],
                     latency_ms=timer.ms, finish_reason=choice.get("finish_reason") or "stop",
                     mean_logprob=recorder.mean if recorder else None)

    def stream(self, messages: Messages, *, options: GenerationOptions | None = None) -> Iterator[str]:
        tokens = self.prompt_tokens(messages)
        self.check_fits(len(tokens))
        kwargs = self._completion_kwargs(tokens, self.options_for(options), None)
        with self._model.slot(self.spec.name, None, self.max_waiting):
            for chunk in self._model.llm.create_completion(**kwargs, stream=True):
                yield chunk["choices"][0]["text"]

    def _completion_kwargs(self, tokens: list[int], opts: GenerationOptions,
                           schema: Mapping[str, Any] | None) -> dict[str, Any]:
        room = self.context_length - len(tokens)
        kwargs: dict[str, Any] = {
            "prompt": tokens,
            "max_tokens": min(opts.max_tokens or 512, room),
            "stop": opts.stop or (list(self._family.stop) if self._family else []),
        }
        for ours, theirs in (("temperature", "temperature"), ("top_p", "top_p"), ("top_k", "top_k"),
                             ("seed", "seed"), ("repeat_penalty", "repeat_penalty")):
            value = getattr(opts, ours)
            if value is not None:
                kwargs[theirs] = value
        if schema is not None:
            kwargs["grammar"] = self._model.grammar(schema)
        return kwargs

    def _jinja_prompt(self, messages: list[dict[str, str]]) -> str:
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        meta = self._model.llm.metadata
        template = meta.get("tokenizer.chat_template")
        if not template:
            raise ConfigError(f"Model '{self.spec.name}' has no chat template (TEMPLATE or GGUF metadata).")
        llm = self._model.llm
        eos = llm.detokenize([llm.token_eos()]).decode("utf-8", "ignore")
        bos = llm.detokenize([llm.token_bos()]).decode("utf-8", "ignore")
        formatter = Jinja2ChatFormatter(template=template, eos_token=eos, bos_token=bos)
        prompt = formatter(messages=messages).prompt
        return prompt[len(bos):] if bos and prompt.startswith(bos) else prompt


class _Deadline:
    """A stopping criterion that ends generation once `seconds` have passed (checked per token)."""

    def __init__(self, seconds: float):
        self.end = time.perf_counter() + seconds
        self.hit = False

    def __call__(self, input_ids: Any, logits: Any) -> bool:
        self.hit = self.hit or time.perf_counter() > self.end
        return self.hit


class _LogprobRecorder:
    """A logits processor that records the log-probability of each sampled token (before grammar masking)."""

    def __init__(self) -> None:
        self._pending: tuple[Any, float] | None = None
        self.logprobs: list[float] = []

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        import numpy as np

        if self._pending is not None:
            row, lse = self._pending
            self.logprobs.append(float(row[int(input_ids[-1])] - lse))
        top = float(scores.max())
        lse = top + float(np.log(np.exp(scores - top).sum()))
        self._pending = (scores.copy(), lse)
        return scores

    @property
    def mean(self) -> float | None:
        return sum(self.logprobs) / len(self.logprobs) if self.logprobs else None
