"""LlamaCppEngine on the real embedded GGUF: generation, grammars, token counts, context overflow."""
import json
import threading

import pytest

from core.engine.base import GenerationOptions
from core.errors import BadRequest, ContextOverflow

SHORT = GenerationOptions(max_tokens=24, temperature=0, seed=1)
SCHEMA = {
    "type": "object",
    "properties": {"mood": {"type": "string", "enum": ["calm", "worried", "sad"]},
                   "score": {"type": "integer", "minimum": 0, "maximum": 10}},
    "required": ["mood", "score"], "additionalProperties": False,
}


@pytest.fixture
def engine(registry):
    return registry.get("therapy-assistant")


def test_generates_text_with_counts_and_timings(engine):
    reply = engine.generate([{"role": "user", "content": "Say hello to a new client in one sentence."}],
                            options=SHORT)
    assert reply.text and reply.engine == "llama.cpp" and reply.model == "therapy-assistant"
    assert reply.tokens_in > 20  # the system prompt is part of the prompt
    assert 0 < reply.tokens_out <= 24 and reply.latency_ms > 0


def test_greedy_generation_is_repeatable(engine):
    messages = [{"role": "user", "content": "Name one breathing exercise."}]
    assert engine.generate(messages, options=SHORT).text == engine.generate(messages, options=SHORT).text


def test_schema_constrained_output_is_valid_json(engine):
    for text in ["I feel fine today.", "My dog died and I can't stop crying.", "asdf ;; {{ }}"]:
        reply = engine.generate([{"role": "user", "content": f"Rate this: {text}"}], schema=SCHEMA,
                                options=GenerationOptions(max_tokens=40, temperature=0))
        data = json.loads(reply.text)
        assert data["mood"] in {"calm", "worried", "sad"} and 0 <= data["score"] <= 10


def test_mean_logprob_is_reported_on_request(engine):
    reply = engine.generate([{"role": "user", "content": "Hi"}],
                            options=GenerationOptions(max_tokens=8, temperature=0, logprobs=True))
    assert reply.mean_logprob is not None and reply.mean_logprob <= 0


def test_count_tokens(engine):
    assert engine.count_tokens("") == 0
    assert engine.count_tokens("hello") == 1
    assert engine.count_tokens("hello world, how are you today?") > 3
    assert engine.context_length == 4096


def test_prompt_longer_than_context_is_an_error(engine):
    with pytest.raises(ContextOverflow) as err:
        engine.generate([{"role": "user", "content": "feel " * 5000}], options=SHORT)
    assert err.value.details["context_length"] == 4096 and err.value.details["prompt_tokens"] > 4096


def test_stream_yields_pieces(engine):
    pieces = list(engine.stream([{"role": "user", "content": "Count to three."}], options=SHORT))
    assert len(pieces) > 1 and "".join(pieces).strip()


def test_system_prompt_and_template_reach_the_prompt(engine):
    prompt = engine.render_prompt([{"role": "user", "content": "hi"}])
    assert prompt.startswith("<|im_start|>system\nYou are a supportive assistant")
    assert prompt.endswith("<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n")
    own = engine.render_prompt([{"role": "system", "content": "Be brief."}, {"role": "user", "content": "hi"}])
    assert "supportive assistant" not in own and own.startswith("<|im_start|>system\nBe brief.")


@pytest.mark.parametrize("messages", [[], [{"role": "robot", "content": "x"}], [{"role": "user", "content": 3}],
                                      [{"role": "user"}], "hello"])
def test_bad_messages_are_rejected(engine, messages):
    with pytest.raises(BadRequest):
        engine.generate(messages, options=SHORT)


def test_concurrent_requests_are_serialized_safely(engine):
    results, errors = [], []

    def ask(i):
        try:
            results.append(engine.generate([{"role": "user", "content": f"Say the number {i}."}], options=SHORT))
        except Exception as exc:  # pragma: no cover - a crash here is the failure
            errors.append(exc)

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(results) == 3 and all(r.text for r in results)


def test_any_gguf_path_works(registry, embedded_gguf):
    engine = registry.get(str(embedded_gguf))
    reply = engine.generate([{"role": "user", "content": "Hello"}], options=SHORT)
    assert reply.text and engine.spec.system is None


def test_generation_deadline_raises_engine_timeout(engine):
    from core.errors import EngineTimeout

    with pytest.raises(EngineTimeout, match="did not finish"):
        engine.generate([{"role": "user", "content": "Write a long story about the sea."}],
                        options=GenerationOptions(max_tokens=400, temperature=0, timeout_s=0.05))
