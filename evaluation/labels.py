"""Label mapping: external columns and label sets (e.g. a five-level suicide-risk scale) onto our records."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from core.errors import BadRequest
from core.schemas import CONCERN_TYPES, SEVERITIES

# Our fields per task, and the external column each defaults to.
TASK_FIELDS: dict[str, tuple[str, ...]] = {
    "triage": ("id", "text", "severity", "concern_type", "recommended_action", "risk_flags"),
    "summarize": ("id", "session", "summary_html", "risk"),
    "chat": ("id", "prompt", "reply", "topic"),
}
_SEVERITY_FIELD = {"triage": "severity", "summarize": "risk"}


@dataclass
class LabelMap:
    """`columns`: our field -> external column; `severity`: external label -> one of SEVERITIES;
    `defaults`: fixed values for fields the file lacks; `skip_unmapped`: drop rows with unknown labels."""

    columns: dict[str, str] = field(default_factory=dict)
    severity: dict[str, str] = field(default_factory=dict)
    defaults: dict[str, Any] = field(default_factory=dict)
    skip_unmapped: bool = False

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> "LabelMap":
        unknown = set(raw) - {"columns", "severity", "defaults", "skip_unmapped"}
        if unknown:
            raise BadRequest(f"label map has unknown keys: {', '.join(sorted(unknown))}",
                             hint="allowed: columns, severity, defaults, skip_unmapped")
        severity = {str(k).strip().lower(): str(v).strip().lower() for k, v in (raw.get("severity") or {}).items()}
        bad = sorted({v for v in severity.values() if v not in SEVERITIES})
        if bad:
            raise BadRequest(f"label map maps onto unknown severities: {', '.join(bad)}",
                             hint=f"use one of {', '.join(SEVERITIES)}")
        defaults = dict(raw.get("defaults") or {})
        if defaults.get("concern_type") not in (None, *CONCERN_TYPES):
            raise BadRequest(f"label map default concern_type '{defaults['concern_type']}' is unknown")
        return cls(columns={str(k): str(v) for k, v in (raw.get("columns") or {}).items()},
                   severity=severity, defaults=defaults, skip_unmapped=bool(raw.get("skip_unmapped", False)))

    def map_severity(self, value: Any) -> str | None:
        """An external label as one of our severities (numbers match '3' and 3.0), None when unmapped."""
        key = str(value).strip().lower()
        if key.endswith(".0"):
            key = key[:-2]
        if key in self.severity:
            return self.severity[key]
        return key if not self.severity and key in SEVERITIES else None


def load_label_map(path: str | Path) -> LabelMap:
    """Read a YAML or JSON label map."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise BadRequest(f"cannot read label map {path}: {exc.strerror}") from None
    try:
        if path.suffix.lower() == ".json":
            raw = json.loads(text)
        else:
            import yaml

            raw = yaml.safe_load(text)
    except ValueError as exc:  # json.JSONDecodeError and yaml.YAMLError's parse errors
        raise BadRequest(f"label map {path} is not valid {path.suffix.lstrip('.') or 'YAML'}: {exc}") from None
    except Exception as exc:  # yaml.YAMLError does not derive from ValueError
        raise BadRequest(f"label map {path} is not valid YAML: {exc}") from None
    if not isinstance(raw, Mapping):
        raise BadRequest(f"label map {path} must be a mapping with 'columns' and 'severity'")
    return LabelMap.from_dict(raw)


def apply(rows: list[Mapping[str, Any]], label_map: LabelMap, task: str, source: str) -> list[dict[str, Any]]:
    """Map external rows onto prepared records of `task` (the interface-1 shape)."""
    records, unmapped = [], set()
    for i, row in enumerate(rows):
        values = _pick(row, label_map, task)
        sev_field = _SEVERITY_FIELD.get(task)
        if sev_field and values.get(sev_field) is not None:
            mapped = label_map.map_severity(values[sev_field])
            if mapped is None:
                unmapped.add(str(values[sev_field]))
                continue
            values[sev_field] = mapped
        records.append(_record(task, values, default_id=f"{source}-{i + 1}", source=source))
    if unmapped and not label_map.skip_unmapped:
        shown = ", ".join(sorted(unmapped)[:10])
        raise BadRequest(f"labels without a mapping: {shown}",
                         hint="add them under 'severity' in the label map, or set skip_unmapped: true")
    return records


def _pick(row: Mapping[str, Any], label_map: LabelMap, task: str) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in TASK_FIELDS[task]:
        column = label_map.columns.get(name, name)
        if column in row and row[column] not in (None, ""):
            values[name] = row[column]
        elif name in label_map.defaults:
            values[name] = label_map.defaults[name]
    missing = [n for n in ("text", "session", "prompt") if n in TASK_FIELDS[task] and n not in values]
    if missing:
        raise BadRequest(f"row has no '{label_map.columns.get(missing[0], missing[0])}' column",
                         hint="name the input column under 'columns' in the label map")
    return values


def _record(task: str, values: dict[str, Any], *, default_id: str, source: str) -> dict[str, Any]:
    rid = str(values.pop("id", default_id))
    if task == "triage":
        flags = values.get("risk_flags")
        if isinstance(flags, str):
            values["risk_flags"] = [f.strip() for f in flags.replace(";", ",").split(",") if f.strip()]
        label = {k: values[k] for k in TASK_FIELDS["triage"][2:] if k in values}
        return {"id": rid, "text": str(values["text"]), "label": label, "source": source}
    if task == "summarize":
        return {"id": rid, "session": str(values["session"]), "summary_html": values.get("summary_html"),
                "risk": values.get("risk"), "source": source}
    messages = [{"role": "user", "content": str(values["prompt"])}]
    if values.get("reply"):
        messages.append({"role": "assistant", "content": str(values["reply"])})
    return {"id": rid, "messages": messages, "source": source, "topic": values.get("topic")}
