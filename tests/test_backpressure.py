"""Backpressure: a busy local model queues a bounded few, refuses the rest at once (503 + Retry-After), and the
deadline counts the wait; triage still answers from the floor; /health never waits on a model."""
from __future__ import annotations

import threading
import time

import pytest

from backend import create_app
from backend.auth import create_user
from backend.store import get_store
from core.engine.registry import ModelRegistry
from core.errors import EngineBusy, EngineTimeout


@pytest.fixture
def held(settings):
    """A registry whose `therapy-assistant` engine is busy: the test holds its model from another thread."""
    registry = ModelRegistry(settings.with_(model_queue=1))
    engine = registry.get("therapy-assistant")
    release, taken = threading.Event(), threading.Event()

    def hold() -> None:
        with engine._model.slot("holder", None, 1):
            taken.set()
            release.wait(30)

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    assert taken.wait(10)
    yield registry, engine
    release.set()
    thread.join(10)


def test_waiters_beyond_the_queue_are_refused_at_once(held):
    _, engine = held
    def wait_once() -> None:
        with engine._model.slot("waiter", 5, 1):
            pass

    waiter = threading.Thread(target=lambda: _swallow(wait_once), daemon=True)
    waiter.start()
    time.sleep(0.2)                                      # one waiter now fills the queue of one
    started = time.perf_counter()
    with pytest.raises(EngineBusy):
        with engine._model.slot("late", 5, 1):
            pass
    assert time.perf_counter() - started < 0.5


def test_the_wait_counts_against_the_deadline(held):
    _, engine = held
    started = time.perf_counter()
    with pytest.raises(EngineTimeout, match="busy"):
        engine.generate([{"role": "user", "content": "hi"}], options=_options(timeout_s=0.5))
    assert 0.4 < time.perf_counter() - started < 2


def test_http_answers_503_with_retry_after_and_health_does_not_wait(settings, held):
    registry, engine = held
    app = create_app({"SETTINGS": settings.with_(model_queue=0), "MODELS": registry, "TESTING": True})
    engine.max_waiting = 0                               # the held model takes no waiter
    with app.app_context(), get_store().session() as db:
        token = create_user(db, "bp-clinician", "clinician")[1]
    client = app.test_client()
    started = time.perf_counter()
    chat = client.post("/chat", json={"messages": [{"role": "user", "content": "hello"}]},
                       headers={"Authorization": f"Bearer {token}"})
    assert chat.status_code == 503 and chat.headers["Retry-After"] == "5"
    assert chat.json["error"]["code"] == "engine_busy"
    assert client.get("/health").status_code == 200
    assert time.perf_counter() - started < 2


def _options(**kwargs):
    from core.engine.base import GenerationOptions

    return GenerationOptions(max_tokens=8, **kwargs)


def _swallow(fn) -> None:
    try:
        fn()
    except Exception:  # noqa: BLE001 - the background waiter's outcome is not under test
        pass
