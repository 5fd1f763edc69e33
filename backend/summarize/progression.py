"""Progression across visits, built deterministically from per-session results; every statement cites sessions."""
from __future__ import annotations

import html
from dataclasses import dataclass

from backend.summarize.evidence import label
from backend.summarize.faithful import NOT_DOCUMENTED
from backend.summarize.service import SessionResult, sanitize
from core.schemas import max_severity, severity_rank

TRENDS = ("escalating", "improving", "stable", "fluctuating")


@dataclass
class Visit:
    session_id: int
    date: str
    result: SessionResult


def _cite(*visits: Visit) -> str:
    return "[" + ", ".join(f"#{v.session_id}" for v in visits) + "]"


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def trend_of(risks: list[str]) -> str:
    """The course of per-session risks (oldest first), as the visits show it:

    - escalating: the latest visit is above the first and no visit is below the one before;
    - improving: the mirror image (the latest below the first, no visit above the one before);
    - stable: every visit at the same level;
    - fluctuating: the course goes both up and down.

    The same words a clinician (and our labelled evaluation sets) use, so the trend never contradicts the
    change points printed beside it ("stable: low → moderate → low" would).
    """
    ranks = [severity_rank(r) for r in risks]
    steps = [b - a for a, b in zip(ranks, ranks[1:])]
    if all(s == 0 for s in steps):
        return "stable"
    if all(s >= 0 for s in steps):
        return "escalating"
    if all(s <= 0 for s in steps):
        return "improving"
    return "fluctuating"


def direction(risks: list[str]) -> str:
    """Where a course ends against where it began: up, down or level (qualifies a fluctuating trend)."""
    first, last = severity_rank(risks[0]), severity_rank(risks[-1])
    return "up" if last > first else "down" if last < first else "level"


def risk_trend(visits: list[Visit]) -> str:
    """escalating | improving | stable | fluctuating over the visits' served risks (see trend_of)."""
    return trend_of([v.result.risk for v in visits])


def _trend_text(visits: list[Visit]) -> str:
    """The trend as the progression states it: a fluctuating course says where it ended ("fluctuating, overall up")."""
    risks = [v.result.risk for v in visits]
    trend = trend_of(risks)
    return f"{trend}, overall {direction(risks)}" if trend == "fluctuating" else trend


def risk_changes(visits: list[Visit]) -> list[Visit]:
    """The first visit and every visit whose risk differs from the one before."""
    return [v for i, v in enumerate(visits) if i == 0 or v.result.risk != visits[i - 1].result.risk]


def evidence_changes(visits: list[Visit]) -> tuple[dict[str, list[Visit]], dict[str, tuple[Visit, Visit]]]:
    """(worsened, improved) from grounded evidence only, never from silence or from denied items:
    worsened: asserted at the latest visit and not at the first, with the visits asserting it;
    improved: asserted at an earlier visit and explicitly denied at the latest, with (last visit asserting
    it, latest visit)."""
    first, latest = visits[0].result, visits[-1].result
    worsened = {k: [v for v in visits if k in v.result.evidence] for k in latest.evidence if k not in first.evidence}
    earlier = dict.fromkeys(k for v in visits[:-1] for k in v.result.evidence if k in latest.denied)
    improved = {k: ([v for v in visits[:-1] if k in v.result.evidence][-1], visits[-1]) for k in earlier}
    return worsened, improved


def _peak(visits: list[Visit]) -> str:
    top = max(severity_rank(v.result.risk) for v in visits)
    at = [v for v in visits if severity_rank(v.result.risk) == top]
    return f"{at[0].result.risk} on {', '.join(v.date for v in at)} {_cite(*at)}"


def _evidence_lines(visits: list[Visit]) -> list[str]:
    worsened, improved = evidence_changes(visits)
    lines = []
    if worsened:
        lines.append("<b>Worsened (new since first visit):</b> "
                     + "; ".join(f"{_e(label(k))} {_cite(*vs)}" for k, vs in worsened.items()))
    if improved:
        lines.append("<b>Improved (denied at latest visit):</b> " + "; ".join(
            f"{_e(label(k))} (last noted {_cite(last)}, denied {_cite(deny)})" for k, (last, deny) in improved.items()))
    return lines


def progression_html(visits: list[Visit]) -> str:
    """`<b>Label:</b> text` lines joined by <br>: span, trend with change points, peak and latest with dates,
    grounded worsened/improved items, first and latest picture; every statement cites its sessions."""
    if not visits:
        return ""
    first, latest = visits[0], visits[-1]
    changes = " → ".join(f"{v.result.risk} ({v.date}) {_cite(v)}" for v in risk_changes(visits))
    lines = [f"<b>Sessions:</b> {len(visits)} from {first.date} to {latest.date} {_cite(*visits)}",
             f"<b>Risk trend:</b> {_trend_text(visits)}: {changes}",
             f"<b>Peak risk:</b> {_peak(visits)}",
             f"<b>Latest risk:</b> {latest.result.risk} on {latest.date} {_cite(latest)}"]
    if len(visits) > 1:
        lines += _evidence_lines(visits)
        lines.append(f"<b>First visit:</b> {_e(first.result.summary['chief_complaint'])} {_cite(first)}")
    picture = [latest.result.summary[k] for k in ("chief_complaint", "symptoms")]
    picture = [p for p in dict.fromkeys(picture) if p != NOT_DOCUMENTED] or [NOT_DOCUMENTED]
    lines.append(f"<b>Latest:</b> {_e('; '.join(picture))} {_cite(latest)}")
    return sanitize("<br>".join(lines))


def overall_risk(visits: list[Visit]) -> str:
    """The highest risk of any covered session: a past crisis is never hidden by a calmer latest visit."""
    return max_severity(*(v.result.risk for v in visits))
