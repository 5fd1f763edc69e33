"""Triage benchmark: first-pass schema validity, floor latency with the engine off, /triage vs the bare model call.

Printed side by side in one run:
  first-pass validity of the constrained `triage` model over N messages (real embedded GGUF)
  floor latency p50/p99 (evaluate() alone, and POST /triage with the engine stopped; goal p99 < 20 ms)
  /triage latency vs the bare constrained engine.generate call, alternating (ratio, goal <= 1.10)
Usage: python -m benchmarks.triage [--n 8] [--floor-rounds 5] [--no-model]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from backend.safety.floor import default_rules, evaluate  # noqa: E402
from backend.triage.service import SCHEMA, TriageConfig, triage  # noqa: E402
from core.engine.base import GenerationOptions  # noqa: E402
from core.engine.fake import ScriptedEngine  # noqa: E402
from core.errors import EngineUnavailable  # noqa: E402
from core.prompts import build_messages  # noqa: E402
from core.settings import Settings  # noqa: E402
from tasks import TRIAGE_MODEL  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "backend" / "safety" / "data"


def messages() -> list[str]:
    rows = []
    for name in ("must_catch.jsonl", "near_misses.jsonl"):
        rows += [json.loads(line)["text"] for line in (DATA / name).read_text(encoding="utf-8").splitlines()]
    return rows


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


class Models:
    def __init__(self, engine):
        self.engine = engine

    def get(self, name):
        return self.engine


def client_for(settings: Settings, models, user: str) -> tuple:
    from backend import create_app
    from backend.auth import create_user
    from backend.store import get_store

    app = create_app({"SETTINGS": settings, "MODELS": models})
    with app.app_context(), get_store().session() as db:
        token = create_user(db, user, "service")[1]
    return app.test_client(), {"Authorization": f"Bearer {token}"}


def floor_latency(texts: list[str], rounds: int, settings: Settings) -> dict[str, float]:
    default_rules()
    floor_ms = []
    for _ in range(rounds):
        for text in texts:
            start = time.perf_counter()
            evaluate(text)
            floor_ms.append((time.perf_counter() - start) * 1000)
    down = ScriptedEngine([EngineUnavailable("engine stopped")])
    service_ms = []
    for _ in range(rounds):
        for text in texts:
            start = time.perf_counter()
            triage(text, engine=down)
            service_ms.append((time.perf_counter() - start) * 1000)
    client, headers = client_for(settings, Models(down), "bench-floor")
    route_ms, reviewed = [], 0
    for _ in range(rounds):
        for text in texts:
            start = time.perf_counter()
            body = client.post("/triage", json={"text": text}, headers=headers).get_json()
            route_ms.append((time.perf_counter() - start) * 1000)
            assert body["needs_review"] and body["source"] == "floor", body
            reviewed += body["review_id"] is not None
    return {"floor_p50": pct(floor_ms, .5), "floor_p99": pct(floor_ms, .99),
            "service_p50": pct(service_ms, .5), "service_p99": pct(service_ms, .99), "route_p50": pct(route_ms, .5),
            "route_p99": pct(route_ms, .99), "n": len(route_ms), "queued": reviewed}


def model_runs(texts: list[str], settings: Settings) -> dict[str, float]:
    from core.engine.registry import ModelRegistry

    registry = ModelRegistry(settings)
    engine = registry.get(TRIAGE_MODEL)
    config = TriageConfig()
    options = GenerationOptions(temperature=config.temperature, max_tokens=config.max_tokens,
                                seed=config.seed, logprobs=True)
    client, headers = client_for(settings, registry, "bench-model")
    first_valid, bare_ms, route_ms, single = 0, [], [], []
    for text in texts:  # alternate bare and route on each message: same prompt, grammar and seed
        start = time.perf_counter()
        engine.generate(build_messages(text), schema=SCHEMA, options=options)
        bare_ms.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        body = client.post("/triage", json={"text": text}, headers=headers).get_json()
        route_ms.append((time.perf_counter() - start) * 1000)
        single.append(body["attempts"] == 1)
        first_valid += body["first_pass_valid"] is True
    same = [r / b for r, b, s in zip(route_ms, bare_ms, single) if s]
    return {"n": len(texts), "first_pass_valid": first_valid / len(texts),
            "bare_median": statistics.median(bare_ms), "route_median": statistics.median(route_ms),
            "ratio_median": statistics.median(route_ms) / statistics.median(bare_ms),
            "ratio_single_call": statistics.median(same) if same else float("nan"), "single_calls": len(same)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=8, help="messages for the model part")
    parser.add_argument("--floor-rounds", type=int, default=3)
    parser.add_argument("--no-model", action="store_true", help="skip the real-model part")
    args = parser.parse_args()
    texts = messages()
    settings = Settings(home=Path(tempfile.mkdtemp(prefix="bench-triage-")), engine="llamacpp")
    floor = floor_latency(texts, args.floor_rounds, settings)
    print(f"floor latency, engine off: evaluate() p50 {floor['floor_p50']:.2f} ms  p99 {floor['floor_p99']:.2f} ms | "
          f"triage() p50 {floor['service_p50']:.2f} ms  p99 {floor['service_p99']:.2f} ms | POST /triage (engine stopped, auth on) p50 {floor['route_p50']:.1f} ms  p99 {floor['route_p99']:.1f} ms "
          f"(goal p99 < 20 ms: {'OK' if floor['route_p99'] < 20 else 'ABOVE GOAL'}; n={floor['n']}, "
          f"{floor['queued']} crises queued)")
    if args.no_model:
        return
    step = max(1, len(texts) // args.n)
    model = model_runs(texts[::step][:args.n], settings)
    print(f"first-pass schema validity (real embedded triage model): {model['first_pass_valid']:.0%} "
          f"of {model['n']} messages")
    print(f"/triage vs bare constrained call: route median {model['route_median']:.0f} ms, bare median "
          f"{model['bare_median']:.0f} ms, ratio {model['ratio_median']:.3f} (goal <= 1.10: "
          f"{'OK' if model['ratio_median'] <= 1.10 else 'ABOVE GOAL'}); on the {model['single_calls']} "
          f"messages answered in one call: ratio {model['ratio_single_call']:.3f}")


if __name__ == "__main__":
    main()
