"""The background build job: a real `main.py build --job` process, its status file, the lock, cancel, resume state."""
from __future__ import annotations

import time

import pytest

from core import jobs
from core.errors import Conflict, NotFound


def wait_for(settings, predicate, timeout=120.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = jobs.status(settings)
        if predicate(body):
            return body
        time.sleep(0.3)
    raise AssertionError(f"job status never matched: {jobs.status(settings)}")


def test_start_status_one_at_a_time_and_cancel(cli):
    settings = cli.settings
    assert jobs.status(settings) == {"state": "none"}
    body = jobs.start(settings, ["--model", "triage", "--no-gate", "--no-ollama"])
    assert body["state"] == "starting" and body["log"].endswith(".log")
    running = wait_for(settings, lambda b: b["state"] == "running" and b.get("stage", "").startswith("prepare"))
    assert running["stage_total"] == 4 and running["stage_index"] == 1      # prepare, train, convert, gate
    with pytest.raises(Conflict, match="already running"):
        jobs.start(settings, [])
    summary = jobs.summary(running)
    assert summary["stage"] == "prepare triage" and "log" not in summary and "pid" not in summary
    done = jobs.cancel(settings)
    assert done["state"] == "cancelled" and jobs.status(settings)["state"] == "cancelled"
    assert not jobs._locked(settings)
    with pytest.raises(NotFound):
        jobs.cancel(settings)


def test_a_job_that_died_reads_interrupted(settings):
    reporter = jobs.Reporter(settings, ["--model", "triage"])
    with pytest.raises(Conflict):
        jobs.Reporter(settings)                           # the lock is held
    reporter.stage("train triage", 2, 4)
    reporter.progress(5, 10, tokens_per_s=100.0, eta_s=30)
    reporter._lock.close()                                # the process dies: the kernel frees the lock
    body = jobs.status(settings)
    assert body["state"] == "interrupted" and "resumes" in body["last_error"] and body["stage"] == "train triage"


def test_finished_job_and_cli_views(cli):
    reporter = jobs.Reporter(cli.settings)
    reporter.stage("gate+promote triage", 4, 4)
    reporter.finish("finished", promoted={"triage": "v1"})
    out = cli("build", "status", "--json")
    assert out.returncode == 0 and '"state": "finished"' in out.stdout and '"v1"' in out.stdout
    assert cli("build", "cancel").returncode != 0


def test_health_shows_the_build_job(settings, client):
    assert client.get("/health").get_json()["build"] == {"state": "none"}
    reporter = jobs.Reporter(settings)
    reporter.stage("train triage", 3, 8)
    reporter.progress(1, 144, loss=2.2, eta_s=1700)
    build = client.get("/health").get_json()["build"]
    assert (build["state"], build["stage"], build["stage_index"], build["total"]) == ("running", "train triage", 3, 144)
    assert "pid" not in build and "log" not in build
    reporter.finish("failed", "No converted and verified model to register.")
    assert client.get("/health").get_json()["build"]["last_error"].startswith("No converted")
