"""Crash safety on a real server: `main.py serve` is kill -9'd three times under concurrent writers; every
acknowledged session is stored with its text, and `audit verify` passes."""
from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest

from backend import store
from tests.conftest import REPO

WRITERS = 4
ROUNDS = 3
ROUND_S = 1.5
HOST = "127.0.0.1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _call(url: str, body: dict | None = None, token: str = "", timeout: float = 10) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
    request = urllib.request.Request(url, data=data, headers=headers, method="POST" if data else "GET")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        return exc.code, {}


class Server:
    """`python main.py serve` on a free loopback port, started and killed as a practice's would be."""

    def __init__(self, cli):
        self.port = _free_port()
        self.base = f"http://{HOST}:{self.port}"
        self.env = {**os.environ, "THERAPY_HOME": str(cli.home), "THERAPY_ENGINE": "llamacpp",
                    "THERAPY_RATE_LIMIT_TOKEN": "", "THERAPY_RATE_LIMIT_ADDRESS": ""}   # durability, not limits
        if cli.settings.database_url:
            self.env["THERAPY_DATABASE_URL"] = cli.settings.database_url
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen([sys.executable, str(REPO / "main.py"), "serve", "--port", str(self.port)],
                                        env=self.env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        started = deadline = time.monotonic()
        deadline += 60
        while time.monotonic() < deadline:
            try:
                if _call(self.base + "/health", timeout=1)[0] == 200:
                    print(f"server up in {time.monotonic() - started:.1f} s")
                    return
            except OSError:
                pass
            assert self.process.poll() is None, "the server exited on start"
            time.sleep(0.1)
        raise AssertionError("the server did not answer /health within 60 s")

    def kill(self) -> None:
        self.process.kill()                                   # SIGKILL: no cleanup, no flush, no atexit
        self.process.wait(10)


def _writer(server: Server, token: str, patient: int, n: int, stop: threading.Event, acked: list) -> None:
    """POST sessions in a loop; a 201 is an acknowledged write (id and text kept); errors while the server
    is down are retried with new text."""
    i = 0
    while not stop.is_set():
        i += 1
        text = f"crash note w{n} #{i}"
        try:
            status, body = _call(f"{server.base}/patients/{patient}/sessions", token=token, timeout=5,
                                 body={"date": f"2026-03-{1 + i % 28:02d}", "text": text})
        except (OSError, http.client.HTTPException):             # killed mid-request or mid-reply, or not up yet
            time.sleep(0.05)
            continue
        if status == 201:
            acked.append((body["id"], text))


@pytest.mark.slow                  # ~45 s: four server starts; kept in the default run
def test_kill_9_under_concurrent_writers_loses_no_acknowledged_write(cli):
    made = cli("users", "add", "crash-dr", "--role", "clinician")
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip().splitlines()[-1]
    server = Server(cli)
    server.start()
    status, body = _call(server.base + "/patients", {"display_name": "Crash Person"}, token)
    assert status == 201
    stop, acked = threading.Event(), []
    writers = [threading.Thread(target=_writer, args=(server, token, body["id"], n, stop, acked), daemon=True)
               for n in range(WRITERS)]
    for thread in writers:
        thread.start()
    counts = []
    for _ in range(ROUNDS):
        time.sleep(ROUND_S)
        server.kill()
        counts.append(len(acked))
        server.start()
    time.sleep(0.5)
    stop.set()
    for thread in writers:
        thread.join(15)
    server.kill()
    print(f"acknowledged after each kill: {counts}; total {len(acked)}")
    assert counts[0] > 0 and counts[-1] > counts[0], counts             # writes went on across the crashes
    with store.open_store(cli.settings).session() as db:
        stored = {s.id: s.text for s in db.query(store.TherapySession)}
    lost = [(sid, text) for sid, text in acked if stored.get(sid) != text]
    assert lost == [], f"{len(lost)} of {len(acked)} acknowledged writes lost"
    assert len(set(sid for sid, _ in acked)) == len(acked)
    verified = cli("audit", "verify")
    assert verified.returncode == 0 and "chain intact" in verified.stdout, verified.stderr
