"""Kept model versions on real GGUF files: store, serve, history, rollback, prune; the registry and a running
app switch to the served version at once, while requests keep being answered."""
from __future__ import annotations

import dataclasses
import shutil
import threading

import pytest

from core.engine.registry import ModelRegistry
from core.errors import NotFound
from core.modelfile import shipped
from modelfiles import register, versions


@pytest.fixture(scope="module")
def weights(embedded_gguf, tmp_path_factory):
    """Two GGUF files with different paths (the same weights), standing for two trained exports."""
    folder = tmp_path_factory.mktemp("exports")
    return [shutil.copy(embedded_gguf, folder / f"triage-{n}.gguf") for n in ("a", "b")]


def keep(settings, path, run: str):
    mf = dataclasses.replace(shipped("triage"), from_=str(path))
    folder = versions.store(settings, "triage", mf, {"run": run}, promotion={"how": "gate", "reason": "test"},
                            evaluation={"promote": True})
    return folder


def test_store_serve_history_rollback_prune(settings, weights):
    registry = ModelRegistry(settings)
    assert versions.current(settings, "triage") is None and registry.served()["triage"]["version"] is None
    v1 = keep(settings, weights[0], "run-a")
    versions.serve(settings, "triage", v1)
    v2 = keep(settings, weights[1], "run-b")
    versions.serve(settings, "triage", v2)
    assert (v1.name, v2.name) == ("v1", "v2")
    assert {p.name for p in v2.iterdir()} == {"triage-b.gguf", "triage.Modelfile", "manifest.json", "eval.json"}
    assert registry.resolve("triage").gguf_path == v2 / "triage-b.gguf"
    rows = versions.history(settings, "triage")
    assert [(r["version"], r["current"], r["run"]) for r in rows] == [("v1", False, "run-a"), ("v2", True, "run-b")]

    assert versions.rollback(settings, "triage") == v1                 # the one before the served one
    assert registry.served()["triage"]["version"] == "v1"
    with pytest.raises(NotFound, match="no version before v1"):
        versions.rollback(settings, "triage")
    assert versions.rollback(settings, "triage", "v2") == v2
    with pytest.raises(NotFound, match="no version v9"):
        versions.rollback(settings, "triage", "v9")

    v3 = keep(settings, weights[0], "run-c")
    assert versions.prune(settings, "triage", keep=1) == ["v1"]        # v2 is served: kept, v3 newest: kept
    assert [p.name for p in versions.versions(settings, "triage")] == ["v2", "v3"]
    assert v3.is_dir()


def test_rollback_updates_the_registry_file(settings, weights):
    for path in weights:
        versions.serve(settings, "triage", keep(settings, path, path.stem))
    entry = register.rollback("triage", settings, ollama=False)
    assert entry["version"] == "v1" and entry["gguf"].endswith("v1/triage-a.gguf")


def test_running_app_swaps_models_without_failing_requests(settings, weights, auth, client):
    """A client keeps triaging while versions are promoted and rolled back: every answer is a 200,
    and /health names the version served after each change."""
    versions.serve(settings, "triage", keep(settings, weights[0], "a"))
    v2 = keep(settings, weights[1], "b")
    headers = auth("clinician")
    statuses: list[int] = []
    stop = threading.Event()

    def keep_asking():
        while not stop.is_set():
            reply = client.post("/triage", json={"text": "Work has been stressful and I sleep badly."},
                                headers=headers)
            statuses.append(reply.status_code)

    worker = threading.Thread(target=keep_asking)
    worker.start()
    try:
        for target, name in ((v2, "v2"), (None, "v1")):
            while len(statuses) < 1:
                stop.wait(0.05)
            seen = len(statuses)
            if target is None:
                versions.rollback(settings, "triage")
            else:
                versions.serve(settings, "triage", target)
            assert client.get("/health").get_json()["served"]["triage"]["version"] == name
            while len(statuses) < seen + 1:                               # answered by the new version
                stop.wait(0.05)
    finally:
        stop.set()
        worker.join(timeout=120)
    assert statuses and set(statuses) == {200}


def test_cli_history_and_rollback_are_audited(cli, weights):
    for path in weights:
        versions.serve(cli.settings, "triage", keep(cli.settings, path, path.stem))
    out = cli("models", "history", "triage")
    assert out.returncode == 0 and "v1" in out.stdout and "v2" in out.stdout
    out = cli("models", "rollback", "triage", "--no-ollama")
    assert out.returncode == 0 and "now serves v1" in out.stdout, out.stderr
    assert versions.current(cli.settings, "triage") == "v1"
    trail = cli("audit", "show", "--json")
    assert '"model.rollback"' in trail.stdout and '"v1"' in trail.stdout
    bad = cli("models", "rollback", "triage", "v7", "--no-ollama")
    assert bad.returncode != 0 and "no version v7" in (bad.stdout + bad.stderr)
    assert cli("models", "history", "../etc").returncode == 2
