"""Throwaway PostgreSQL databases for the tests (THERAPY_TEST_POSTGRES_URL names the server)."""
from __future__ import annotations

import uuid
from contextlib import contextmanager
from typing import Iterator

from sqlalchemy.engine import make_url


@contextmanager
def fresh_database(server_url: str) -> Iterator[str]:
    """A new empty database on the server, as a URL; dropped afterwards (open connections closed first)."""
    import psycopg

    from backend import store

    name = f"t_{uuid.uuid4().hex[:16]}"
    admin = make_url(server_url).set(drivername="postgresql")
    conninfo = admin.render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        store.close_all()
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
