"""Load on a real server (loopback only): N concurrent model requests, /health while busy, idle sockets.

Starts `main.py serve --demo` on 127.0.0.1 with a private home, opens IDLE half-open sockets, sends N
concurrent model requests (half /triage, half /chat) while polling /health, and prints per route p50/p99,
status counts (200, 503 engine_busy, 429) and /health p50/p99; then checks a fresh client is answered.
Every loop is bounded in count and time.

Run: .venv/bin/python -m benchmarks.load [--requests 20] [--idle 200]
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _call(url: str, body: dict | None = None, token: str | None = None, timeout: float = 120) -> tuple[int, float]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method="POST" if data else "GET",
                                     headers={"Content-Type": "application/json",
                                              **({"Authorization": f"Bearer {token}"} if token else {})})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except (urllib.error.URLError, TimeoutError, ConnectionError):
        status = 0
    return status, (time.perf_counter() - started) * 1000


def _start(home: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "THERAPY_HOME": str(home), "THERAPY_ENGINE": "llamacpp"}
    server = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "serve", "--demo", "--port", str(port)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(240):                                     # up to 120 s to come up
        if _call(f"http://{HOST}:{port}/health", timeout=1)[0] == 200:
            return server
        time.sleep(0.5)
    server.kill()
    raise SystemExit("the server did not answer /health within 120 s")


def _token(home: Path) -> str:
    env = {**os.environ, "THERAPY_HOME": str(home)}
    out = subprocess.run([sys.executable, str(ROOT / "main.py"), "demo", "--token-only"], env=env,
                         capture_output=True, text=True, timeout=120, check=True)
    return out.stdout.strip().splitlines()[-1]


def _quantiles(values: list[float]) -> str:
    if not values:
        return "n/a"
    ordered = sorted(values)
    return f"p50 {statistics.median(ordered):.0f} ms, p99 {ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]:.0f} ms"


def _burst(base: str, token: str, n: int) -> tuple[list[threading.Thread], dict[str, list[tuple[int, float]]]]:
    """N started request threads (half /triage, half /chat) and where each records (status, ms)."""
    results: dict[str, list[tuple[int, float]]] = {"/triage": [], "/chat": []}
    bodies = {"/triage": {"text": "I have not slept properly in weeks and I feel hopeless."},
              "/chat": {"messages": [{"role": "user", "content": "Give me one tip for sleeping better."}],
                        "options": {"max_tokens": 48}}}

    def one(route: str) -> None:
        results[route].append(_call(base + route, bodies[route], token))

    threads = [threading.Thread(target=one, args=("/triage" if i % 2 == 0 else "/chat",)) for i in range(n)]
    for thread in threads:
        thread.start()
    return threads, results


def main(argv: list[str] | None = None) -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--requests", type=int, default=20)
    args.add_argument("--idle", type=int, default=200)
    opts = args.parse_args(argv)
    home, port = Path(tempfile.mkdtemp(prefix="therapy-load-")), _free_port()
    server = _start(home, port)
    base, idle = f"http://{HOST}:{port}", []
    try:
        token = _token(home)
        idle = [socket.create_connection((HOST, port), timeout=5) for _ in range(opts.idle)]
        fresh = _call(base + "/health", timeout=10)
        threads, burst = _burst(base, token, opts.requests)
        health: list[float] = []
        deadline = time.monotonic() + 300
        while any(t.is_alive() for t in threads) and time.monotonic() < deadline:
            status, ms = _call(base + "/health", timeout=10)
            health.append(ms if status == 200 else float("inf"))
            time.sleep(0.05)
        for route in ("/triage", "/chat"):
            rows = burst[route]
            counts = {code: sum(1 for s, _ in rows if s == code) for code in sorted({s for s, _ in rows})}
            print(f"{route:8s} n={len(rows)} statuses={counts} latency {_quantiles([ms for _, ms in rows])}")
        print(f"/health while busy: n={len(health)} {_quantiles(health)}")
        print(f"/health from a fresh client with {len(idle)} idle sockets open: status {fresh[0]} in {fresh[1]:.0f} ms")
    finally:
        for sock in idle:
            sock.close()
        server.terminate()
        server.wait(30)


if __name__ == "__main__":
    main()
