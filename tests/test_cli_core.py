"""The CLI as a user runs it: help, models, run, serve, and clean errors."""
import os
import socket
import subprocess
import sys
import time

import httpx

from tests.conftest import REPO


def test_help_is_fast_and_lists_commands(cli):
    start = time.perf_counter()
    result = cli("--help")
    assert result.returncode == 0 and time.perf_counter() - start < 2.0
    for name in ("models", "run", "serve", "triage", "summarize", "train", "build", "eval"):
        assert name in result.stdout


def test_help_imports_nothing_heavy():
    code = "import sys, main; main.main(['--help']) if False else None; print(sorted(m for m in ('torch','transformers','llama_cpp','flask') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_models_lists_both_names(cli):
    result = cli("models", "--json")
    assert result.returncode == 0, result.stderr
    assert '"triage"' in result.stdout and '"therapy-assistant"' in result.stdout


def test_run_one_shot_prints_an_answer(cli):
    result = cli("run", "therapy-assistant", "Say hello", "--max-tokens", "16", "--seed", "1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()


def test_run_reads_stdin(cli):
    result = cli("run", "therapy-assistant", "-", "--max-tokens", "8", input="Say hi")
    assert result.returncode == 0 and result.stdout.strip()


def test_interactive_run_until_bye(cli):
    result = cli("run", "therapy-assistant", "--max-tokens", "8", input="Hello\n/bye\n")
    assert result.returncode == 0 and "Chatting with therapy-assistant" in result.stdout


def test_unknown_model_is_one_red_line(cli):
    result = cli("run", "no-such-model", "hi")
    assert result.returncode == 1
    assert "Error: Unknown model 'no-such-model'" in result.stderr and "Traceback" not in result.stderr


def test_missing_gguf_path(cli, tmp_path):
    result = cli("run", str(tmp_path / "missing.gguf"), "hi")
    assert result.returncode == 1 and "GGUF file not found" in result.stderr and "Traceback" not in result.stderr


def test_malformed_modelfile_names_the_line(cli):
    folder = cli.home / "modelfiles"
    folder.mkdir(parents=True)
    (folder / "triage.Modelfile").write_text("FROM smollm2:135m\nPARAMETER temperature warm\n")
    result = cli("run", "triage", "hi")
    assert result.returncode == 2
    assert "triage.Modelfile:2: PARAMETER temperature must be float" in result.stderr
    assert "Traceback" not in result.stderr


def test_usage_error_exit_code(cli):
    result = cli("run")
    assert result.returncode == 2 and "Missing argument" in result.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_answers_health_and_chat(cli, tmp_path):
    port = _free_port()
    added = cli("users", "add", "front-desk", "--role", "clinician")
    assert added.returncode == 0, added.stderr
    token = next(w for w in added.stdout.split() if w.startswith("tt_"))
    env = {**os.environ, "THERAPY_HOME": str(cli.home), "THERAPY_ENGINE": "llamacpp"}
    server = subprocess.Popen([sys.executable, str(REPO / "main.py"), "serve", "--port", str(port)],
                              cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                health = httpx.get(f"{base}/health", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        assert health.json()["status"] == "ok"
        reply = httpx.post(f"{base}/chat", headers={"Authorization": f"Bearer {token}"}, timeout=60,
                           json={"messages": [{"role": "user", "content": "Hello"}], "options": {"max_tokens": 8}})
        assert reply.status_code == 200 and reply.json()["message"]["content"]
        assert httpx.post(f"{base}/chat", content=b"{bad", timeout=5,
                          headers={"Content-Type": "application/json",
                                   "Authorization": f"Bearer {token}"}).json()["error"]["code"] == "bad_request"
    finally:
        server.terminate()
        server.wait(timeout=10)
