"""CLI `serve`: the HTTP API on waitress, for the practice or the fictional demo practice."""
from __future__ import annotations

import logging
import os

import click
import waitress

from backend import create_app, demo
from backend.app import LOG_FORMAT
from backend.safety import floor, signals
from cli.common import console, load_settings
from core import jobs
from core.settings import Settings

QUIET_LOGGERS = ("alembic", "bm25s")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8002, show_default=True, type=click.IntRange(1, 65535))
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64),
              help="Worker threads (model requests beyond THERAPY_MODEL_QUEUE per model get 503, so some stay free).")
@click.option("--demo", "use_demo", is_flag=True, help="Serve the fictional demo practice (separate demo database).")
@click.option("--build", "start_build", is_flag=True,
              help="Also start `build` in the background (unless one runs); promoted models are served as they land.")
def serve(host: str, port: int, threads: int, use_demo: bool, start_build: bool) -> None:
    """Serve the HTTP API with waitress (a production WSGI server)."""
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)     # one handler: waitress then adds none
    for chatty in QUIET_LOGGERS:                        # schema migrations and index building: not news
        logging.getLogger(chatty).setLevel(logging.WARNING)
    os.umask(0o077)                                     # whatever the server writes is the practice's alone
    current = load_settings()
    if start_build:
        current = _background_build(current)
    if use_demo:
        current = demo.prepare(current)
    app = create_app({"SETTINGS": current})
    _warm_floor()
    console.print(f"[green]Serving on http://{host}:{port}[/green] (engine: {current.engine}; "
                  f"database: {'demo' if use_demo else 'practice'}). Ctrl-C to stop.")
    # Idle or half-open sockets are closed after 30 s and do not count against a 100-connection cap.
    waitress.serve(app, host=host, port=port, threads=threads, ident="therapy-toolkit", connection_limit=1000,
                   channel_timeout=30, cleanup_interval=5)


def _warm_floor() -> None:
    """Compile the crisis floor's rules and load its classifier now, not on the first request."""
    from backend.safety import semantic  # imports scikit-learn at its top: only to serve, not for `serve --help`

    floor.default_rules(), signals.default_signals(), semantic.default_model()
    floor.evaluate("warm up")


def _background_build(current: Settings) -> Settings:
    """Start the build job (or report the running one). The cores are shared: the server's model gets one
    thread unless THERAPY_N_THREADS says otherwise (llama.cpp slows down badly on a busy core), training the rest."""
    state = jobs.status(current)
    if state["state"] in jobs.ACTIVE:
        console.print(f"a build is already running (stage {state.get('stage')}); `main.py build status` follows it")
    else:
        serving = current.n_threads or max(1, (os.cpu_count() or 2) // 4)
        train_threads = max(1, (os.cpu_count() or 2) - serving)
        body = jobs.start(current, [], env={"OMP_NUM_THREADS": str(train_threads)})
        console.print(f"build started in the background (pid {body['pid']}); `main.py build status` follows it; "
                      f"until a model is promoted the last promoted one (or the embedded base) answers")
        current = current.with_(n_threads=serving)
    return current
