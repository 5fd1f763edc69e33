"""Engine overhead: our LlamaCppEngine and POST /chat vs a bare llama_cpp.Llama call, alternating runs.

Prints two ratios measured side by side in one run:
  decode tokens/s (engine / bare)   goal >= 0.95
  /chat latency   (route / bare)    goal <= 1.10
Usage: python -m benchmarks.engine_overhead [--rounds 5] [--tokens 64]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.engine.base import GenerationOptions  # noqa: E402
from core.engine.registry import ModelRegistry  # noqa: E402
from core.settings import Settings  # noqa: E402
from tasks import ASSISTANT_MODEL  # noqa: E402

MESSAGES = [{"role": "user", "content": "Describe one grounding exercise for anxiety, step by step."}]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--tokens", type=int, default=64)
    args = parser.parse_args()

    import llama_cpp

    home = Path(tempfile.mkdtemp(prefix="bench-engine-"))
    settings = Settings(home=home, engine="llamacpp")
    registry = ModelRegistry(settings)
    engine = registry.get(ASSISTANT_MODEL)
    prompt = engine.render_prompt(MESSAGES)
    params = engine.spec.parameters  # the bare call gets exactly the Modelfile's sampling settings
    sampling = {"stop": list(params.get("stop", [])), "repeat_penalty": params.get("repeat_penalty", 1.0)}
    bare = llama_cpp.Llama(model_path=str(engine.spec.gguf_path), n_ctx=engine.context_length,
                           n_threads=os.cpu_count(), n_threads_batch=os.cpu_count(), verbose=False)
    options = GenerationOptions(max_tokens=args.tokens, temperature=0)
    client, headers = _client(settings, registry)

    def run_bare() -> tuple[float, int]:
        start = time.perf_counter()
        out = bare.create_completion(prompt, max_tokens=args.tokens, temperature=0, **sampling)
        return time.perf_counter() - start, out["usage"]["completion_tokens"]

    def run_engine() -> tuple[float, int]:
        start = time.perf_counter()
        reply = engine.generate(MESSAGES, options=options)
        return time.perf_counter() - start, reply.tokens_out

    def run_route() -> tuple[float, int]:
        start = time.perf_counter()
        body = client.post("/chat", headers=headers, json={"model": ASSISTANT_MODEL, "messages": MESSAGES,
                                                            "options": {"max_tokens": args.tokens, "temperature": 0}})
        assert body.status_code == 200, body.get_json()
        return time.perf_counter() - start, body.get_json()["usage"]["tokens_out"]

    for fn in (run_bare, run_engine, run_route):  # warm-up
        fn()
    samples: dict[str, list[tuple[float, int]]] = {"bare": [], "engine": [], "route": []}
    for _ in range(args.rounds):  # alternate so drift and background load hit all three alike
        for name, fn in (("bare", run_bare), ("engine", run_engine), ("route", run_route)):
            samples[name].append(fn())
    _report(samples)


def _client(settings: Settings, registry: ModelRegistry):
    from backend import create_app
    from backend.auth import create_user
    from backend.store import get_store

    app = create_app({"SETTINGS": settings, "MODELS": registry})
    with app.app_context(), get_store().session() as db:
        token = create_user(db, "bench", "clinician")[1]
    return app.test_client(), {"Authorization": f"Bearer {token}"}


def _report(samples: dict[str, list[tuple[float, int]]]) -> None:
    # Background load only ever adds time, so the best of N is the least noisy estimate of each path's
    # cost; medians are printed beside it.
    best_tps = {k: max(n / s for s, n in v) for k, v in samples.items()}
    med_tps = {k: statistics.median(n / s for s, n in v) for k, v in samples.items()}
    best_ms = {k: min(s for s, _ in v) * 1000 for k, v in samples.items()}
    med_ms = {k: statistics.median(s for s, _ in v) * 1000 for k, v in samples.items()}
    print(f"tokens generated per call: { {k: sorted({n for _, n in v}) for k, v in samples.items()} }")
    print(f"{'':8} {'tok/s best':>11} {'tok/s median':>13} {'ms best':>9} {'ms median':>10}")
    for name in ("bare", "engine", "route"):
        print(f"{name:8} {best_tps[name]:11.1f} {med_tps[name]:13.1f} {best_ms[name]:9.1f} {med_ms[name]:10.1f}")
    decode_ratio = best_tps["engine"] / best_tps["bare"]
    route_ratio = best_ms["route"] / best_ms["bare"]
    print(f"decode tokens/s ratio engine/bare: {decode_ratio:.3f} (goal >= 0.95) "
          f"{'OK' if decode_ratio >= 0.95 else 'BELOW GOAL'}; median ratio {med_tps['engine'] / med_tps['bare']:.3f}")
    print(f"/chat latency ratio route/bare:    {route_ratio:.3f} (goal <= 1.10) "
          f"{'OK' if route_ratio <= 1.10 else 'ABOVE GOAL'}; median ratio {med_ms['route'] / med_ms['bare']:.3f}")


if __name__ == "__main__":
    main()
