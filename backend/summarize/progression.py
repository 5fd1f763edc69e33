"""Progression across visits, built deterministically from per-session results; every statement cites sessions."""
from __future__ import annotations

import html
from dataclasses import dataclass

from backend.summarize.service import SessionResult, sanitize
from core.schemas import max_severity, severity_rank


@dataclass
class Visit:
    session_id: int
    date: str
    result: SessionResult


def _cite(*visits: Visit) -> str:
    return "[" + ", ".join(f"#{v.session_id}" for v in visits) + "]"


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def risk_trend(visits: list[Visit]) -> str:
    """worsening | improving | stable | fluctuating, comparing the first and the latest visit."""
    ranks = [severity_rank(v.result.risk) for v in visits]
    if ranks[-1] > ranks[0]:
        return "worsening"
    if ranks[-1] < ranks[0]:
        return "improving"
    return "stable" if len(set(ranks)) == 1 else "fluctuating"


def risk_changes(visits: list[Visit]) -> list[Visit]:
    """The first visit and every visit whose risk differs from the one before."""
    return [v for i, v in enumerate(visits) if i == 0 or v.result.risk != visits[i - 1].result.risk]


def flag_changes(visits: list[Visit]) -> tuple[dict[str, Visit], dict[str, Visit]]:
    """(new, resolved): floor flags present at the latest visit but not the first (with the visit each
    first appeared), and flags seen before but absent at the latest visit (with the last visit showing them)."""
    first, latest = set(visits[0].result.floor_flags), set(visits[-1].result.floor_flags)
    new = {f: next(v for v in visits if f in v.result.floor_flags) for f in sorted(latest - first)}
    seen = {f for v in visits[:-1] for f in v.result.floor_flags}
    resolved = {f: [v for v in visits if f in v.result.floor_flags][-1] for f in sorted(seen - latest)}
    return new, resolved


def progression_html(visits: list[Visit]) -> str:
    """`<b>Label:</b> text` lines joined by <br>: span, risk trend with change points, flags, latest picture."""
    if not visits:
        return ""
    first, latest = visits[0], visits[-1]
    peak = max(visits, key=lambda v: severity_rank(v.result.risk))
    changes = " → ".join(f"{v.result.risk} ({v.date}) {_cite(v)}" for v in risk_changes(visits))
    lines = [f"<b>Sessions:</b> {len(visits)} from {first.date} to {latest.date} {_cite(*visits)}",
             f"<b>Risk trend:</b> {risk_trend(visits)}: {changes}",
             f"<b>Peak risk:</b> {peak.result.risk} {_cite(peak)}"]
    new, resolved = flag_changes(visits)
    if new:
        lines.append("<b>Worsened (new since first visit):</b> "
                     + "; ".join(f"{_e(f.replace('_', ' '))} {_cite(v)}" for f, v in new.items()))
    if resolved:
        lines.append("<b>Improved (no longer noted):</b> "
                     + "; ".join(f"{_e(f.replace('_', ' '))} {_cite(v)}" for f, v in resolved.items()))
    if len(visits) > 1:
        lines.append(f"<b>First visit:</b> {_e(first.result.summary['chief_complaint'])} {_cite(first)}")
    lines.append(f"<b>Latest:</b> {_e(latest.result.summary['chief_complaint'])}; "
                 f"{_e(latest.result.summary['symptoms'])} {_cite(latest)}")
    return sanitize("<br>".join(lines))


def overall_risk(visits: list[Visit]) -> str:
    """The highest risk of any covered session: a past crisis is never hidden by a calmer latest visit."""
    return max_severity(*(v.result.risk for v in visits))
