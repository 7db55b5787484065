"""The turnover chart as inline SVG data: yearly and year-to-date points, the target line, discrepant points.

Pure geometry: `build_chart(series, t)` returns the shapes a template draws, so the chart works with
JavaScript off; each point carries its sources' text for the SVG <title> and the tooltip script.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from karavan.serve.fmt import amount

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 28, 40
MAX_SOURCES = 6  # listed in a point's tooltip; the cluster page has them all


@dataclass(slots=True)
class ChartPoint:
    x: float
    y: float
    y_low: float
    y_high: float
    kind: str
    discrepant: bool
    label: str
    sources: str
    href: str | None


@dataclass(slots=True)
class Chart:
    width: int = WIDTH
    height: int = HEIGHT
    points: list[ChartPoint] = field(default_factory=list)
    x_ticks: list[tuple[float, str]] = field(default_factory=list)
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    target_y: float | None = None
    target_label: str = ""
    line: str = ""  # polyline of the yearly points
    plot: tuple[int, int, int, int] = (LEFT, TOP, WIDTH - RIGHT, HEIGHT - BOTTOM)


def nice_step(top: float) -> float:
    raw = top / 4
    magnitude = 10 ** len(str(int(raw))) / 10 if raw >= 1 else 1.0
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * magnitude:
            return m * magnitude
    return 10 * magnitude


def position(period: str) -> float:
    """Years as numbers: a full year at its middle, 'YYYY-01/YYYY-MM' at the end of its last month."""
    year, start_month = int(period[:4]), int(period[5:7])
    end_year, end_month = int(period[8:12]), int(period[13:15])
    if start_month == 1 and end_month == 12 and end_year == year:
        return year + 0.5
    return end_year + end_month / 12


def source_lines(point: dict[str, Any], t: Any) -> str:
    lines = []
    sources = point.get("sources") or []
    for s in sources[:MAX_SOURCES]:
        who = s.get("claimant") or s.get("doc") or ""
        lines.append(
            f"{who} ({s.get('published') or t('unknown')}): «{(s.get('quote') or '').strip()[:160]}»"
        )
    if len(sources) > MAX_SOURCES:
        lines.append(t("more_sources", n=len(sources) - MAX_SOURCES))
    return "\n".join(lines)


def build_chart(series: dict[str, Any], t: Any, href: Any) -> Chart | None:
    points = [
        p
        for p in series.get("points") or []
        if p.get("value") is not None and p.get("kind") in ("year", "ytd")
    ]
    if not points:
        return None
    unit = series.get("unit") or ""
    target = series.get("target") or None
    target_value = target.get("value") if target else None
    top = max([p.get("high") or p["value"] for p in points] + [target_value or 0]) * 1.1 or 1.0
    step = nice_step(top)
    top = step * (int(top / step) + 1)
    xs = [position(p["period"]) for p in points]
    x0, x1 = int(min(xs)), int(max(xs)) + 1
    if x1 - x0 < 2:
        x0 -= 1
    labels = [amount(i * step, t) for i in range(int(round(top / step)) + 1)]
    # the left margin holds the longest tick label at the phone's font size (20 units a letter of 11)
    chart = Chart(plot=(max(LEFT, 16 + 11 * max(map(len, labels))), TOP, WIDTH - RIGHT, HEIGHT - BOTTOM))
    left, upper, right, lower = chart.plot

    def sx(x: float) -> float:
        return round(left + (x - x0) / (x1 - x0) * (right - left), 1)

    def sy(v: float) -> float:
        return round(lower - v / top * (lower - upper), 1)

    chart.x_ticks = [(sx(y + 0.5), str(y)) for y in range(x0, x1)]
    chart.y_ticks = [(sy(i * step), label) for i, label in enumerate(labels)]
    if target_value:
        chart.target_y = sy(target_value)
        by = f" {t('target_by', year=target['by'])}" if target.get("by") else ""
        chart.target_label = f"{t('target')}: {amount(target_value, t)} {unit}{by}"
    for p, x in zip(points, xs, strict=True):
        kind_text = t("kind_year") if p["kind"] == "year" else t("kind_ytd")
        value_text = f"{amount(p['value'], t)} {unit}"
        if p.get("discrepant") and p.get("low") is not None and p.get("high") is not None:
            value_text = f"{amount(p['low'], t)}–{amount(p['high'], t)} {unit} ({t('legend_discrepant')})"
        chart.points.append(
            ChartPoint(
                x=sx(x),
                y=sy(p["value"]),
                y_low=sy(p.get("low") if p.get("low") is not None else p["value"]),
                y_high=sy(p.get("high") if p.get("high") is not None else p["value"]),
                kind=p["kind"],
                discrepant=bool(p.get("discrepant")),
                label=f"{p['period']} ({kind_text}): {value_text}",
                sources=source_lines(p, t),
                href=href(p["cluster_id"]) if p.get("cluster_id") else None,
            )
        )
    years = [c for c in chart.points if c.kind == "year"]
    chart.line = " ".join(f"{c.x},{c.y}" for c in years)
    return chart
