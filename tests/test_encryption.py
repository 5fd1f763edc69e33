"""Encryption at rest: SQLCipher files hold no plaintext, are 0600 in a 0700 home, `db encrypt` keeps every row,
`db rekey` keeps access, a wrong key is a clear error, plain SQLite only by explicit setting."""
from __future__ import annotations

from datetime import date

import pytest

from backend import audit, create_app, store
from backend.auth import create_user
from backend.store import crypt
from core.errors import ConfigError
from core.private import mode

pytestmark = pytest.mark.sqlite_only

MARKER = "ZEBRA-MARKER-7731 the client disclosed the quarry"


def _files(home) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in home.iterdir() if p.name.startswith("practice.db")}


def _write_marker_through_the_api(settings, registry) -> None:
    app = create_app({"SETTINGS": settings, "MODELS": registry, "TESTING": True})
    client = app.test_client()
    with app.app_context(), store.get_store().session() as db:
        token = create_user(db, "dr-crypt", "clinician")[1]
    h = {"Authorization": f"Bearer {token}"}
    patient_id = client.post("/patients", json={"display_name": "Marker Person"}, headers=h).json["id"]
    response = client.post(f"/patients/{patient_id}/sessions", json={"date": "2026-02-01", "text": MARKER},
                           headers=h)
    assert response.status_code == 201
    assert client.get("/health").json["encryption"] == settings.db_encryption


def test_a_note_written_through_the_api_is_not_in_the_files(settings, registry):
    _write_marker_through_the_api(settings, registry)          # the store stays open: the -wal still holds it
    files = _files(settings.home)
    assert {"practice.db", "practice.db-wal"} <= set(files)
    for name, raw in files.items():
        assert MARKER.encode() not in raw and b"Marker Person" not in raw, name
        assert not raw.startswith(crypt.SQLITE_HEADER), name
    assert {name: mode(settings.home / name) for name in files} == {name: 0o600 for name in files}
    assert mode(settings.home) == 0o700 and mode(settings.home / "db.key") == 0o600


def test_plain_sqlite_only_by_explicit_setting(settings, registry):
    plain = settings.with_(db_encryption="off")
    _write_marker_through_the_api(plain, registry)
    assert any(MARKER.encode() in raw for raw in _files(settings.home).values())   # the check above can see it
    assert not (settings.home / "db.key").exists()
    assert mode(settings.home / "practice.db") == 0o600


def _plain_practice(settings) -> dict[str, int]:
    """A plain database with patients, sessions, users and audit rows; returns its row counts."""
    plain = settings.with_(db_encryption="off")
    opened = store.open_store(plain)
    with opened.transaction() as db:
        for i in range(3):
            patient = store.create_patient(db, f"Plain Person {i}")
            for day in range(1, 5):
                store.add_session(db, patient.id, date_=date(2026, 1, day), text=f"{MARKER} {i}/{day}", author="a")
    with opened.session() as db:
        create_user(db, "dr-plain", "clinician")
        for i in range(4):
            audit.record(db, actor="dr-plain", action="session.read", outcome="ok", patient_id=1)
    store.close_all()
    con = store.connect_file(plain)
    counts = crypt.table_counts(con)
    con.close()
    return counts


def test_encrypt_migrates_a_plain_database_keeping_every_row(settings, cli):
    env_home = cli.home
    counts = _plain_practice(settings.with_(home=env_home))
    with pytest.raises(ConfigError, match="not encrypted"):
        store.open_store(settings.with_(home=env_home))                  # the default refuses a plain file
    result = cli("db", "encrypt")
    assert result.returncode == 0, result.stderr
    assert f"{sum(counts.values())} rows" in result.stdout
    raw = (env_home / "practice.db").read_bytes()
    assert MARKER.encode() not in raw and not raw.startswith(crypt.SQLITE_HEADER)
    assert not (env_home / "practice.db-wal").exists() or MARKER.encode() not in (env_home / "practice.db-wal").read_bytes()
    assert mode(env_home / "practice.db") == 0o600 and mode(env_home / "db.key") == 0o600
    encrypted = settings.with_(home=env_home)
    con = store.connect_file(encrypted)
    assert crypt.table_counts(con) == counts
    con.close()
    with store.open_store(encrypted).session() as db:
        assert audit.verify(db).ok
        assert sorted(s.text for s in db.query(store.TherapySession))[0].startswith(MARKER)
    assert cli("audit", "verify").returncode == 0
    again = cli("db", "encrypt")
    assert again.returncode == 2 and "not a plain SQLite database" in again.stderr


def test_rekey_rotates_the_key_and_keeps_access(settings, cli):
    home = cli.home
    assert cli("patients", "add", "Rekey Person").returncode == 0
    old = (home / "db.key").read_text()
    result = cli("db", "rekey")
    assert result.returncode == 0, result.stderr
    new = (home / "db.key").read_text()
    assert new != old and old.strip() not in result.stdout + result.stderr and new.strip() not in result.stdout
    assert mode(home / "db.key") == 0o600 and not (home / "db.key.new").exists()
    listed = cli("patients", "list")
    assert listed.returncode == 0 and "Rekey Person" in listed.stdout
    stale = cli("patients", "list", env={"THERAPY_DB_KEY": old.strip()})
    assert stale.returncode == 2 and "database key does not open" in stale.stderr


def test_a_wrong_key_is_a_clear_error_not_a_traceback(settings, cli):
    assert cli("patients", "add", "Keyed Person").returncode == 0
    wrong = "0" * 64
    result = cli("db", "status", env={"THERAPY_DB_KEY": wrong})
    assert result.returncode == 2
    assert "Error: The database key does not open practice.db" in result.stderr
    assert "Traceback" not in result.stderr and wrong not in result.stderr and "hmac" not in result.stderr
    store.close_all()
    with pytest.raises(ConfigError, match="does not open"):
        store.open_store(settings.with_(home=cli.home, db_key="a passphrase that is wrong"))
    status = cli("db", "status")
    assert status.returncode == 0 and "encryption: sqlcipher" in status.stdout


def test_a_passphrase_key_from_the_environment(settings):
    keyed = settings.with_(db_key="correct horse battery 'staple'")
    with store.open_store(keyed).transaction() as db:
        store.create_patient(db, "Passphrase Person")
    store.close_all()
    assert not (settings.home / "db.key").exists()                  # the env key is never written down
    assert "staple" not in repr(keyed) and "staple" not in repr(crypt.load_key(keyed))
    with store.open_store(keyed).session() as db:
        assert [p.display_name for p in db.query(store.Patient)] == ["Passphrase Person"]
