"""Clinical consistency: combine the model's answer with the floor, repairing upward only (and saying so)."""
from __future__ import annotations

from backend.safety.floor import FloorResult
from core.schemas import ALLOWED_ACTIONS, SEVERITIES, TriageAssessment, action_rank, json_schema, severity_rank

CRISIS_FLAGS = ("acute_danger", "plan", "means_access", "preparatory_behavior", "goodbye_message",
                "suicidal_thoughts", "self_harm_behavior", "harm_to_others", "prior_attempt")
MAX_FLAGS: int = json_schema(TriageAssessment)["properties"]["risk_flags"].get("maxItems", 8)


def severity_for_action(action: str) -> str:
    """The lowest severity whose action table allows `action`."""
    return next(s for s in SEVERITIES if action in ALLOWED_ACTIONS[s])


def action_for(severity: str, action: str) -> str:
    """`action` if the table allows it, else the least urgent allowed action at least as urgent."""
    allowed = ALLOWED_ACTIONS[severity]
    if action in allowed:
        return action
    upward = [a for a in allowed if action_rank(a) >= action_rank(action)]
    return min(upward, key=action_rank) if upward else max(allowed, key=action_rank)


def reconcile(answer: TriageAssessment, floor: FloorResult) -> tuple[TriageAssessment, list[str]]:
    """Final assessment: severity = max(model, floor, what the action implies); action fits the table."""
    repairs: list[str] = []
    severity, action, concern = answer.severity, answer.recommended_action, answer.concern_type
    implied = severity_for_action(action)
    if severity_rank(implied) > severity_rank(severity):
        repairs.append(f"severity raised from {severity} to {implied}: the answer's action {action} needs it")
        severity = implied
    if severity_rank(floor.severity) > severity_rank(severity):
        repairs.append(f"severity raised from {severity} to {floor.severity} by the safety floor "
                       f"({', '.join(floor.rules)})")
        severity = floor.severity
        if floor.concern and floor.concern != concern:
            repairs.append(f"concern_type changed from {concern} to {floor.concern} by the safety floor")
            concern = floor.concern
    fitted = action_for(severity, action)
    if floor.action and action_rank(floor.action) > action_rank(fitted) and floor.action in ALLOWED_ACTIONS[severity]:
        fitted = floor.action
    if fitted != action:
        repairs.append(f"recommended_action raised from {action} to {fitted} for severity {severity}")
    flags = _merge_flags(answer.risk_flags, floor.flags, repairs)
    final = answer.model_copy(update={"severity": severity, "recommended_action": fitted,
                                      "concern_type": concern, "risk_flags": flags})
    return TriageAssessment.model_validate(final.model_dump()), repairs


def _merge_flags(model_flags: list[str], floor_flags: list[str], repairs: list[str]) -> list[str]:
    added = [f for f in floor_flags if f not in model_flags]
    if added:
        repairs.append(f"risk_flags added by the safety floor: {', '.join(added)}")
    merged = list(dict.fromkeys([*floor_flags, *model_flags]))
    merged.sort(key=lambda f: (f not in floor_flags, f not in CRISIS_FLAGS))
    return merged[:MAX_FLAGS]
