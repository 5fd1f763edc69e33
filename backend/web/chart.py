"""The risk trend across visits as a server-rendered SVG (no script): one point per visit, labelled by text."""
from __future__ import annotations

from html import escape

from core.schemas import SEVERITIES, severity_rank

WIDTH, HEIGHT, LEFT, TOP, BOTTOM = 640, 200, 80, 16, 40


def risk_chart(points: list[tuple[str, str]]) -> str:
    """An SVG for (date, risk) points, oldest first; every level and date is written out, not only coloured."""
    if not points:
        return ""
    rows = len(SEVERITIES) - 1
    step = (WIDTH - LEFT - 24) / max(1, len(points) - 1)
    y = {s: TOP + (rows - severity_rank(s)) * (HEIGHT - TOP - BOTTOM) / rows for s in SEVERITIES}
    xs = [LEFT + i * step if len(points) > 1 else (LEFT + WIDTH) / 2 for i in range(len(points))]
    grid = "".join(f'<line x1="{LEFT}" x2="{WIDTH - 8}" y1="{y[s]:.0f}" y2="{y[s]:.0f}" class="grid"/>'
                   f'<text x="{LEFT - 8}" y="{y[s] + 4:.0f}" class="axis" text-anchor="end">{s}</text>'
                   for s in SEVERITIES)
    line = " ".join(f"{x:.0f},{y[r]:.0f}" for x, (_, r) in zip(xs, points))
    marks = "".join(f'<circle cx="{x:.0f}" cy="{y[r]:.0f}" r="6" class="risk-{r}"><title>{escape(d)}: {r}'
                    f'</title></circle><text x="{x:.0f}" y="{HEIGHT - 14}" class="axis" text-anchor="middle">'
                    f'{escape(d)}</text>' for x, (d, r) in zip(xs, points))
    label = "Risk by visit: " + ", ".join(f"{d} {r}" for d, r in points)
    return (f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(label)}">'
            f'{grid}<polyline points="{line}" class="trend"/>{marks}</svg>')
