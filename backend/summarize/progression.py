"""Progression across visits, built deterministically from per-session results; every statement cites sessions."""
from __future__ import annotations

import html
from dataclasses import dataclass

from backend.summarize.evidence import label
from backend.summarize.faithful import NOT_DOCUMENTED
from backend.summarize.service import SessionResult, sanitize
from core.schemas import max_severity, severity_rank

TRENDS = ("escalating", "improving", "stable", "fluctuating")
BIG_STEP = 2                 # a change of two levels or more between visits is a meaningful move


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
    """The course of per-session risks (oldest first), by these rules:

    - escalating: the latest visit is above the first, and no visit drops 2+ levels from the one before;
    - improving: the latest is below the first, and no visit rises 2+ levels from the one before;
    - stable: the latest equals the first and every visit is within one level of it (a one-level blip that
      returns is stable);
    - fluctuating: everything else, that is a course that truly goes both ways (a 2+ level move against the
      overall direction, or a 2+ level excursion that comes back).
    """
    ranks = [severity_rank(r) for r in risks]
    steps = [b - a for a, b in zip(ranks, ranks[1:])]
    if ranks[-1] > ranks[0] and not any(s <= -BIG_STEP for s in steps):
        return "escalating"
    if ranks[-1] < ranks[0] and not any(s >= BIG_STEP for s in steps):
        return "improving"
    if ranks[-1] == ranks[0] and all(abs(r - ranks[0]) < BIG_STEP for r in ranks):
        return "stable"
    return "fluctuating"


def risk_trend(visits: list[Visit]) -> str:
    """escalating | improving | stable | fluctuating over the visits' served risks (see trend_of)."""
    return trend_of([v.result.risk for v in visits])


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
             f"<b>Risk trend:</b> {risk_trend(visits)}: {changes}",
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
