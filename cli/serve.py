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


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8002, show_default=True, type=click.IntRange(1, 65535))
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64),
              help="Worker threads (model requests beyond THERAPY_MODEL_QUEUE per model get 503, so some stay free).")
@click.option("--demo", "use_demo", is_flag=True, help="Serve the fictional demo practice (separate demo database).")
def serve(host: str, port: int, threads: int, use_demo: bool) -> None:
    """Serve the HTTP API with waitress (a production WSGI server)."""
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)     # one handler: waitress then adds none
    os.umask(0o077)                                     # whatever the server writes is the practice's alone
    current = load_settings()
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
