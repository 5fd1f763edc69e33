"""Shared fixtures: isolated settings/home, the real embedded model registry, the Flask app and client."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from core.settings import Settings  # noqa: E402


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: takes more than ~30 s (real model training or long generation)")
    config.addinivalue_line("markers", "ollama: needs a real Ollama at OLLAMA_HOST")


@pytest.fixture
def settings(tmp_path) -> Settings:
    """Settings with a private home folder and the embedded engine (Ollama is never probed)."""
    return Settings(home=tmp_path / "home", engine="llamacpp")


@pytest.fixture
def registry(settings):
    from core.engine.registry import ModelRegistry

    return ModelRegistry(settings)


@pytest.fixture
def app(settings, registry):
    from backend import create_app

    return create_app({"SETTINGS": settings, "MODELS": registry, "TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def auth(app):
    """`auth("clinician")` -> headers with a fresh token of that role (one user per role per test)."""
    from backend.auth import create_user
    from backend.store import get_store

    tokens: dict[str, str] = {}

    def headers(role: str) -> dict[str, str]:
        if role not in tokens:
            with app.app_context():
                with get_store().session() as db:
                    tokens[role] = create_user(db, f"test-{role}", role)[1]
        return {"Authorization": f"Bearer {tokens[role]}"}

    return headers


@pytest.fixture(scope="session")
def embedded_gguf() -> Path:
    from core.embedded import embedded_gguf_path

    return embedded_gguf_path()


def run_cli(*args: str, home: Path | None = None, input: str | None = None, timeout: int = 300,
            env: dict | None = None) -> subprocess.CompletedProcess:
    """Run `python main.py ARGS` in a subprocess, as a user would."""
    full_env = {**os.environ, "THERAPY_ENGINE": "llamacpp", **(env or {})}
    if home is not None:
        full_env["THERAPY_HOME"] = str(home)
    return subprocess.run([sys.executable, str(REPO / "main.py"), *args], capture_output=True, text=True,
                          input=input, timeout=timeout, env=full_env, cwd=REPO)


@pytest.fixture
def cli(tmp_path):
    """`cli("models")` runs main.py with a private home folder."""
    home = tmp_path / "cli-home"

    def _run(*args: str, **kwargs):
        return run_cli(*args, home=home, **kwargs)

    _run.home = home
    return _run
