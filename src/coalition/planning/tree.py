"""The problem tree as plain data and a tidy layout drawn as SVG on the server.

Effects grow upwards from the core problem, causes grow downwards. Each subtree gets a horizontal
band as wide as its leaves need, and every box sits centred over its children, so no two boxes overlap.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

BOX_WIDTH = 190
H_GAP = 18
V_GAP = 46
LINE_HEIGHT = 16
PADDING = 10
WRAP_AT = 24
MAX_LINES = 5
MARGIN = 12

CORE, CAUSE, EFFECT = "core", "cause", "effect"
COLOURS = {
    CORE: ("#7a1f1f", "#ffffff", "#5a1414"),
    CAUSE: ("#fff1e0", "#1f1f1f", "#a35a00"),
    EFFECT: ("#e3effa", "#1f1f1f", "#1d5a8c"),
}


@dataclass
class TreeNode:
    pk: int
    kind: str
    text: str
    parent_id: int | None
    evidence: str = ""
    evidence_url: str = ""
    children: list[TreeNode] = field(default_factory=list)

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence or self.evidence_url)

    @property
    def effects(self) -> list[TreeNode]:
        return [c for c in self.children if c.kind == EFFECT]

    @property
    def causes(self) -> list[TreeNode]:
        return [c for c in self.children if c.kind == CAUSE]


@dataclass(frozen=True)
class Box:
    pk: int
    kind: str
    x: float
    y: float
    width: float
    height: float
    lines: tuple[str, ...]
    has_evidence: bool
    title: str


@dataclass(frozen=True)
class Layout:
    boxes: tuple[Box, ...]
    edges: tuple[tuple[int, int], ...]  # (child, parent)
    width: float
    height: float


def build(nodes: Iterable[TreeNode]) -> TreeNode | None:
    """Link nodes to their children; return the core problem (None if there is none)."""
    by_id = {n.pk: n for n in nodes}
    core = None
    for node in by_id.values():
        node.children = []
    for node in sorted(by_id.values(), key=lambda n: n.pk):
        if node.kind == CORE:
            core = node
        elif node.parent_id in by_id:
            by_id[node.parent_id].children.append(node)
    return core


def _lines(text: str) -> tuple[str, ...]:
    lines = textwrap.wrap(text, WRAP_AT, break_long_words=True) or [""]
    if len(lines) > MAX_LINES:
        lines = [*lines[: MAX_LINES - 1], textwrap.shorten(" ".join(lines[MAX_LINES - 1 :]), WRAP_AT, placeholder="…")]
    return tuple(lines)


def _height(node: TreeNode) -> float:
    return len(_lines(node.text)) * LINE_HEIGHT + 2 * PADDING


def _span(node: TreeNode, widths: dict[int, float]) -> float:
    """Width of the band ``node``'s subtree needs (memoised in ``widths``)."""
    children = node.children
    inner = sum(_span(c, widths) for c in children) + H_GAP * max(len(children) - 1, 0)
    widths[node.pk] = max(BOX_WIDTH, inner)
    return widths[node.pk]


def layout(core: TreeNode | None) -> Layout:
    if core is None:
        return Layout((), (), 0, 0)
    sides = {EFFECT: core.effects, CAUSE: core.causes}
    widths: dict[int, float] = {}
    side_width = {
        kind: sum(_span(c, widths) for c in kids) + H_GAP * max(len(kids) - 1, 0) for kind, kids in sides.items()
    }
    total_width = max(BOX_WIDTH, *side_width.values())
    # Levels: negative above the core (effects), positive below (causes).
    placed: dict[int, tuple[float, int, TreeNode]] = {core.pk: (total_width / 2, 0, core)}

    def place(nodes: list[TreeNode], left: float, level: int, step: int) -> None:
        for node in nodes:
            span = widths[node.pk]
            placed[node.pk] = (left + span / 2, level, node)
            kids = node.children
            kids_width = sum(widths[k.pk] for k in kids) + H_GAP * max(len(kids) - 1, 0)
            place(kids, left + (span - kids_width) / 2, level + step, step)
            left += span + H_GAP

    for kind, step in ((EFFECT, -1), (CAUSE, 1)):
        place(sides[kind], (total_width - side_width[kind]) / 2, step, step)

    row_height: dict[int, float] = {}
    for _centre, level, node in placed.values():
        row_height[level] = max(row_height.get(level, 0), _height(node))
    row_top: dict[int, float] = {}
    top: float = MARGIN
    for level in sorted(row_height):
        row_top[level] = top
        top += row_height[level] + V_GAP
    height = top - V_GAP + MARGIN

    boxes = []
    for centre, level, node in placed.values():
        box_height = _height(node)
        y = row_top[level] + (row_height[level] - box_height) / 2
        label = {CORE: _("Core problem"), CAUSE: _("Cause"), EFFECT: _("Effect")}[node.kind]
        boxes.append(
            Box(
                node.pk,
                node.kind,
                centre - BOX_WIDTH / 2 + MARGIN,
                y,
                BOX_WIDTH,
                box_height,
                _lines(node.text),
                node.has_evidence,
                f"{label}: {node.text}",
            )
        )
    edges = tuple((node.pk, node.parent_id) for _c, _l, node in placed.values() if node.parent_id in placed)
    return Layout(tuple(sorted(boxes, key=lambda b: b.pk)), edges, total_width + 2 * MARGIN, height)


def render_svg(shape: Layout, title: str) -> SafeString:
    """An accessible SVG of the layout (the outline next to it is the text alternative)."""
    if not shape.boxes:
        return mark_safe("")  # noqa: S308 - constant empty string
    by_id = {b.pk: b for b in shape.boxes}
    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="problem-tree-svg" viewBox="0 0 {} {}" width="{}" '
            'height="{}" role="img" aria-labelledby="tree-svg-title"><title id="tree-svg-title">{}</title>'
            '<defs><marker id="tree-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
            'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>',
            int(shape.width),
            int(shape.height),
            int(shape.width),
            int(shape.height),
            title,
        )
    ]
    for child_id, parent_id in shape.edges:
        child, parent = by_id[child_id], by_id[parent_id]
        # Arrows follow the logic of the tree: a cause leads up to what it causes; an effect follows from below.
        if child.y > parent.y:
            x1, y1, x2, y2 = child.x + child.width / 2, child.y, parent.x + parent.width / 2, parent.y + parent.height
        else:
            x1, y1, x2, y2 = parent.x + parent.width / 2, parent.y, child.x + child.width / 2, child.y + child.height
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#555" stroke-width="1.5" marker-end="url(#tree-arrow)"/>',
                round(x1, 1),
                round(y1, 1),
                round(x2, 1),
                round(y2, 1),
            )
        )
    for box in shape.boxes:
        fill, ink, stroke = COLOURS[box.kind]
        parts.append(
            format_html(
                '<g id="tree-node-{}"><title>{}</title><rect x="{}" y="{}" width="{}" height="{}" rx="6" fill="{}" '
                'stroke="{}" stroke-width="{}"/>',
                box.pk,
                box.title,
                round(box.x, 1),
                round(box.y, 1),
                box.width,
                box.height,
                fill,
                stroke,
                2 if box.kind == CORE else 1,
            )
        )
        for i, line in enumerate(box.lines):
            parts.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="middle" font-size="13" font-family="sans-serif" fill="{}"{}>{}'
                    "</text>",
                    round(box.x + box.width / 2, 1),
                    round(box.y + PADDING + LINE_HEIGHT * (i + 1) - 4, 1),
                    ink,
                    mark_safe(' font-weight="bold"') if box.kind == CORE else "",  # noqa: S308 - constant
                    line,
                )
            )
        if box.has_evidence:
            parts.append(
                format_html(
                    '<circle cx="{}" cy="{}" r="5" fill="{}"><title>{}</title></circle>',
                    round(box.x + box.width - 9, 1),
                    round(box.y + 9, 1),
                    stroke,
                    _("Evidence cited"),
                )
            )
        parts.append(mark_safe("</g>"))  # noqa: S308 - constant
    parts.append(mark_safe("</svg>"))  # noqa: S308 - constant
    return mark_safe("".join(parts))  # noqa: S308 - every part was built by format_html
