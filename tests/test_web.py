"""The clinician page through Flask's test client: sign-in, cookie flags, CSRF, idle logoff, care teams,
resolving with the clinician's severity, DAP approval (stored, audited, never below the floor), static files."""
from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest

from backend import audit, auth, store
from backend.web import signin
from core.engine.fake import ScriptedEngine
from tests.test_practice import OneModel

PASSWORD = "correct horse battery"
CRISIS = "Client said \"I want to kill myself\" and has been saving up pills. Lives alone."
SUMMARY = json.dumps({"chief_complaint": "suicidal thoughts", "symptoms": "saving pills", "risk": "crisis",
                      "risk_note": "plan and means", "plan": "safety plan today"})


@pytest.fixture
def app(settings):
    from backend import create_app

    return create_app({"SETTINGS": settings, "MODELS": OneModel(ScriptedEngine([SUMMARY] * 20)), "TESTING": True})


def add_clinician(app, name: str) -> None:
    with app.app_context(), store.get_store().session() as db:
        auth.create_user(db, name, "clinician")
        signin.set_password(db, name, PASSWORD)
        db.commit()


@pytest.fixture
def browser(app):
    """A signed-in test client of clinician `dr-a` (use `.csrf()` for the current page token)."""
    add_clinician(app, "dr-a")
    return sign_in(app, "dr-a")


def sign_in(app, name: str):
    client = app.test_client()
    page = client.get("/login")
    token = _token(page.text)
    answer = client.post("/login", data={"username": name, "password": PASSWORD, "csrf_token": token})
    assert answer.status_code == 302, answer.text
    client.csrf = lambda: _token(client.get("/clinic/patients").text)
    return client


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def new_patient(client, text: str = CRISIS) -> tuple[int, int]:
    """A patient created through the page's own forms would need an API token; here: the store, then a note
    added through the page (so it is the creator's patient)."""
    app = client.application
    with app.app_context(), store.get_store().session() as db:
        patient = store.queries.create_patient(db, "Pat Example")
        store.queries.assign(db, patient.id, auth.find_user(db, "dr-a").id)
        db.commit()
        patient_id = patient.id
    answer = client.post(f"/clinic/patients/{patient_id}/sessions",
                         data={"date": "2026-02-17", "text": text, "csrf_token": client.csrf()})
    assert answer.status_code == 302, answer.text
    session_id = int(re.search(r"added=(\d+)", answer.location).group(1))
    return patient_id, session_id


def audit_rows(app, action: str) -> list:
    with app.app_context(), store.get_store().session() as db:
        return [r for r in audit.rows(db, limit=500) if r.action == action]


def open_items(app) -> list:
    with app.app_context(), store.get_store().session() as db:
        return store.queries.list_review_items(db, status="open")


# --- sign-in -----------------------------------------------------------------------------------
def test_sign_in_sets_a_strict_httponly_secure_cookie_and_is_audited(app):
    add_clinician(app, "dr-a")
    client = app.test_client()
    assert client.get("/").location.endswith("/login")
    page = client.get("/login")
    assert page.status_code == 200 and "Content-Security-Policy" in page.headers
    answer = client.post("/login", data={"username": "dr-a", "password": PASSWORD, "csrf_token": _token(page.text)})
    cookie = next(c for c in answer.headers.getlist("Set-Cookie") if c.startswith(signin.COOKIE + "="))
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Secure" in cookie and "Path=/" in cookie
    landing = client.get("/")
    assert landing.status_code == 200 and "Review queue" in landing.text and "dr-a" in landing.text
    assert [r.outcome for r in audit_rows(app, "web.signin")] == ["ok"]


def test_wrong_password_unknown_user_and_non_clinicians_are_refused(app):
    add_clinician(app, "dr-a")
    with app.app_context(), store.get_store().session() as db:
        auth.create_user(db, "frontend", "service")
        with pytest.raises(Exception, match="Only clinician"):
            signin.set_password(db, "frontend", PASSWORD)
        with pytest.raises(Exception, match="12 to 256"):
            signin.set_password(db, "dr-a", "short")
    client = app.test_client()
    for name, password in (("dr-a", "wrong password!!"), ("nobody", PASSWORD), ("frontend", PASSWORD)):
        token = _token(client.get("/login").text)
        answer = client.post("/login", data={"username": name, "password": password, "csrf_token": token})
        assert answer.status_code == 401 and "wrong password" in answer.text
    assert client.get("/").status_code == 302
    assert [r.outcome for r in audit_rows(app, "web.signin")] == ["denied"] * 3


def test_the_page_and_the_api_do_not_accept_each_others_credentials(app, browser):
    assert browser.get("/review-queue").status_code == 401                   # the cookie is not an API token
    with app.app_context(), store.get_store().session() as db:
        token = auth.issue_token(db, auth.find_user(db, "dr-a"))
        db.commit()
    bare = app.test_client()
    assert bare.get("/", headers={"Authorization": f"Bearer {token}"}).status_code == 302   # nor the reverse


def test_sign_out_ends_the_session_server_side(app, browser):
    cookie = browser.get_cookie(signin.COOKIE).value
    assert browser.post("/logout", data={"csrf_token": browser.csrf()}).status_code == 302
    replay = app.test_client()
    replay.set_cookie(signin.COOKIE, cookie)
    assert replay.get("/").location.endswith("/login")                     # the old cookie is dead


# --- CSRF --------------------------------------------------------------------------------------
def test_forms_without_the_session_token_are_refused_and_change_nothing(app, browser):
    patient_id, _ = new_patient(browser)
    item = open_items(app)[0]
    for data in ({"note": "seen", "severity": "agree"},
                 {"note": "seen", "severity": "agree", "csrf_token": "forged"}):
        answer = browser.post(f"/clinic/review/{item.id}/resolve", data=data)
        assert answer.status_code == 403 and "security token" in answer.text
    assert [i.id for i in open_items(app)] == [item.id]
    refused = browser.post(f"/clinic/patients/{patient_id}/sessions", data={"date": "2026-03-01", "text": "x"})
    assert refused.status_code == 403
    assert [r.outcome for r in audit_rows(app, "web.resolve")] == ["csrf", "csrf"]
    login = app.test_client()
    login.get("/login")
    forged = login.post("/login", data={"username": "dr-a", "password": PASSWORD, "csrf_token": "forged"})
    assert forged.status_code == 403 and login.get("/").status_code == 302


# --- idle logoff -------------------------------------------------------------------------------
def test_idle_time_signs_the_clinician_out(app, browser):
    toolkit = app.extensions["toolkit"]
    start = toolkit.clock()
    toolkit.clock = lambda: start + timedelta(minutes=14)
    assert browser.get("/").status_code == 200                             # activity moves the clock on
    toolkit.clock = lambda: start + timedelta(minutes=14 + 16)
    answer = browser.get("/clinic/patients")
    assert answer.status_code == 302 and "idle=1" in answer.location
    assert "signed out after 15 minutes" in browser.get(answer.location).text
    assert browser.get("/").location.endswith("/login")                    # and it stays ended
    assert [r.outcome for r in audit_rows(app, "web.signout")] == ["idle"]


def test_the_idle_time_is_configurable(settings):
    from backend import create_app

    app = create_app({"SETTINGS": settings.with_(web_idle_minutes=1), "MODELS": OneModel(ScriptedEngine([]))})
    add_clinician(app, "dr-a")
    client = sign_in(app, "dr-a")
    toolkit = app.extensions["toolkit"]
    start = toolkit.clock()
    toolkit.clock = lambda: start + timedelta(minutes=2)
    assert "idle=1" in client.get("/").location
    page = sign_in(app, "dr-a").get("/")
    assert 'data-idle-seconds="60"' in page.text                           # the page's own timer agrees


# --- care teams --------------------------------------------------------------------------------
def test_a_clinician_sees_only_their_patients(app, browser):
    patient_id, session_id = new_patient(browser)
    item = open_items(app)[0]
    add_clinician(app, "dr-b")
    other = sign_in(app, "dr-b")
    assert "Pat Example" not in other.get("/").text and f"item-{item.id}" not in other.get("/").text
    assert "Pat Example" not in other.get("/clinic/patients").text
    assert other.get(f"/clinic/patients/{patient_id}").status_code == 404
    assert other.get(f"/clinic/sessions/{session_id}/note").status_code == 404
    token = other.csrf()
    assert other.post(f"/clinic/review/{item.id}/resolve",
                      data={"note": "x", "severity": "agree", "csrf_token": token}).status_code == 404
    assert other.post(f"/clinic/patients/{patient_id}/sessions",
                      data={"date": "2026-03-01", "text": "x", "csrf_token": token}).status_code == 404
    assert [i.id for i in open_items(app)] == [item.id]
    assert "Pat Example" in browser.get(f"/clinic/patients/{patient_id}").text


# --- review queue ------------------------------------------------------------------------------
def test_a_crisis_note_is_queued_with_its_evidence_and_resolved_with_a_severity(app, browser):
    new_patient(browser)
    page = browser.get("/").text
    item = open_items(app)[0]
    assert item.kind == "session_note" and item.severity == "crisis"
    assert "<mark" in page and "kill myself" in page and "988" in page         # evidence and resources
    token = _token(page)
    missing = browser.post(f"/clinic/review/{item.id}/resolve", data={"severity": "agree", "csrf_token": token})
    assert missing.status_code == 422 and open_items(app)
    done = browser.post(f"/clinic/review/{item.id}/resolve",
                        data={"note": "Called client; safety plan in place.", "severity": "high", "csrf_token": token})
    assert done.status_code == 302 and not open_items(app)
    with app.app_context(), store.get_store().session() as db:
        stored = store.queries.get_review_item(db, item.id)
        assert (stored.status, stored.resolved_by, stored.clinician_severity) == ("resolved", "dr-a", "high")
    assert [r.outcome for r in audit_rows(app, "review.resolve")] == ["validation_error", "ok"]


# --- notes -------------------------------------------------------------------------------------
def test_a_dap_note_is_approved_with_approver_and_time_and_audited(app, browser):
    _, session_id = new_patient(browser)
    form = browser.get(f"/clinic/sessions/{session_id}/note?format=dap").text
    assert "DAP note" in form and "Draft from a summary" in form
    browser.post(f"/clinic/sessions/{session_id}/draft", data={"format": "dap", "csrf_token": _token(form)})
    form = browser.get(f"/clinic/sessions/{session_id}/note?format=dap").text
    assert "Draft from a summary" not in form and "kill myself" in form.split("Approve note")[0].split("<form method=\"post\"")[-1]
    sections = {"section-0": "Client reports suicidal thoughts and saving pills.",
                "section-1": "Acute risk: plan and means.", "section-2": "Safety plan; review in two days."}
    lowered = browser.post(f"/clinic/sessions/{session_id}/note",
                           data={**sections, "format": "dap", "risk": "low", "csrf_token": _token(form)})
    assert lowered.status_code == 422 and "lower than the safety floor" in lowered.text
    approved = browser.post(f"/clinic/sessions/{session_id}/note",
                            data={**sections, "format": "dap", "risk": "crisis", "csrf_token": _token(form)})
    assert approved.status_code == 302
    with app.app_context(), store.get_store().session() as db:
        note = db.query(store.models.ApprovedNote).one()
    assert (note.format, note.approved_by, note.risk, note.floor_risk) == ("dap", "dr-a", "crisis", "crisis")
    assert list(note.sections) == ["Data", "Assessment", "Plan"] and note.approved_at is not None
    rows = audit_rows(app, "note.approve")
    assert [r.outcome for r in rows] == ["validation_error", "ok"]
    assert json.loads(rows[-1].detail)["format"] == "dap" and rows[-1].actor == "dr-a"
    view = browser.get(approved.location).text
    assert "DAP note" in view and "dr-a" in view and "Print or save as PDF" in view


def test_summary_format_keeps_its_word_limit():
    from backend.notes.approve import check
    from backend.notes.formats import get_format

    fmt = get_format("summary")
    with pytest.raises(Exception, match="allows 50"):
        check(fmt, {s.label: "word " * 15 for s in fmt.sections}, "low", "low")
    with pytest.raises(Exception, match="Unknown note format"):
        get_format("narrative")


# --- timeline, console, static -------------------------------------------------------------------
def test_timeline_summarizes_charts_and_links_progression_to_sessions(app, browser):
    patient_id, session_id = new_patient(browser)
    browser.post(f"/clinic/patients/{patient_id}/summarize", data={"csrf_token": browser.csrf()})
    page = browser.get(f"/clinic/patients/{patient_id}").text
    assert "<svg" in page and "Risk by visit: 2026-02-17 crisis" in page
    assert f'href="#session-{session_id}"' in page and f'id="session-{session_id}"' in page
    assert [r.outcome for r in audit_rows(app, "patient.read")] == ["ok"]


def test_triage_console_shows_result_evidence_and_resources(app, browser):
    answer = browser.post("/clinic/triage", data={"text": "I want to kill myself tonight, I have the pills.",
                                                  "csrf_token": browser.csrf()})
    assert answer.status_code == 200 and "Crisis" in answer.text and "988" in answer.text
    assert "<mark" in answer.text
    assert json.loads(audit_rows(app, "triage")[-1].detail)["via"] == "web"


def test_static_files_are_served_and_traversal_is_not(app):
    client = app.test_client()
    assert client.get("/clinic/static/app.css").status_code == 200
    assert client.get("/clinic/static/../signin.py").status_code == 404
    assert client.get("/clinic/static/%2e%2e/signin.py").status_code == 404


# --- CLI: passwords and feedback ------------------------------------------------------------------
def test_cli_sets_passwords_and_exports_reviews_de_identified(cli, tmp_path):
    assert cli("users", "add", "dr-cli", "--role", "clinician").returncode == 0
    short = cli("users", "passwd", "dr-cli", "--password-stdin", input="short\n")
    assert short.returncode == 2 and "12 to 256" in short.stderr
    assert cli("users", "passwd", "dr-cli", "--password-stdin", input=PASSWORD + "\n").returncode == 0
    opened = store.open_store(cli.settings)
    with opened.session() as db:
        assert signin.check_password(db, "dr-cli", PASSWORD) is not None
        patient = store.queries.create_patient(db, "Pat Example")
        text = "Maria Lopez (555-201-7788) said she wants to kill herself and has pills saved."
        session = store.queries.add_session(db, patient.id, date_=__import__("datetime").date(2026, 3, 1),
                                            text=text, author="dr-cli")
        from backend.triage.review import add_note_item

        item_id = add_note_item(db, session)
        db.commit()
        store.queries.resolve_review_item(db, item_id, by="dr-cli", note="seen")
        store.queries.get_review_item(db, item_id).clinician_severity = "high"
        db.commit()
    out = tmp_path / "feedback.jsonl"
    exported = cli("feedback", "export", str(out))
    assert exported.returncode == 0, exported.stderr
    assert "1 reviewed records (0 agreeing with the queue, 1 corrected)" in exported.stdout
    (row,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert "Maria" not in row["text"] and "555-201-7788" not in row["text"] and "kill herself" in row["text"]
    assert (row["severity"], row["recommended_action"], row["source"]) == ("high", "immediate_therapist",
                                                                          "practice-review:session_note")
    from tasks import get
    from training_data import formats

    (loaded,) = formats.load(out)[1]                                        # as `data prepare` reads it
    assert loaded["kind"] == "triage" and get("triage").problem(get("triage").row(loaded)) is None
    assert any(r.action == "feedback.export" for r in audit.rows(opened.session(), limit=50))


def test_sign_in_attempts_are_limited_per_address(settings):
    from backend import create_app

    app = create_app({"SETTINGS": settings.with_(rate_limit_signin="3/minute"), "MODELS": OneModel(ScriptedEngine([]))})
    add_clinician(app, "dr-a")
    client = app.test_client()
    page, codes = client.get("/login"), []
    for i in range(4):
        page = client.post("/login", data={"username": "dr-a", "password": "guess number %d!" % i,
                                           "csrf_token": _token(page.text) if page.status_code != 429 else ""})
        codes.append(page.status_code)
    assert codes == [401, 401, 401, 429] and "Too many" in page.text
    assert client.get("/login").status_code == 200                           # the form itself is not limited
