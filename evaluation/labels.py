"""Label mapping: external columns and label sets (e.g. a five-level suicide-risk scale) onto our records."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import tasks
from core.errors import BadRequest
from core.schemas import CONCERN_TYPES, SEVERITIES


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
    records, unmapped, spec = [], set(), tasks.get(task)
    sev_field = spec.severity_field
    for i, row in enumerate(rows):
        values = _pick(row, label_map, spec.label_fields)
        if sev_field and values.get(sev_field) is not None:
            mapped = label_map.map_severity(values[sev_field])
            if mapped is None:
                unmapped.add(str(values[sev_field]))
                continue
            values[sev_field] = mapped
        records.append(spec.labelled(values, str(values.pop("id", f"{source}-{i + 1}")), source))
    if unmapped and not label_map.skip_unmapped:
        shown = ", ".join(sorted(unmapped)[:10])
        raise BadRequest(f"labels without a mapping: {shown}",
                         hint="add them under 'severity' in the label map, or set skip_unmapped: true")
    return records


def _pick(row: Mapping[str, Any], label_map: LabelMap, fields: tuple[str, ...]) -> dict[str, Any]:
    """Our `fields` (id, the required input, labels...) from an external row, through the map's columns."""
    values: dict[str, Any] = {}
    for name in fields:
        column = label_map.columns.get(name, name)
        if column in row and row[column] not in (None, ""):
            values[name] = row[column]
        elif name in label_map.defaults:
            values[name] = label_map.defaults[name]
    missing = [n for n in fields[1:2] if n not in values]
    if missing:
        raise BadRequest(f"row has no '{label_map.columns.get(missing[0], missing[0])}' column",
                         hint="name the input column under 'columns' in the label map")
    return values

