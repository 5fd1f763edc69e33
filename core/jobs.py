"""The background build job: one at a time (a held lock file), its live status in a JSON file, start and cancel."""
from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from core import manifest
from core.errors import Conflict, NotFound
from core.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
ACTIVE = ("starting", "running")
QUIET_ENV = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TQDM_DISABLE": "1", "PYTHONUNBUFFERED": "1",
             "TOKENIZERS_PARALLELISM": "false"}


def folder(settings: Settings) -> Path:
    return settings.home / "jobs"


def status_file(settings: Settings) -> Path:
    return folder(settings) / "build.json"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _locked(settings: Settings) -> bool:
    """True while a job process holds the lock (a dead job's lock is released by the kernel)."""
    path = folder(settings) / "build.lock"
    if not path.exists():
        return False
    with open(path, "a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(fh, fcntl.LOCK_UN)
    return False


def status(settings: Settings) -> dict[str, Any]:
    """The last job's status; a job that died without saying so reads `interrupted` (rerun to resume)."""
    body = manifest.read(status_file(settings))
    if body is None:
        return {"state": "none"}
    if body.get("state") in ACTIVE and not _locked(settings) and not _starting(body):
        body["state"] = "interrupted"
        body["last_error"] = body.get("last_error") or \
            "the build process ended without finishing; `main.py build start` resumes it"
    return body


def _starting(body: dict[str, Any]) -> bool:
    """A just-spawned job has not taken its lock yet: give it a few seconds before calling it dead."""
    return body.get("state") == "starting" and time.time() - body.get("spawned", 0) < 30 and _alive(body.get("pid"))


def _alive(pid: Any) -> bool:
    try:
        os.kill(int(pid), 0)
    except (TypeError, ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True


def start(settings: Settings, argv: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Spawn `main.py build --job ARGV` detached from this process; its output goes to the job's log file."""
    current = status(settings)
    if current.get("state") in ACTIVE:
        raise Conflict(f"A build is already running (pid {current.get('pid')}, stage {current.get('stage', '-')}).",
                       hint="`main.py build status` to follow it, `main.py build cancel` to stop it")
    log = folder(settings) / f"build-{datetime.now(timezone.utc):%Y%m%dT%H%M%S}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, str(ROOT / "main.py"), "--home", str(settings.home), "build", "--job", *argv]
    with open(log, "ab") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                env={**os.environ, **QUIET_ENV, **(env or {})}, start_new_session=True)
    body = {"state": "starting", "pid": proc.pid, "spawned": time.time(), "started_at": _now(), "log": str(log),
            "argv": argv, "stage": "starting"}
    manifest.write_json(status_file(settings), body)
    return body


def cancel(settings: Settings, wait_s: float = 20.0) -> dict[str, Any]:
    """Stop the running job (SIGTERM to its process group, SIGKILL after `wait_s`); it resumes on the next start."""
    current = status(settings)
    if current.get("state") not in ACTIVE:
        raise NotFound("No build is running.", hint="`main.py build status` shows the last one")
    pid = int(current["pid"])
    _signal(pid, signal.SIGTERM)
    deadline = time.monotonic() + wait_s
    while (_locked(settings) or _alive(pid)) and time.monotonic() < deadline:
        time.sleep(0.2)
    if _locked(settings) or _alive(pid):
        _signal(pid, signal.SIGKILL)
    body = {**status(settings), "state": "cancelled", "finished_at": _now()}
    manifest.write_json(status_file(settings), body)
    return body


def _signal(pid: int, sig: int) -> None:
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


class Reporter:
    """Held by the job process: takes the lock, and writes the status (at most once a second for progress)."""

    def __init__(self, settings: Settings, argv: list[str] | None = None):
        self.settings = settings
        self.path = status_file(settings)
        lock = folder(settings) / "build.lock"
        lock.parent.mkdir(parents=True, exist_ok=True)
        self._lock = open(lock, "a")
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock.close()
            raise Conflict("Another build holds the lock.", hint="`main.py build status`") from None
        previous = status(settings) if self.path.exists() else {}
        self.body: dict[str, Any] = {"state": "running", "pid": os.getpid(), "started_at": _now(),
                                     "log": previous.get("log"), "argv": argv or previous.get("argv", []),
                                     "stage": "starting", "stages_done": [], "last_error": None}
        self._last = 0.0
        self._save()

    def stage(self, name: str, index: int, total: int) -> None:
        self.body.update(stage=name, stage_index=index, stage_total=total, step=None, total=None,
                         tokens_per_s=None, eta_s=None, loss=None)
        self._save()

    def stage_done(self, entry: dict[str, Any]) -> None:
        self.body["stages_done"].append({k: entry.get(k) for k in ("stage", "skipped", "seconds", "outcome")})
        self._save()

    def progress(self, step: int, total: int | None, **stats: Any) -> None:
        first = self.body.get("step") is None
        self.body.update(step=step, total=total, **stats)
        if first or time.monotonic() - self._last >= 1.0 or (total and step >= total):
            self._save()

    def finish(self, state: str, error: str | None = None, **extra: Any) -> None:
        self.body.update(state=state, finished_at=_now(), last_error=error, **extra)
        self._save()
        fcntl.flock(self._lock, fcntl.LOCK_UN)
        self._lock.close()

    def _save(self) -> None:
        self.body["updated_at"] = _now()
        self._last = time.monotonic()
        manifest.write_json(self.path, self.body)


def summary(body: dict[str, Any]) -> dict[str, Any]:
    """The part of a status that /health shows (no paths)."""
    keys = ("state", "stage", "stage_index", "stage_total", "step", "total", "tokens_per_s", "eta_s", "loss",
            "started_at", "updated_at", "finished_at", "last_error", "promoted", "kept")
    return {k: body[k] for k in keys if body.get(k) is not None}
