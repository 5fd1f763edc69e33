"""The practice store: migrations equal the models, SQLite pragmas, configurable URL, atomic writes."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from backend import store
from core.errors import BadRequest, NotFound


@pytest.fixture
def opened(settings):
    return store.open_store(settings)


def test_migrations_create_exactly_the_models(opened):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with opened.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), store.Base.metadata)
        version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    assert diff == []
    assert version == "0003"


@pytest.mark.sqlite_only
def test_sqlite_runs_wal_full_sync_and_foreign_keys(opened):
    with opened.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2          # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


@pytest.mark.sqlite_only
def test_database_url_is_configurable(settings, tmp_path):
    elsewhere = tmp_path / "elsewhere" / "clinic.sqlite"
    configured = settings.with_(database_url=f"sqlite:///{elsewhere}")
    opened = store.open_store(configured)
    with opened.transaction() as db:
        store.create_patient(db, "Configured Person")
    assert elsewhere.is_file()
    assert not (settings.home / "practice.db").exists()


def test_reopening_migrates_idempotently(settings, opened):
    with opened.transaction() as db:
        store.create_patient(db, "Kept Person")
    store.close_all()
    again = store.open_store(settings)
    with again.session() as db:
        assert [p.display_name for p in db.query(store.Patient)] == ["Kept Person"]


def test_foreign_keys_are_enforced(opened):
    with pytest.raises(IntegrityError), opened.transaction() as db:
        db.add(store.TherapySession(patient_id=999, date=date(2026, 1, 1), text="x", author="a"))
        db.flush()


def test_failed_session_write_leaves_nothing(opened):
    with opened.transaction() as db:
        patient_id = store.create_patient(db, "Atomic Person").id
    with pytest.raises(BadRequest), opened.transaction() as db:
        store.add_session(db, patient_id, date_=date(2026, 1, 1), text="first note", author="a")
        store.add_session(db, patient_id, date_=date(2026, 1, 2), text="   ", author="a")   # fails
    with pytest.raises(NotFound), opened.transaction() as db:
        store.add_session(db, 12345, date_=date(2026, 1, 1), text="orphan", author="a")
    with opened.session() as db:
        assert db.query(store.TherapySession).count() == 0


def test_add_review_item_commits_and_validates(opened):
    with opened.session() as db:
        item_id = store.add_review_item(db, kind="triage", severity="crisis", reason="floor fired",
                                        payload={"rules": ["si_plan"]})
        with pytest.raises(BadRequest):
            store.add_review_item(db, kind="triage", severity="extreme", reason="x", payload={})
    with opened.session() as db:
        item = db.get(store.ReviewItem, item_id)
        assert (item.status, item.severity, item.payload) == ("open", "crisis", {"rules": ["si_plan"]})
        assert [i.id for i in store.list_review_items(db)] == [item_id]


def test_resolve_review_item_once(opened):
    from core.errors import Conflict

    with opened.session() as db:
        item_id = store.add_review_item(db, kind="triage", severity="high", reason="r", payload={})
        store.resolve_review_item(db, item_id, by="dr-a", note="called back")
        db.commit()
        with pytest.raises(Conflict):
            store.resolve_review_item(db, item_id, by="dr-b")
        with pytest.raises(NotFound):
            store.resolve_review_item(db, 999, by="dr-b")


@pytest.mark.sqlite_only
def test_tokens_are_stored_hashed(settings, opened):
    from backend import auth

    with opened.session() as db:
        _, token = auth.create_user(db, "hash-check", "clinician")
    store.close_all()
    raw = (settings.home / "practice.db").read_bytes() + _wal_bytes(settings)
    assert token.encode() not in raw
    con = store.connect_file(settings)
    assert con.execute("SELECT token_hash FROM tokens").fetchone()[0] == auth.hash_token(token)


def _wal_bytes(settings) -> bytes:
    wal = settings.home / "practice.db-wal"
    return wal.read_bytes() if wal.exists() else b""


@pytest.mark.sqlite_only
def test_demo_settings_never_open_the_production_database(settings):
    opened = store.open_store(settings.with_(demo=True))
    assert opened.url.endswith("/demo.db")
    assert not (settings.home / "practice.db").exists()


def test_an_open_read_does_not_block_writers(opened):
    import time

    with opened.transaction() as db:
        patient_id = store.create_patient(db, "Reader Person").id
    reader = opened.session()
    store.get_patient(reader, patient_id)                 # a view holding a read while a model runs
    start = time.perf_counter()
    with opened.transaction() as db:
        store.add_session(db, patient_id, date_=date(2026, 1, 1), text="written meanwhile", author="a")
    assert time.perf_counter() - start < 5
    store.add_review_item(reader, kind="triage", severity="high", reason="after the model", payload={})
    reader.close()


def test_concurrent_audit_writers_keep_one_chain(opened):
    import threading

    from backend import audit

    def write(n: int) -> None:
        with opened.session() as db:
            for i in range(10):
                audit.record(db, actor=f"t{n}", action="x", outcome="ok", detail={"i": i})
    threads = [threading.Thread(target=write, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with opened.session() as db:
        result = audit.verify(db)
    assert result.ok and result.rows == 60


@pytest.mark.sqlite_only
def test_upgrading_a_0001_database_backfills_expiry_and_care_teams(settings):
    from datetime import datetime, timedelta, timezone

    from alembic import command
    from alembic.config import Config

    from backend import audit

    url = f"sqlite:///{settings.home / 'old.db'}"
    settings.home.mkdir(parents=True, exist_ok=True)
    engine = store.make_engine(url)
    config = Config()
    config.set_main_option("script_location", str(store.MIGRATIONS_DIR))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
    created = datetime(2026, 1, 1, tzinfo=timezone.utc)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO users (id, name, role, active, created_at) VALUES "
                          "(1, 'dr-old', 'clinician', 1, :at), (2, 'svc', 'service', 1, :at)"), {"at": created})
        conn.execute(text("INSERT INTO tokens (user_id, token_hash, prefix, created_at) VALUES (1, 'h', 'tt_', :at)"),
                     {"at": created})
        conn.execute(text("INSERT INTO patients (id, display_name, created_at) VALUES (1, 'Old', :at), "
                          "(2, 'Cli Made', :at)"), {"at": created})
    with store.Store(url).session() as db:
        audit.record(db, actor="dr-old", action="patient.create", outcome="ok", patient_id=1)
        audit.record(db, actor="cli:someone", action="patient.create", outcome="ok", patient_id=2)
    store.migrate(engine)
    with store.Store(url).session() as db:
        token = db.query(store.Token).one()
        assert store.queries.care_team(db, 1)[0].name == "dr-old" and store.queries.care_team(db, 2) == []
    stored = token.expires_at if token.expires_at.tzinfo else token.expires_at.replace(tzinfo=timezone.utc)
    assert stored == created + timedelta(days=90)


def test_health_says_how_the_database_is_encrypted(client, settings):
    expected = "server" if settings.database_url.startswith("postgresql") else "sqlcipher"
    assert client.get("/health").json["encryption"] == expected
