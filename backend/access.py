"""Who may see which patient: its care team, or every clinician and service when THERAPY_ACCESS=practice."""
from __future__ import annotations

from typing import Iterable

from sqlalchemy.orm import Session

from backend.auth import CurrentUser
from backend.context import get_toolkit
from backend.store import queries
from backend.store.models import Patient, ReviewItem
from core.errors import BadRequest, ConfigError
from core.settings import Settings

MODES = ("care_team", "practice")
ASSIGNABLE_ROLES = ("clinician", "service")    # admins manage users and teams; they read no clinical data


def check_mode(settings: Settings) -> None:
    """Refuse to start with an unknown THERAPY_ACCESS (a typo must not open the practice to everyone)."""
    if settings.access not in MODES:
        raise ConfigError(f"THERAPY_ACCESS must be one of {', '.join(MODES)}; got '{settings.access}'.")


def _practice_wide() -> bool:
    return get_toolkit().settings.access == "practice"


def can_see(db: Session, user: CurrentUser, patient_id: int) -> bool:
    """Whether the caller may see this patient (True in practice mode; absent patients are never seen)."""
    if user.role not in ASSIGNABLE_ROLES:
        return False
    if _practice_wide():
        return db.get(Patient, patient_id) is not None
    return queries.on_care_team(db, patient_id, user.id)


def visible_patient(db: Session, user: CurrentUser, patient_id: int) -> Patient:
    """The patient, or the same 404 whether it is absent or not the caller's."""
    if not can_see(db, user, patient_id):
        raise queries.no_patient(patient_id)
    return queries.get_patient(db, patient_id)


def visible_patient_ids(db: Session, user: CurrentUser) -> set[int] | None:
    """The ids of the caller's patients; None means every patient (practice mode)."""
    if user.role in ASSIGNABLE_ROLES and _practice_wide():
        return None
    return queries.team_patient_ids(db, user.id) if user.role in ASSIGNABLE_ROLES else set()


def visible_items(db: Session, user: CurrentUser, items: Iterable[ReviewItem]) -> list[ReviewItem]:
    """The review items the caller may see: those about their patients, and those about no patient
    (a triage escalation without a patient has no care team: every clinician must be able to act on it)."""
    allowed = visible_patient_ids(db, user)
    return [i for i in items if i.patient_id is None or allowed is None or i.patient_id in allowed]


def visible_item(db: Session, user: CurrentUser, item_id: int) -> ReviewItem:
    """The review item, or the same 404 whether it is absent or about a patient the caller may not see."""
    item = queries.get_review_item(db, item_id)
    if not visible_items(db, user, [item]):
        raise queries.no_review_item(item_id)
    return item


def check_assignable(role: str) -> None:
    if role not in ASSIGNABLE_ROLES:
        raise BadRequest(f"Only {' and '.join(ASSIGNABLE_ROLES)} users join care teams (not '{role}').")
