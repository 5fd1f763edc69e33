"""The fictional demo practice, kept in its own database (<home>/demo.db), never in the production one."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from backend import audit, auth
from backend.store.db import begin_write, open_store
from backend.store.models import Patient, TherapySession, User, utcnow
from backend.store.queries import add_session, assign, create_patient
from backend.triage.review import add_note_item
from backend.web.signin import check_password, set_password
from core.errors import ConfigError
from core.private import write_private
from core.settings import Settings

DEMO_DB_NAME = "demo.db"
DEMO_PASSWORD_FILE = "demo-password"
DEMO_AUTHOR = "Dr. Demo (fictional)"

# Every person, note and date below is invented for demonstration; none describes a real patient.
DEMO_PATIENTS: list[tuple[str, list[tuple[str, str]]]] = [
    ("Avery Example (FICTIONAL DEMO)", [      # escalating risk: low -> moderate -> high -> crisis
        ("2026-01-06", "Client reports stress after a team reorganisation at work and trouble switching off "
                       "in the evenings. Sleeping about six hours. Enjoys weekend hikes. No safety "
                       "concerns raised. Plan: worry-time exercise and sleep diary."),
        ("2026-01-20", "Client describes low mood most days and feels hopeless about work improving. Has "
                       "stopped hiking and cancelled plans with friends. Sleeping four to five hours, appetite "
                       "reduced. Plan: behavioural activation, one social contact this week."),
        ("2026-02-03", "Client feels hopeless and withdrawn. Said: \"I feel like a burden to everyone.\" "
                       "Admits thoughts of suicide on bad days. No plan or intent reported. Plan: weekly sessions, "
                       "review safety plan, discuss GP appointment."),
        ("2026-02-17", "Client disclosed thoughts of suicide this week: \"I have been thinking about ending my "
                       "life.\" Has been saving up sleeping pills. Lives alone. Safety plan completed together, "
                       "crisis line 988 given, pills to be handed to a friend, follow-up in two days."),
    ]),
    ("Blake Sample (FICTIONAL DEMO)", [        # improving anxiety
        ("2026-01-08", "Client reports panic attacks three times a week, mostly on the commute, with racing "
                       "heart and fear of fainting. Avoiding the train. Plan: psychoeducation on panic, "
                       "paced breathing."),
        ("2026-01-22", "Client had two panic attacks this fortnight and used paced breathing during both. "
                       "Took the train twice with a friend. Plan: graded exposure hierarchy."),
        ("2026-02-05", "Client reports one mild panic episode, managed alone. Commuting by train three days a "
                       "week. Mood good. Plan: continue exposure, move to fortnightly sessions."),
    ]),
    ("Casey Placeholder (FICTIONAL DEMO)", [   # grief, steady
        ("2026-01-12", "Client is grieving her grandmother who died last month. Tearful, poor concentration "
                       "at university, sleeping more than usual. No safety concerns. Plan: grief psychoeducation, "
                       "keep a memory journal."),
        ("2026-01-26", "Client visited the family home and shared memories with her brother. Still tearful in "
                       "the evenings but attending lectures. Plan: continue journal, plan for the anniversary."),
        ("2026-02-09", "Client reports waves of sadness but is back in her study group and sleeping normally. "
                       "Plan: review coping strategies, monthly check-ins."),
    ]),
    ("Devon Sample-Person (FICTIONAL DEMO)", [  # burnout and alcohol
        ("2026-01-14", "Client works sixty-hour weeks as a nurse and feels exhausted and detached from patients. "
                       "Drinking three to four glasses of wine most nights to unwind. Plan: drinking diary, "
                       "discuss workload with manager."),
        ("2026-01-28", "Client cut drinking to weekends and took two days of leave. Still irritable and "
                       "struggles to sleep before early shifts. Plan: sleep routine, values exercise."),
        ("2026-02-11", "Client negotiated fewer night shifts. Energy better, drinking within guidelines. "
                       "Plan: relapse-prevention plan, fortnightly sessions."),
    ]),
]
DEMO_CLINICIAN = "demo-clinician"
DEMO_USERS = ((DEMO_CLINICIAN, "clinician"), ("demo-frontend", "service"))


@dataclass
class DemoPractice:
    settings: Settings                 # settings pointing at the demo database
    tokens: dict[str, str]             # user name -> fresh token (shown once)
    password: str                      # the demo clinician's fresh page password (shown once)
    patients: int
    sessions: int
    created: bool                      # True when the demo data was written by this call


def demo_settings(settings: Settings) -> Settings:
    """The same settings, but with the database at <home>/demo.db and demo=True."""
    return settings.with_(database_url=f"sqlite:///{settings.home / DEMO_DB_NAME}", demo=True)


def prepare_demo(settings: Settings) -> DemoPractice:
    """Create (once) the demo practice in <home>/demo.db and issue fresh demo tokens. Used by
    `main.py demo` and `main.py serve --demo`; serve with the returned `.settings`."""
    demo = demo_settings(settings)
    production = settings.with_(demo=False).db_url
    if demo.db_url == production:
        raise ConfigError("The demo database must not be the production database.")
    store = open_store(demo)
    with store.session() as db:
        begin_write(db)
        created = db.scalar(select(func.count()).select_from(Patient)) == 0
        if created:
            _write_patients(db)
        tokens = {name: _token_for(db, name, role) for name, role in DEMO_USERS}
        _assign_everyone(db)
        password = _demo_password(db, settings)
        db.commit()
        patients = db.scalar(select(func.count()).select_from(Patient))
        sessions = db.scalar(select(func.count()).select_from(TherapySession))
    return DemoPractice(settings=demo, tokens=tokens, password=password, patients=patients, sessions=sessions,
                        created=created)


def _demo_password(db, settings: Settings) -> str:
    """The demo clinician's page password: kept in <home>/demo-password (0600, fictional practice only) so that
    `demo --token-only` beside a running `serve --demo` does not sign the browser out; made anew when missing."""
    path = settings.home / DEMO_PASSWORD_FILE
    kept = path.read_text(encoding="utf-8").strip() if path.is_file() else ""
    if kept and check_password(db, DEMO_CLINICIAN, kept) is not None:
        return kept
    password = secrets.token_urlsafe(12)
    set_password(db, DEMO_CLINICIAN, password)
    write_private(path, password + "\n")
    return password


def _write_patients(db) -> None:
    for name, sessions in DEMO_PATIENTS:
        patient = create_patient(db, name, external_ref="demo")
        for day, text in sessions:
            session = add_session(db, patient.id, date_=date.fromisoformat(day), text=text, author=DEMO_AUTHOR)
            add_note_item(db, session)               # a crisis note waits in the review queue from the start
        audit.record(db, actor="demo-setup", action="patient.create", outcome="ok", patient_id=patient.id,
                     session_ids=[s.id for s in patient.sessions], commit=False)


def _assign_everyone(db) -> None:
    """Every demo user is on every demo patient's care team."""
    db.flush()
    users = db.scalars(select(User).where(User.name.in_([name for name, _ in DEMO_USERS])))
    patient_ids = list(db.scalars(select(Patient.id)))
    for user in users:
        for patient_id in patient_ids:
            assign(db, patient_id, user.id)


def _token_for(db, name: str, role: str) -> str:
    user = db.scalar(select(User).where(User.name == name))
    if user is None:
        user = User(name=name, role=role, created_at=utcnow())
        db.add(user)
    user.active = True
    return auth.issue_token(db, user)


def prepare(settings: Settings) -> Settings:
    """For `serve --demo`: prepare the demo practice, print its tokens and a curl example, return its settings."""
    import click

    info = prepare_demo(settings)
    click.echo(demo_banner(info))
    return info.settings


def demo_banner(info: DemoPractice) -> str:
    """What `demo` and `serve --demo` print: the database, fresh tokens and a ready curl command."""
    clinician = info.tokens[DEMO_CLINICIAN]
    return "\n".join([
        f"Demo practice (FICTIONAL data): {info.patients} patients, {info.sessions} sessions in "
        f"{info.settings.db_url.removeprefix('sqlite:///')}",
        f"  clinician token: {clinician}",
        f"  service token:   {info.tokens['demo-frontend']}",
        f"  clinician page:  http://127.0.0.1:8002/  user {DEMO_CLINICIAN}, password {info.password}",
        "Try (with `python main.py serve --demo` running):",
        f"  export TOKEN={clinician}",
        "  curl -s http://127.0.0.1:8002/summarize-sessions -H \"Authorization: Bearer $TOKEN\" "
        "-H 'Content-Type: application/json' -d '{\"patient_id\": 1}'",
    ])
