"""OllamaEngine: the ollama client against OLLAMA_HOST, format= for schemas, explicit num_ctx, no silent truncation."""
from __future__ import annotations

import math
import time
from contextlib import contextmanager
from typing import Any, Iterator, Mapping

from core.engine.base import Engine, GenerationOptions, Messages, ModelSpec, Reply, Timer
from core.errors import ContextOverflow, EngineBusy, EngineError, EngineTimeout, EngineUnavailable, ModelNotFound
from core.settings import Settings
from core.templates import detect

_TAGS_CACHE: dict[str, tuple[float, set[str]]] = {}
_TAGS_TTL_S = 10.0


def ollama_models(host: str, *, timeout: float = 0.5) -> set[str]:
    """Model names Ollama has (with and without ':latest'); empty when Ollama does not answer (normal)."""
    cached = _TAGS_CACHE.get(host)
    if cached and time.monotonic() - cached[0] < _TAGS_TTL_S:
        return cached[1]
    import httpx

    try:
        response = httpx.get(f"{host}/api/tags", timeout=timeout)
        response.raise_for_status()
        names = {m.get("name") or m.get("model") for m in response.json().get("models", [])}
    except (httpx.HTTPError, ValueError):
        names = set()
    names = {n for n in names if n} | {n.removesuffix(":latest") for n in names if n}
    _TAGS_CACHE[host] = (time.monotonic(), names)
    return names


class OllamaEngine(Engine):
    name = "ollama"

    def __init__(self, spec: ModelSpec, *, settings: Settings | None = None, client: Any = None):
        super().__init__(spec)
        import ollama

        self.settings = settings or Settings.from_env()
        self.client = client or ollama.Client(host=self.settings.ollama_host, timeout=self.settings.ollama_timeout_s)
        self.model_name = spec.ollama_name or spec.name
        self._num_ctx = spec.num_ctx or self.settings.n_ctx
        self._family = detect(spec.template)
        self._tokenizer: Any = None

    @property
    def context_length(self) -> int:
        return self._num_ctx

    def count_tokens(self, text: str) -> int:
        """Exact with the local GGUF's vocabulary when we have it; otherwise a conservative estimate."""
        tokenizer = self._vocab()
        if tokenizer is not None:
            return len(tokenizer.tokenize(text.encode("utf-8"), add_bos=False, special=True))
        return math.ceil(len(text.encode("utf-8")) / 3)

    def _vocab(self) -> Any:
        if self._tokenizer is None and self.spec.gguf_path is not None:
            try:
                import llama_cpp

                self._tokenizer = llama_cpp.Llama(model_path=str(self.spec.gguf_path), vocab_only=True, verbose=False)
            except Exception:  # no llama_cpp or unreadable file: fall back to the estimate
                self._tokenizer = False
        return self._tokenizer or None

    def prompt_token_estimate(self, messages: list[dict[str, str]]) -> int:
        if self._family is not None:
            return self.count_tokens(self._family.render(messages)) + 1
        return sum(self.count_tokens(m["content"]) + 8 for m in messages) + 8

    def _options(self, opts: GenerationOptions) -> dict[str, Any]:
        mapped = {"num_ctx": self._num_ctx, "temperature": opts.temperature, "top_p": opts.top_p,
                  "top_k": opts.top_k, "num_predict": opts.max_tokens, "stop": opts.stop,
                  "seed": opts.seed, "repeat_penalty": opts.repeat_penalty}
        return {k: v for k, v in mapped.items() if v is not None}

    def generate(self, messages: Messages, *, schema: Mapping[str, Any] | None = None,
                 options: GenerationOptions | None = None) -> Reply:
        timer = Timer()
        full = self.full_messages(messages)
        estimate = self.prompt_token_estimate(full)
        self.check_fits(estimate)
        with self._errors():
            response = self.client.chat(model=self.model_name, messages=full, format=schema, stream=False,
                                        options=self._options(self.options_for(options)))
        tokens_in = response.prompt_eval_count or estimate
        self._check_not_truncated(tokens_in, estimate)
        return Reply(text=(response.message.content or "").strip(), model=self.spec.name, engine=self.name,
                     tokens_in=tokens_in, tokens_out=response.eval_count or 0, latency_ms=timer.ms,
                     finish_reason=response.done_reason or "stop")

    def stream(self, messages: Messages, *, options: GenerationOptions | None = None) -> Iterator[str]:
        full = self.full_messages(messages)
        self.check_fits(self.prompt_token_estimate(full))
        with self._errors():
            for part in self.client.chat(model=self.model_name, messages=full, stream=True,
                                         options=self._options(self.options_for(options))):
                yield part.message.content or ""

    def _check_not_truncated(self, tokens_in: int, estimate: int) -> None:
        # Ollama trims prompts that do not fit num_ctx; a count at the limit means it may have.
        if tokens_in >= self._num_ctx:
            raise ContextOverflow(f"Ollama evaluated {tokens_in} prompt tokens with num_ctx={self._num_ctx}: "
                                  "the prompt was likely truncated.", hint="shorten the input or raise num_ctx")

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """The one boundary where ollama/httpx errors become ToolkitErrors."""
        import httpx
        import ollama

        try:
            yield
        except ollama.ResponseError as exc:
            if exc.status_code == 404:
                raise ModelNotFound(f"Ollama has no model '{self.model_name}'.",
                                    hint="run `python main.py register` or `ollama pull`") from None
            if exc.status_code == 503:                      # Ollama's own queue is full (OLLAMA_MAX_QUEUE)
                raise EngineBusy(f"Ollama is busy: {exc.error}", hint=f"retry in {EngineBusy.retry_after_s} s") from None
            raise EngineError(f"Ollama error ({exc.status_code}): {exc.error}") from None
        except httpx.TimeoutException:
            raise EngineTimeout(f"Ollama did not answer within {self.settings.ollama_timeout_s:.0f} s.") from None
        except (httpx.HTTPError, ConnectionError) as exc:
            raise EngineUnavailable(f"Ollama is not reachable at {self.settings.ollama_host}: {exc}",
                                    hint="start `ollama serve` or use THERAPY_ENGINE=llamacpp") from None
