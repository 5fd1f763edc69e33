"""Routes: the admin surface, users and care teams (admin role only; admins read no clinical data)."""
from __future__ import annotations

from typing import Literal

from flask import Blueprint, jsonify
from pydantic import BaseModel, ConfigDict, Field

from backend import access, auth
from backend.audit import audited
from backend.auth import actor_name, roles
from backend.context import get_toolkit
from backend.http import parse_body
from backend.store import queries
from backend.store.db import get_db
from backend.store.models import ROLES, User
from core.errors import NotFound

bp = Blueprint("admin", __name__, url_prefix="/admin")


class NewUser(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=80)
    role: Literal[ROLES]  # type: ignore[valid-type]
    days: int | None = Field(default=None, ge=1, le=3650)


class Assignment(BaseModel):
    model_config = ConfigDict(extra="forbid")
    user: str = Field(min_length=1, max_length=80)


@bp.get("/users")
@roles("admin")
def list_users():
    with audited(get_db(), "user.list", actor=actor_name()) as audit_:
        users = [auth.user_summary(u) for u in queries.list_users(audit_.db)]
        audit_.detail = {"users": len(users)}
    return jsonify({"users": users})


@bp.post("/users")
@roles("admin")
def create_user():
    """A new user and their first token (shown once; a retry of the same name is 409, never a second user)."""
    with audited(get_db(), "user.create", actor=actor_name()) as audit_:
        body = parse_body(NewUser)
        days = body.days or get_toolkit().settings.token_days
        user, token = auth.create_user(audit_.db, body.name, body.role, days)
        audit_.detail = {"user": user.name, "role": user.role}
    return jsonify({**auth.user_summary(user), "token": token}), 201


@bp.post("/users/<id:user_id>/revoke")
@roles("admin")
def revoke_user(user_id: int):
    with audited(get_db(), "user.revoke", actor=actor_name()) as audit_:
        user = _user(audit_.db, user_id)
        audit_.detail = {"user": user.name, "tokens": auth.revoke(audit_.db, user.name)}
    return jsonify(auth.user_summary(user))


@bp.get("/patients/<id:patient_id>/clinicians")
@roles("admin")
def care_team(patient_id: int):
    with audited(get_db(), "care_team.read", actor=actor_name(), patient_id=patient_id) as audit_:
        queries.get_patient(audit_.db, patient_id)
        team = _team_json(audit_.db, patient_id)
    return jsonify({"patient_id": patient_id, "care_team": team})


@bp.post("/patients/<id:patient_id>/clinicians")
@roles("admin")
def assign(patient_id: int):
    with audited(get_db(), "care_team.assign", actor=actor_name(), patient_id=patient_id) as audit_:
        body = parse_body(Assignment)
        user = auth.find_user(audit_.db, body.user)
        access.check_assignable(user.role)
        added = queries.assign(audit_.db, patient_id, user.id)
        audit_.detail = {"user": user.name, "changed": added}
        team = _team_json(audit_.db, patient_id)
    return jsonify({"patient_id": patient_id, "assigned": added, "care_team": team}), 201 if added else 200


@bp.delete("/patients/<id:patient_id>/clinicians/<id:user_id>")
@roles("admin")
def unassign(patient_id: int, user_id: int):
    with audited(get_db(), "care_team.unassign", actor=actor_name(), patient_id=patient_id) as audit_:
        user = _user(audit_.db, user_id)
        removed = queries.unassign(audit_.db, patient_id, user.id)
        audit_.detail = {"user": user.name, "changed": removed}
        team = _team_json(audit_.db, patient_id)
    return jsonify({"patient_id": patient_id, "unassigned": removed, "care_team": team})


def _user(db, user_id: int) -> User:
    user = db.get(User, user_id)
    if user is None:
        raise NotFound(f"No user with id {user_id}.")
    return user


def _team_json(db, patient_id: int) -> list[dict]:
    return [{"id": u.id, "name": u.name, "role": u.role} for u in queries.care_team(db, patient_id)]
