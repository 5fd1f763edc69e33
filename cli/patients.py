"""CLI `patients`: add and list the practice's patients, and manage their care teams."""
from __future__ import annotations

import click

from backend import access, auth
from backend.store import queries
from cli.common import print_table
from cli.practice import audit_ok, audited, demo_flag


@click.group()
def patients() -> None:
    """Add, list and show patients; assign clinicians to their care teams."""


@patients.command("add")
@click.argument("name")
@click.option("--ref", "external_ref", help="Your own record number (optional).")
@click.option("--assign", "assignees", multiple=True, metavar="USER",
              help="Put this clinician (or service) on the care team; repeat for several.")
@demo_flag
@audited("patient.create")
def patients_add(db, name: str, external_ref: str | None, assignees: tuple[str, ...]) -> None:
    """Add a patient called NAME; prints its id."""
    patient = queries.create_patient(db, name, external_ref)
    for user_name in assignees:
        _assign(db, patient.id, user_name)
    audit_ok(db, "patient.create", patient_id=patient.id, commit=False)
    db.commit()
    click.echo(f"Added patient {patient.id}: {patient.display_name}")


@patients.command("list")
@demo_flag
@audited("patient.list")
def patients_list(db) -> None:
    """List patients with their session counts and care teams."""
    counts = queries.session_counts(db)
    rows = queries.list_patients(db)
    teams = {p.id: ", ".join(u.name for u in queries.care_team(db, p.id)) for p in rows}
    audit_ok(db, "patient.list", detail={"patients": len(rows)})
    print_table("Patients", ["id", "name", "ref", "sessions", "care team"],
                [[p.id, p.display_name, p.external_ref, counts.get(p.id, 0), teams[p.id]] for p in rows])


@patients.command("assign")
@click.argument("patient_id", type=int)
@click.argument("user")
@demo_flag
@audited("care_team.assign")
def patients_assign(db, patient_id: int, user: str) -> None:
    """Put USER on PATIENT_ID's care team (they then see the patient's sessions and review items)."""
    added = _assign(db, patient_id, user)
    audit_ok(db, "care_team.assign", patient_id=patient_id, detail={"user": user, "changed": added}, commit=False)
    db.commit()
    click.echo(f"{user} {'is now' if added else 'was already'} on the care team of patient {patient_id}.")


@patients.command("unassign")
@click.argument("patient_id", type=int)
@click.argument("user")
@demo_flag
@audited("care_team.unassign")
def patients_unassign(db, patient_id: int, user: str) -> None:
    """Take USER off PATIENT_ID's care team."""
    removed = queries.unassign(db, patient_id, auth.find_user(db, user).id)
    audit_ok(db, "care_team.unassign", patient_id=patient_id, detail={"user": user, "changed": removed},
             commit=False)
    db.commit()
    click.echo(f"{user} {'is no longer' if removed else 'was not'} on the care team of patient {patient_id}.")


def _assign(db, patient_id: int, user_name: str) -> bool:
    user = auth.find_user(db, user_name)
    access.check_assignable(user.role)
    return queries.assign(db, patient_id, user.id)
