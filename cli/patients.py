"""CLI `patients`: add and list the practice's patients."""
from __future__ import annotations

import click

from backend.store import queries
from cli.common import print_table
from cli.practice import audit_ok, audited, demo_flag


@click.group()
def patients() -> None:
    """Add, list and show patients."""


@patients.command("add")
@click.argument("name")
@click.option("--ref", "external_ref", help="Your own record number (optional).")
@demo_flag
@audited("patient.create")
def patients_add(db, name: str, external_ref: str | None) -> None:
    """Add a patient called NAME; prints its id."""
    patient = queries.create_patient(db, name, external_ref)
    audit_ok(db, "patient.create", patient_id=patient.id, commit=False)
    db.commit()
    click.echo(f"Added patient {patient.id}: {patient.display_name}")


@patients.command("list")
@demo_flag
@audited("patient.list")
def patients_list(db) -> None:
    """List patients with their session counts."""
    counts = queries.session_counts(db)
    rows = queries.list_patients(db)
    audit_ok(db, "patient.list", detail={"patients": len(rows)})
    print_table("Patients", ["id", "name", "ref", "sessions"],
                [[p.id, p.display_name, p.external_ref, counts.get(p.id, 0)] for p in rows])
