"""Labels beside the points of a picture (network diagram, power/interest grid) that never overlap.

A pure, greedy placement: points are taken in the order given (most important first); each label tries a few
spots around its point (right, left, above, below) and takes the first that stays inside the picture and
touches no label already placed and no other point; a label with no free spot is left out, and the picture
shows that point's name on hover and focus instead. Text is measured with a deliberately wide estimate, so
the boxes the browser draws fit inside the boxes reserved here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# Average advance of a character as a share of the font size: wide enough for capitals in DejaVu Sans and
# the usual system sans-serif fonts, so a reserved box is never narrower than the drawn text.
CHAR_WIDTH = 0.66
GAP = 3.0  # between a point and its label, and kept free around every label


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def intersects(self, other: Box) -> bool:
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1

    def inside(self, other: Box) -> bool:
        return other.x0 <= self.x0 and self.x1 <= other.x1 and other.y0 <= self.y0 and self.y1 <= other.y1

    def grown(self, by: float) -> Box:
        return Box(self.x0 - by, self.y0 - by, self.x1 + by, self.y1 + by)


@dataclass(frozen=True)
class Anchor:
    """A point to label: its centre, its radius and the text."""

    key: int
    x: float
    y: float
    radius: float
    text: str


@dataclass(frozen=True)
class Label:
    key: int
    text: str
    x: float  # where the SVG <text> goes, with ``anchor`` as its text-anchor and ``y`` as its baseline
    y: float
    anchor: str
    box: Box


def text_width(text: str, size: float) -> float:
    return len(text) * size * CHAR_WIDTH


def _spots(point: Anchor, size: float) -> list[tuple[float, float, str]]:
    """Candidate (x, baseline, text-anchor) spots: right, left, above, below the point."""
    middle = point.y + size * 0.35
    reach = point.radius + GAP
    return [
        (point.x + reach, middle, "start"),
        (point.x - reach, middle, "end"),
        (point.x, point.y - reach - size * 0.25, "middle"),
        (point.x, point.y + reach + size * 0.95, "middle"),
    ]


def _box(x: float, baseline: float, anchor: str, width: float, size: float) -> Box:
    left = {"start": x, "end": x - width, "middle": x - width / 2}[anchor]
    # from the ascender (about 0.95 of the size above the baseline) to the descender (0.3 below)
    return Box(left, baseline - size * 0.95, left + width, baseline + size * 0.3)


def place(points: Sequence[Anchor], *, size: float, bounds: Box, limit: int | None = None) -> list[Label]:
    """Labels for as many of ``points`` (in priority order, at most ``limit``) as fit without any overlap."""
    dots = [Box(p.x - p.radius, p.y - p.radius, p.x + p.radius, p.y + p.radius) for p in points]
    placed: list[Label] = []
    for index, point in enumerate(points):
        if limit is not None and len(placed) >= limit:
            break
        if not point.text:
            continue
        width = text_width(point.text, size)
        others = dots[:index] + dots[index + 1 :]
        for x, baseline, anchor in _spots(point, size):
            box = _box(x, baseline, anchor, width, size)
            if not box.inside(bounds):
                continue
            padded = box.grown(GAP / 2)
            if any(padded.intersects(label.box.grown(GAP / 2)) for label in placed):
                continue
            if any(box.intersects(dot) for dot in others):
                continue
            placed.append(Label(point.key, point.text, x, baseline, anchor, box))
            break
    return placed
