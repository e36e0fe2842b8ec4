"""Server-rendered SVG charts (pygal) that satisfy the content-security policy.

pygal draws the geometry; we strip the script it embeds for its tooltips (the CSP forbids inline
scripts, and every number is in the table beside the chart anyway) and give the SVG an accessible
name. Rendering costs tens of milliseconds per chart, so the SVG is memoised under a hash of
everything it is drawn from: the same numbers give the same picture, and a changed value changes the
key, so a saved value always shows on the next load.
"""

from __future__ import annotations

import hashlib
import json
import xml.etree.ElementTree as ET  # noqa: S405 - we only serialise trees pygal built, never parse input
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import pygal
from django.core.cache import cache
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style

SVG_NS = "http://www.w3.org/2000/svg"
CACHE_SECONDS = 24 * 60 * 60
STYLE = Style(
    background="transparent",
    plot_background="#ffffff",
    foreground="#1d2530",
    foreground_strong="#1d2530",
    foreground_subtle="#5a6472",
    opacity=".85",
    opacity_hover="1",
    colors=("#0b5cad", "#a35a00", "#1b7a3a", "#6b3fa0", "#b3261e", "#2f6f73"),
    font_family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=13,
    value_font_size=12,
    tooltip_font_size=12,
)
BASE = {
    "js": [],
    "style": STYLE,
    "disable_xml_declaration": True,
    "width": 640,
    "height": 320,
    "margin": 8,
    "margin_right": 24,
    "truncate_label": 18,
    "truncate_legend": 24,
    "print_values": False,
    "legend_at_bottom": True,
}
LEGIBLE_LABELS = 12  # a longer time axis is labelled (and dotted) at this many evenly spaced periods
LONG_AXIS = {"x_labels_major_count": LEGIBLE_LABELS, "show_minor_x_labels": False, "show_only_major_dots": True}
KINDS = {"line": pygal.Line, "bar": pygal.Bar, "hbar": pygal.HorizontalBar, "stacked": pygal.StackedBar}


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def chart(
    kind: str,
    name: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[Decimal | None]]],
    *,
    uid: str,
    **options: Any,
) -> SafeString:
    """An inline SVG of ``series`` (name, values per label) over ``labels``; ``name`` is its accessible name.

    ``uid`` must be unique on the page (it becomes the SVG's id, scoping pygal's styles).
    """
    spec = json.dumps(
        [kind, name, list(labels), [(s, [_number(v) for v in vs]) for s, vs in series], uid, options],
        sort_keys=True,
        default=str,
    )
    key = "measurement-chart:" + hashlib.sha256(spec.encode()).hexdigest()
    svg = cache.get(key)
    if svg is None:
        svg = _render(kind, name, labels, series, uid, options)
        cache.set(key, svg, CACHE_SECONDS)
    return mark_safe(svg)  # noqa: S308 - built by ElementTree, which escapes every label


def _render(
    kind: str,
    name: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[Decimal | None]]],
    uid: str,
    options: dict[str, Any],
) -> str:
    config = {**BASE, "show_legend": len(series) > 1, **options}
    if kind == "line" and len(labels) > LEGIBLE_LABELS:  # overlapping labels help nobody, and each dot costs
        config.update(LONG_AXIS)
    graph = KINDS[kind](**config)
    graph.uuid = uid
    graph.x_labels = list(labels)
    for title, values in series:
        graph.add(title, [_number(v) for v in values])
    root = graph.render_tree()
    for parent in root.iter():
        for child in list(parent):
            if child.tag in ("script", f"{{{SVG_NS}}}script"):
                parent.remove(child)
    root.set("role", "img")
    root.set("aria-label", name)
    root.set("focusable", "false")
    return ET.tostring(root, encoding="unicode")


def empty(message: str) -> SafeString:
    return format_html('<p class="chart-empty muted">{}</p>', message)


SPARK_WIDTH = 120
SPARK_HEIGHT = 28
SPARK_PAD = 3


def sparkline_points(values: Sequence[Decimal | None], width: int = SPARK_WIDTH, height: int = SPARK_HEIGHT) -> str:
    """The ``points`` of a polyline drawing ``values`` left to right inside ``width`` × ``height`` (minus a
    small padding), the highest value at the top; missing values are skipped. Empty when fewer than two
    values are known. Coordinates are rounded to one decimal."""
    known = [(i, v) for i, v in enumerate(values) if v is not None]
    if len(known) < 2:
        return ""
    low, high = min(v for _, v in known), max(v for _, v in known)
    span = high - low
    step = Decimal(width - 2 * SPARK_PAD) / (len(values) - 1)
    inner = Decimal(height - 2 * SPARK_PAD)

    def y(v: Decimal) -> Decimal:
        return (Decimal(height) / 2) if span == 0 else SPARK_PAD + inner * (high - v) / span

    return " ".join(f"{SPARK_PAD + step * i:.1f},{y(v):.1f}" for i, v in known)


def sparkline(values: Sequence[Decimal | None], name: str) -> SafeString:
    """A tiny inline SVG line of recent values (no script, no pygal): a picture of the shape only; the
    figures themselves are in the row beside it. ``name`` is its accessible name."""
    points = sparkline_points(values)
    if not points:
        return format_html('<span class="sparkline-none muted">{}</span>', "—")
    last = points.rsplit(" ", 1)[-1].split(",")
    return format_html(
        '<svg class="sparkline" role="img" aria-label="{}" focusable="false" viewBox="0 0 {} {}" width="{}" '
        'height="{}"><polyline fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round" '
        'points="{}"/><circle cx="{}" cy="{}" r="2.5" fill="currentColor"/></svg>',
        name,
        SPARK_WIDTH,
        SPARK_HEIGHT,
        SPARK_WIDTH,
        SPARK_HEIGHT,
        points,
        last[0],
        last[1],
    )
