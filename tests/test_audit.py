"""The audit trail: hash chain verification catches edits, deletions and reordering; no clinical text."""
from __future__ import annotations

import pytest

from backend import audit, store
from tests.conftest import RawDb


@pytest.fixture
def trail(settings):
    """A store with five audit rows."""
    opened = store.open_store(settings)
    with opened.session() as db:
        for i in range(5):
            audit.record(db, actor=f"user{i}", action="session.read", outcome="ok", patient_id=i,
                         session_ids=[i, i + 10], detail={"n": i})
    return opened


def verify(opened) -> audit.Verification:
    with opened.session() as db:
        return audit.verify(db)


def tamper(opened, sql: str, *params) -> None:
    con = RawDb(opened)
    con.execute(sql, params)
    con.commit()
    con.close()


def test_intact_chain_verifies(trail):
    result = verify(trail)
    assert result.ok and result.rows == 5 and len(result.head) == 64


@pytest.mark.parametrize("sql", [
    "UPDATE audit_log SET outcome = 'forbidden' WHERE id = 3",
    "UPDATE audit_log SET patient_id = 99 WHERE id = 1",
    "UPDATE audit_log SET session_ids = '[1]' WHERE id = 5",
    "UPDATE audit_log SET at = '2020-01-01T00:00:00+00:00' WHERE id = 2",
])
def test_edited_rows_are_detected(trail, sql):
    opened = trail
    tamper(opened, sql)
    result = verify(opened)
    assert not result.ok and any("edited" in p for p in result.problems)


def test_deleted_rows_are_detected_in_the_middle_at_the_start_and_at_the_end(trail):
    opened = trail
    for row_id in (3, 1, 5):
        tamper(opened, "DELETE FROM audit_log WHERE id = ?", row_id)
        assert not verify(opened).ok, row_id


@pytest.mark.sqlite_only      # PostgreSQL sequences skip ids on rollback, so an id gap there proves nothing
def test_tail_deletion_is_detected_even_after_new_rows(trail):
    opened = trail
    tamper(opened, "DELETE FROM audit_log WHERE id = 5")
    with opened.session() as db:
        audit.record(db, actor="later", action="x", outcome="ok")
    assert not verify(opened).ok


def test_reordered_rows_are_detected(trail):
    opened = trail
    con = RawDb(opened)
    rows = {r[0]: r[1:] for r in con.execute("SELECT id, at, actor, action, outcome, patient_id, session_ids, "
                                             "detail, prev_hash, hash FROM audit_log")}
    con.execute("UPDATE audit_log SET prev_hash = 'p' || id, hash = 'h' || id WHERE id IN (2, 3)")
    for target, source in ((2, 3), (3, 2)):
        con.execute("UPDATE audit_log SET at=?, actor=?, action=?, outcome=?, patient_id=?, session_ids=?, "
                    "detail=?, prev_hash=?, hash=? WHERE id=?", (*rows[source], target))
    con.commit()
    assert not verify(opened).ok


def test_recomputing_one_hash_does_not_hide_an_edit(trail):
    opened = trail
    con = RawDb(opened)
    row = con.execute("SELECT at, actor, action, outcome, patient_id, session_ids, detail, prev_hash "
                      "FROM audit_log WHERE id = 2").fetchone()
    forged = store.AuditRow(at=row[0], actor="someone-else", action=row[2], outcome=row[3], patient_id=row[4],
                            session_ids=row[5], detail=row[6], prev_hash=row[7])
    con.execute("UPDATE audit_log SET actor = ?, hash = ? WHERE id = 2",
                ("someone-else", audit.chain_hash(row[7], audit.canonical(forged))))
    con.commit()
    problems = verify(opened).problems
    assert problems and "row 3" in problems[0]


def test_detail_refuses_text_blobs(settings):
    with store.open_store(settings).session() as db:
        with pytest.raises(ValueError):
            audit.record(db, actor="a", action="x", outcome="ok", detail={"note": {"nested": "text"}})
        with pytest.raises(ValueError):
            audit.record(db, actor="a", action="x", outcome="ok", detail={"note": "x" * 2000})


def test_cli_verify_fails_after_a_manual_edit(cli):
    assert cli("patients", "add", "Audit Person").returncode == 0
    ok = cli("audit", "verify")
    assert ok.returncode == 0 and "chain intact" in ok.stdout
    shown = cli("audit", "show", "--json")
    assert '"patient.create"' in shown.stdout
    tamper(store.open_store(cli.settings), "UPDATE audit_log SET actor = 'nobody' WHERE id = 1")
    bad = cli("audit", "verify")
    assert bad.returncode == 1 and "TAMPERED" in bad.stderr


def test_audit_never_holds_clinical_text(client, app):
    from backend import auth

    with app.app_context(), store.get_store().session() as db:
        token = auth.create_user(db, "doc", "clinician")[1]
    headers = {"Authorization": f"Bearer {token}"}
    secret = "Client disclosed a very specific private detail xyzzy-42."
    patient_id = client.post("/patients", json={"display_name": "Private Person"}, headers=headers).json["id"]
    client.post(f"/patients/{patient_id}/sessions", json={"date": "2026-01-01", "text": secret}, headers=headers)
    client.get(f"/patients/{patient_id}/sessions", headers=headers)
    client.post(f"/patients/{patient_id}/sessions", json={"date": "bad", "text": secret}, headers=headers)
    with app.app_context(), store.get_store().session() as db:
        rows = [audit.as_dict(r) for r in audit.rows(db, limit=100)]
    assert [r["action"] for r in rows] == ["patient.create", "session.create", "session.read", "session.create"]
    assert rows[-1]["outcome"] == "validation_error"
    assert "xyzzy" not in repr(rows) and "Private Person" not in repr(rows)


@pytest.mark.sqlite_only     # the CLI subprocess opens the practice file, not the test's PostgreSQL database
def test_cli_audit_show_writes_closed_denial_windows_first(cli):
    from backend import denials
    from core.settings import Settings

    with store.open_store(Settings(home=cli.home)).session() as db:
        denials.count(db, "192.0.2.7", window_s=60, now=1000.0)
    shown = cli("audit", "show", "--json")
    assert shown.returncode == 0 and '"auth.denied"' in shown.stdout and '"192.0.2.7"' in shown.stdout
    assert cli("audit", "verify").returncode == 0
