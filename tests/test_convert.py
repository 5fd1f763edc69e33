"""convert + register: a tiny trained run -> merged HF -> GGUF -> quantized + LoRA GGUF, verified, registered."""
from __future__ import annotations

import hashlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from core.errors import BadRequest, NotFound, ToolkitError
from tests.training_fixtures import prepare_home, require_llama_tools, tiny_llama_dir
from training.config import preset


@pytest.fixture(scope="module")
def converted(pytestconfig, tmp_path_factory):
    """Train a tiny chat run (6 steps) and convert it once for the whole module."""
    require_llama_tools()
    from convert.pipeline import ConvertConfig, run
    from core.settings import Settings
    from training.train import run as train

    tiny = tiny_llama_dir(pytestconfig)
    settings = Settings(home=tmp_path_factory.mktemp("home"), engine="llamacpp")
    prepare_home(settings.home, "chat")
    trained = train(preset("cpu-lora", task="chat", base_model=str(tiny), batch_size=2, epochs=1, max_length=128),
                    settings, show_progress=False)
    result = run(ConvertConfig(run=trained.run_dir.name, quants=("q4_k_m", "q8_0")), settings, log=lambda s: None)
    return settings, trained, result, tiny


def test_outputs_exist_with_manifest(converted):
    settings, trained, result, _ = converted
    files = result.report["files"]
    assert result.primary.name == "therapy-assistant-q4_k_m.gguf" and result.primary.is_file()
    for name in ("therapy-assistant-f16.gguf", "therapy-assistant-q8_0.gguf", "therapy-assistant-lora-f16.gguf"):
        assert (result.export_dir / name).is_file()
    assert (result.export_dir / "merged" / "model.safetensors").is_file()
    assert set(files) == {"f16", "q4_k_m", "q8_0"}
    assert not (trained.run_dir / ".export-tmp").exists()
    body = json.loads((result.export_dir / "manifest.json").read_text())
    assert body["status"] == "complete" and body["versions"]["llama-cpp-python"]


def test_k_quant_fallback_is_stated_and_taken(converted):
    q4 = converted[2].report["files"]["q4_k_m"]
    assert q4["fallback"]["tensors"] > 0 and q4["fallback"]["row_sizes"] == [64, 128]
    assert "not a multiple of 256" in q4["fallback"]["note"]
    assert "Q4_K" not in q4["tensor_types"]          # every 2-D tensor fell back, as stated
    assert converted[2].report["files"]["q8_0"]["fallback"]["tensors"] == 0


def test_every_output_is_verified(converted):
    files = converted[2].report["files"]
    for key in ("f16", "q4_k_m", "q8_0"):
        v = files[key]["verify"]
        assert v["perplexity"] > 1 and v["perplexity_f16"] == files["f16"]["verify"]["perplexity"]
        assert abs(v["perplexity_delta_pct"]) < 5
    assert files["q8_0"]["verify"]["size_ratio_vs_f16"] < 1
    smoke = files["q4_k_m"]["verify"]["smoke"]
    assert smoke["prompts"] >= 1 and smoke["json_ok"] == smoke["prompts"]   # the grammar forces JSON


def test_lora_gguf_applied_to_base_matches_merged(converted, tmp_path):
    """The adapter-only GGUF on the base GGUF scores like the merged model (it is the same network)."""
    from convert.gguf import hf_to_gguf
    from convert.pipeline import validation_texts
    from convert.verify import perplexity

    settings, trained, result, tiny = converted
    base = hf_to_gguf(tiny, tmp_path / "base-f16.gguf")
    texts = validation_texts(json.loads((trained.run_dir / "manifest.json").read_text()))
    with_lora = perplexity(base, texts, lora_path=result.export_dir / "therapy-assistant-lora-f16.gguf")
    merged = result.report["files"]["f16"]["verify"]["perplexity"]
    assert with_lora == pytest.approx(merged, rel=0.01)
    assert perplexity(base, texts) != pytest.approx(merged, rel=1e-4)   # the adapter changed something


def test_rerun_is_skipped(converted):
    from convert.pipeline import ConvertConfig, run

    settings, trained, result, _ = converted
    again = run(ConvertConfig(run=trained.run_dir.name, quants=("q4_k_m", "q8_0")), settings)
    assert again.skipped and again.primary == result.primary


def test_errors_are_clear(converted, tmp_path):
    from convert.gguf import hf_to_gguf
    from convert.pipeline import ConvertConfig, run

    settings = converted[0]
    with pytest.raises(NotFound, match="train first"):
        run(ConvertConfig(run="no-such-run"), settings)
    with pytest.raises(BadRequest, match="Unknown quantization"):
        run(ConvertConfig(run=converted[1].run_dir.name, quants=("q3_weird",)), settings)
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "config.json").write_text('{"architectures": ["NoSuchForCausalLM"]}')
    with pytest.raises(ToolkitError, match="convert_hf_to_gguf.py"):
        hf_to_gguf(broken, tmp_path / "out.gguf")
    assert list(tmp_path.glob("*.gguf*")) == []       # nothing half-written left behind


# --- register ---------------------------------------------------------------------------------

class FakeOllamaCreate:
    """The documented blob + create endpoints of the Ollama API (the true boundary), recording requests."""

    def __init__(self):
        self.blobs: dict[str, int] = {}
        self.created: list[dict] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, status, body=None):
                data = json.dumps(body or {}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                self._send(200, {"version": "0.12.0"} if self.path == "/api/version" else {"models": []})

            def do_HEAD(self):
                digest = self.path.rsplit("/", 1)[-1]
                self._send(200 if digest in fake.blobs else 404)

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if self.path.startswith("/api/blobs/"):
                    digest = self.path.rsplit("/", 1)[-1]
                    assert digest == "sha256:" + hashlib.sha256(body).hexdigest()
                    fake.blobs[digest] = len(body)
                    return self._send(201)
                if self.path == "/api/create":
                    fake.created.append(json.loads(body))
                    return self._send(200, {"status": "success"})
                self._send(404, {"error": "not found"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.host = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def test_register_writes_modelfile_registry_and_creates_in_ollama(converted):
    from core.engine.base import GenerationOptions
    from core.engine.registry import ModelRegistry
    from core.modelfile import parse_file
    from modelfiles.register import RegisterConfig, registered_unchanged, run

    settings, trained, result, _ = converted
    fake = FakeOllamaCreate()
    try:
        out = run(RegisterConfig(), settings.with_(ollama_host=fake.host), log=lambda s: None)
    finally:
        fake.server.shutdown()
    entry = out.models["therapy-assistant"]
    mf = parse_file(settings.registry_dir / "therapy-assistant.Modelfile")
    kept = settings.models_dir / "therapy-assistant" / entry["version"]          # registered as a kept version
    assert mf.from_ == str(kept / result.primary.name) and mf.stop == ["<|im_start|>", "<|im_end|>"]
    assert (kept / result.primary.name).read_bytes() == result.primary.read_bytes()
    assert entry["ollama"]["created"] and entry["quant"] == "q4_k_m" and entry["promotion"]["how"] == "register"
    request = fake.created[0]
    assert request["model"] == "therapy-assistant" and request["system"] == mf.system
    assert request["files"] == {result.primary.name: entry["ollama"]["digest"]}
    assert request["parameters"]["stop"] == mf.stop and request["template"] == mf.template
    registry = json.loads((settings.registry_dir / "registry.json").read_text())
    assert registry["therapy-assistant"]["run"] == trained.run_dir.name
    assert registered_unchanged(settings, (trained.run_dir.name,))
    engine = ModelRegistry(settings).get("therapy-assistant")      # the service now serves the new GGUF
    assert engine.spec.gguf_path == kept / result.primary.name
    assert engine.generate([{"role": "user", "content": "hi"}], options=GenerationOptions(max_tokens=4)).tokens_out


def test_register_without_ollama_and_without_exports(converted, tmp_path):
    from modelfiles.register import RegisterConfig, run

    settings = converted[0].with_(ollama_host="http://127.0.0.1:9")
    out = run(RegisterConfig(), settings, log=lambda s: None)
    assert out.models["therapy-assistant"]["ollama"]["created"] is False
    with pytest.raises(NotFound, match="convert"):
        run(RegisterConfig(), settings.with_(home=tmp_path), log=lambda s: None)
