"""The network diagram: a NetworkX layout (cached per round version) drawn as server-side SVG.

Ties are drawn as one path per relationship view, so a 20,000-tie network is a few elements, not
20,000; each actor is a circle with a title (its accessible name) coloured by sector and sized by the
chosen centrality. The most central actors are named beside their circle wherever a label fits without
touching another (``core.labels``); the others are named on hover and keyboard focus.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import igraph as ig
import networkx as nx
from django.core.cache import cache
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from coalition.core import labels as labels_

# Above this many actors the NetworkX spring layout is too slow for a page view; igraph's grid-based
# Fruchterman–Reingold gives the same kind of picture in a fraction of the time.
NETWORKX_LAYOUT_LIMIT = 300
SIZE = 1000
MARGIN = 40
LABEL_SIZE = 15  # the labels' font size in SVG units (core/app.css)
LABELLED = 12  # the most central actors are named on the picture; the rest on hover and focus

# Colour-blind-safe palette (Okabe–Ito plus two), each readable against white with a dark outline.
SECTOR_COLOURS = {
    "government": "#0072B2",
    "civil_society": "#E69F00",
    "community_based": "#009E73",
    "private": "#CC79A7",
    "academia": "#56B4E9",
    "donor": "#D55E00",
    "faith": "#F0E442",
    "community_leader": "#8C564B",
    "resident": "#7F7F7F",
}
DEFAULT_COLOUR = "#999999"


def compute_layout(nodes: Sequence[int], pairs: Sequence[tuple[int, int]]) -> dict[int, tuple[float, float]]:
    """Positions in [0, 1]² for each node (deterministic for the same network)."""
    if not nodes:
        return {}
    if len(nodes) <= NETWORKX_LAYOUT_LIMIT:
        small: nx.Graph[int] = nx.Graph()
        small.add_nodes_from(nodes)
        small.add_edges_from(pairs)
        k = 1.6 / math.sqrt(len(nodes))
        raw = {n: (float(x), float(y)) for n, (x, y) in nx.spring_layout(small, seed=7, k=k).items()}
    else:
        index = {n: i for i, n in enumerate(nodes)}
        graph = ig.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b in pairs])
        coords = graph.layout_fruchterman_reingold(grid=True, niter=300, seed=_circle(len(nodes)))
        raw = {n: (float(coords[i][0]), float(coords[i][1])) for n, i in index.items()}
    xs = [p[0] for p in raw.values()]
    ys = [p[1] for p in raw.values()]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0
    return {n: ((x - min(xs)) / span_x, (y - min(ys)) / span_y) for n, (x, y) in raw.items()}


def _circle(n: int) -> list[list[float]]:
    return [[math.cos(2 * math.pi * i / n) * n, math.sin(2 * math.pi * i / n) * n] for i in range(n)]


def cached_layout(
    round_key: str, nodes: Sequence[int], pairs: Sequence[tuple[int, int]]
) -> dict[int, tuple[float, float]]:
    """The layout of a round version, computed once (on the network of all relationship types so the
    picture keeps its shape when a filter is applied)."""
    key = f"network:layout:{round_key}"
    layout = cache.get(key)
    if layout is None:
        layout = compute_layout(nodes, pairs)
        cache.set(key, layout, 24 * 3600)
    return layout


def render_svg(
    *,
    layout: Mapping[int, tuple[float, float]],
    labels: Mapping[int, str],
    sectors: Mapping[int, str],
    sizes: Mapping[int, float],
    pairs: Sequence[tuple[int, int]],
    title: str,
    highlight: int | None = None,
) -> SafeString:
    """The diagram as an SVG string. ``sizes`` are in [0, 1] (share of the largest)."""
    many = len(layout) > 200
    radius_min, radius_span = (2.0, 8.0) if many else (7.0, 16.0)
    inner = SIZE - 2 * MARGIN

    def point(node: int) -> tuple[float, float]:
        x, y = layout[node]
        return MARGIN + x * inner, MARGIN + y * inner

    path = " ".join(
        "M{:.1f} {:.1f}L{:.1f} {:.1f}".format(*point(a), *point(b)) for a, b in pairs if a in layout and b in layout
    )
    parts = [
        f'<svg class="network-diagram" viewBox="0 0 {SIZE} {SIZE}" role="img" aria-labelledby="diagram-title" '
        f'xmlns="http://www.w3.org/2000/svg"><title id="diagram-title">{escape(title)}</title>',
        f'<path class="ties" d="{path}" fill="none" stroke="#5f6b7a" stroke-opacity="{0.25 if many else 0.6}" '
        f'stroke-width="{0.6 if many else 2}"/>',
    ]
    radius = {node: radius_min + radius_span * math.sqrt(max(0.0, sizes.get(node, 0.0))) for node in layout}
    central = sorted(layout, key=lambda n: (-sizes.get(n, 0.0), n))
    anchors = [labels_.Anchor(n, *point(n), radius[n], _short(labels.get(n, ""))) for n in central]
    shown = (
        [] if many else labels_.place(anchors, size=LABEL_SIZE, bounds=labels_.Box(0, 0, SIZE, SIZE), limit=LABELLED)
    )
    labelled = {label.key for label in shown}
    for node in reversed(central):  # the largest drawn last, on top
        x, y = point(node)
        colour = SECTOR_COLOURS.get(sectors.get(node, ""), DEFAULT_COLOUR)
        stroke = ' stroke="#000" stroke-width="4"' if node == highlight else ' stroke="#1f2933" stroke-width="1"'
        name = escape(labels.get(node, ""))
        circle = f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius[node]:.1f}" fill="{colour}"{stroke}><title>{name}</title></circle>'
        if many or node in labelled:
            parts.append(circle)
        else:  # named on hover and on keyboard focus
            parts.append(
                f'<g class="node" tabindex="0" role="img" aria-label="{name}">{circle}'
                f'<text x="{x:.1f}" y="{y - radius[node] - 4:.1f}" text-anchor="middle" class="node-label hover-label">'
                f"{escape(_short(labels.get(node, '')))}</text></g>"
            )
    parts.extend(
        f'<text x="{label.x:.1f}" y="{label.y:.1f}" text-anchor="{label.anchor}" class="node-label">{escape(label.text)}</text>'
        for label in shown
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label is escaped above


def _short(label: str, limit: int = 28) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
