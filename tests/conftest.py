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

# THERAPY_TEST_POSTGRES_URL=postgresql://user@host:port/db runs the tests that use `settings` (and `cli`)
# against PostgreSQL: each test gets a fresh database on that server. Tests marked sqlite_only are skipped.
POSTGRES_URL = os.environ.get("THERAPY_TEST_POSTGRES_URL", "")


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: takes more than ~30 s (real model training or long generation)")
    config.addinivalue_line("markers", "ollama: needs a real Ollama at OLLAMA_HOST")
    config.addinivalue_line("markers", "sqlite_only: about the SQLite file itself (skipped against PostgreSQL)")


def pytest_collection_modifyitems(config, items):
    if POSTGRES_URL:
        skip = pytest.mark.skip(reason="SQLite file behaviour (THERAPY_TEST_POSTGRES_URL is set)")
        for item in items:
            if item.get_closest_marker("sqlite_only"):
                item.add_marker(skip)


@pytest.fixture
def database_url(request) -> str:
    """"" (SQLite under the test's home), or a fresh PostgreSQL database when THERAPY_TEST_POSTGRES_URL is set."""
    if not POSTGRES_URL or request.node.get_closest_marker("sqlite_only"):
        yield ""
        return
    from tests.postgres import fresh_database

    with fresh_database(POSTGRES_URL) as url:
        yield url


@pytest.fixture
def settings(tmp_path, database_url) -> Settings:
    """Settings with a private home folder and the embedded engine (Ollama is never probed)."""
    return Settings(home=tmp_path / "home", engine="llamacpp", database_url=database_url)


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
def cli(tmp_path, database_url):
    """`cli("models")` runs main.py with a private home folder (and the test's database); `cli.settings`
    are the settings it runs with."""
    home = tmp_path / "cli-home"
    db_env = {"THERAPY_DATABASE_URL": database_url} if database_url else {}

    def _run(*args: str, env: dict | None = None, **kwargs):
        return run_cli(*args, home=home, env={**db_env, **(env or {})}, **kwargs)

    _run.home = home
    _run.settings = Settings(home=home, engine="llamacpp", database_url=database_url)
    return _run


class RawDb:
    """The database under test opened below the app, as someone holding its key or password would:
    qmark (?) SQL on SQLite and PostgreSQL alike, committed by commit()."""

    def __init__(self, opened):
        self._raw = opened.engine.raw_connection()
        self._postgres = opened.engine.dialect.name == "postgresql"

    def execute(self, sql: str, params=()):
        cursor = self._raw.cursor()
        cursor.execute(sql.replace("?", "%s") if self._postgres else sql, tuple(params))
        return cursor

    def commit(self) -> None:
        self._raw.commit()

    def close(self) -> None:
        self._raw.close()
