"""A small fake Ollama HTTP server (documented /api/tags, /api/show, /api/chat shapes) for boundary tests."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable


class FakeOllama:
    """Serves `models` on 127.0.0.1:<free port>. `answer(request_json) -> str` makes the reply text."""

    def __init__(self, models: list[str], answer: Callable[[dict], str] | None = None,
                 prompt_eval_count: Callable[[dict], int] | None = None):
        self.models = models
        self.answer = answer or (lambda req: "Hello from the fake.")
        self.prompt_eval_count = prompt_eval_count or (lambda req: 42)
        self.requests: list[tuple[str, dict]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _send(self, status: int, body: Any, content_type: str = "application/json") -> None:
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                if self.path == "/api/tags":
                    models = [{"name": f"{m}:latest", "model": f"{m}:latest", "size": 1,
                               "digest": "0" * 64, "modified_at": "2026-01-01T00:00:00Z"} for m in fake.models]
                    return self._send(200, {"models": models})
                self._send(404, {"error": "not found"})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                req = json.loads(self.rfile.read(length) or b"{}")
                fake.requests.append((self.path, req))
                model = req.get("model", "").removesuffix(":latest")
                if self.path in {"/api/show", "/api/chat"} and model not in fake.models:
                    return self._send(404, {"error": f"model '{model}' not found"})
                if self.path == "/api/show":
                    return self._send(200, {"modelfile": f"FROM {model}", "parameters": "num_ctx 4096",
                                            "template": "{{ .Prompt }}", "details": {"family": "llama"},
                                            "model_info": {"llama.context_length": 8192}})
                if self.path == "/api/chat":
                    return self._chat(req)
                self._send(404, {"error": "not found"})

            def _chat(self, req: dict) -> None:
                text = fake.answer(req)
                done = {"model": req["model"], "created_at": "2026-01-01T00:00:00Z", "done": True,
                        "done_reason": "stop", "total_duration": 1000, "prompt_eval_count": fake.prompt_eval_count(req),
                        "eval_count": len(text.split())}
                if req.get("stream", True):
                    lines = [{"model": req["model"], "created_at": "x", "done": False,
                              "message": {"role": "assistant", "content": w + " "}} for w in text.split()]
                    lines.append({**done, "message": {"role": "assistant", "content": ""}})
                    body = "".join(json.dumps(line) + "\n" for line in lines).encode()
                    return self._send(200, body, "application/x-ndjson")
                self._send(200, {**done, "message": {"role": "assistant", "content": text}})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.host = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "FakeOllama":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()
