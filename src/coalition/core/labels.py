"""Labels beside the points of a picture (network diagram, power/interest grid) that never overlap.

A pure, greedy placement: points are taken in the order given (most important first); each label tries a few
spots around its point (right, left, above, below, or only some of them) and takes the first that stays inside the picture and
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
    shorter: tuple[str, ...] = ()  # shorter forms of the text, tried in turn when the text fits nowhere


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


SPOTS = ("right", "left", "above", "below")


def _spots(point: Anchor, size: float, where: Sequence[str]) -> list[tuple[float, float, str]]:
    """Candidate (x, baseline, text-anchor) spots, in the order of ``where``."""
    middle = point.y + size * 0.35
    reach = point.radius + GAP
    spots = {
        "right": (point.x + reach, middle, "start"),
        "left": (point.x - reach, middle, "end"),
        "above": (point.x, point.y - reach - size * 0.25, "middle"),
        "below": (point.x, point.y + reach + size * 0.95, "middle"),
    }
    return [spots[name] for name in where]


def _box(x: float, baseline: float, anchor: str, width: float, size: float) -> Box:
    left = {"start": x, "end": x - width, "middle": x - width / 2}[anchor]
    # from the ascender (about 0.95 of the size above the baseline) to the descender (0.3 below)
    return Box(left, baseline - size * 0.95, left + width, baseline + size * 0.3)


def place(
    points: Sequence[Anchor], *, size: float, bounds: Box, limit: int | None = None, where: Sequence[str] = SPOTS
) -> list[Label]:
    """Labels for as many of ``points`` (in priority order, at most ``limit``) as fit without any overlap, each
    in the first free spot of ``where`` (a picture of packed points uses only "right" and "left", so a name above
    or below a block of points is never read as another point's)."""
    dots = [Box(p.x - p.radius, p.y - p.radius, p.x + p.radius, p.y + p.radius) for p in points]
    placed: list[Label] = []
    for index, point in enumerate(points):
        if limit is not None and len(placed) >= limit:
            break
        if not point.text:
            continue
        others = dots[:index] + dots[index + 1 :]
        label = next(
            (
                found
                for text in (point.text, *point.shorter)
                for x, baseline, anchor in _spots(point, size, where)
                if (found := _free(point.key, text, x, baseline, anchor, size, bounds, placed, others))
            ),
            None,
        )
        if label:
            placed.append(label)
    return placed


def _free(
    key: int,
    text: str,
    x: float,
    baseline: float,
    anchor: str,
    size: float,
    bounds: Box,
    placed: Sequence[Label],
    dots: Sequence[Box],
) -> Label | None:
    """The label at this spot, if it stays inside ``bounds`` and touches no placed label and no dot."""
    box = _box(x, baseline, anchor, text_width(text, size), size)
    padded = box.grown(GAP / 2)
    if not box.inside(bounds) or any(padded.intersects(label.box.grown(GAP / 2)) for label in placed):
        return None
    if any(box.intersects(dot) for dot in dots):
        return None
    return Label(key, text, x, baseline, anchor, box)
