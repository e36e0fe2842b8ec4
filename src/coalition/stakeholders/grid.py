"""The power/interest grid as plain geometry: which quadrant a stakeholder falls in and where its point goes.

Pure functions over plain data, so the layout is easy to test and the SVG template only draws.

Ratings run from 1 to 5; 4 and 5 count as high. Each quadrant is drawn the same size, so the three low
ratings share one half of an axis and the two high ratings the other. Stakeholders with the same pair of
ratings share a cell and are stacked in a small grid inside it, in name order (deterministic). When a cell
is full, its last slot becomes a "+N" marker that links to the list filtered to that cell. Each point that has
room is named beside it (``core.labels``: no name touches another name or point).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from coalition.core import labels

HIGH = 4  # a rating of 4 or 5 is "high"
RATINGS = (1, 2, 3, 4, 5)

# Geometry of the drawing, in SVG user units.
LEFT, TOP, SIZE = 70, 40, 520
WIDTH, HEIGHT = LEFT + SIZE + 20, TOP + SIZE + 80
RADIUS = 11
PITCH = 26  # distance between stacked points: two radii plus a gap


class Quadrant(StrEnum):
    MANAGE_CLOSELY = "manage_closely"
    KEEP_SATISFIED = "keep_satisfied"
    KEEP_INFORMED = "keep_informed"
    MONITOR = "monitor"


QUADRANT_TEXT: dict[Quadrant, tuple[Promise, Promise]] = {
    Quadrant.MANAGE_CLOSELY: (
        _("Manage closely"),
        _(
            "High power and high interest. They can make or break the effort and want to be part of it: bring "
            "them into decisions early, meet them often and give them real roles, such as a seat on the steering "
            "committee or a working group to lead."
        ),
    ),
    Quadrant.KEEP_SATISFIED: (
        _("Keep satisfied"),
        _(
            "High power, low interest. They could block or unlock money, rules or services but the problem is not "
            "their priority yet: brief them on what matters to them without overloading them, show how the "
            "coalition helps their own goals, and work to raise their interest before they become a blocker."
        ),
    ),
    Quadrant.KEEP_INFORMED: (
        _("Keep informed"),
        _(
            "Low power, high interest. Often the people who live with the problem: share progress regularly, ask "
            "for their views and feedback, and help them gain a stronger voice, for example by inviting them into "
            "working groups."
        ),
    ),
    Quadrant.MONITOR: (
        _("Monitor"),
        _(
            "Low power and low interest. Keep them on the map with light-touch updates and check from time to "
            "time whether their position or their interest has changed."
        ),
    ),
}


def is_high(rating: int) -> bool:
    return rating >= HIGH


def quadrant(power: int, interest: int) -> Quadrant:
    if is_high(power):
        return Quadrant.MANAGE_CLOSELY if is_high(interest) else Quadrant.KEEP_SATISFIED
    return Quadrant.KEEP_INFORMED if is_high(interest) else Quadrant.MONITOR


def by_quadrant(points: list[GridPoint]) -> dict[Quadrant, list[GridPoint]]:
    """Every point under its quadrant (all four present, in ``QUADRANT_TEXT`` order), the most powerful then the
    most interested first, then by name: the grid read as lists on a phone."""
    members: dict[Quadrant, list[GridPoint]] = {key: [] for key in QUADRANT_TEXT}
    for point in sorted(points, key=lambda p: (-p.power, -p.interest, *sort_key(p))):
        members[quadrant(point.power, point.interest)].append(point)
    return members


def band(rating: int) -> tuple[float, float]:
    """The stretch of an axis (0..SIZE, from the low end) that holds ``rating``."""
    if not 1 <= rating <= 5:
        raise ValueError(f"rating out of range: {rating}")
    half = SIZE / 2
    if is_high(rating):
        width = half / (5 - HIGH + 1)
        start = half + (rating - HIGH) * width
    else:
        width = half / (HIGH - 1)
        start = (rating - 1) * width
    return start, start + width


@dataclass(frozen=True)
class GridPoint:
    pk: int
    name: str
    power: int
    interest: int
    engagement: str


@dataclass(frozen=True)
class PlacedPoint:
    point: GridPoint
    number: int
    x: float
    y: float
    quadrant: Quadrant


@dataclass(frozen=True)
class Overflow:
    power: int
    interest: int
    count: int
    x: float
    y: float


@dataclass(frozen=True)
class Cell:
    power: int
    interest: int
    x: float
    y: float
    width: float
    height: float

    @property
    def columns(self) -> int:
        return max(1, int((self.width - 4) // PITCH))

    @property
    def rows(self) -> int:
        return max(1, int((self.height - 4) // PITCH))

    @property
    def capacity(self) -> int:
        return self.columns * self.rows

    def slots(self, count: int) -> list[tuple[float, float]]:
        """Centres for ``count`` points (count <= capacity), in a block centred in the cell."""
        columns = min(self.columns, max(1, math.ceil(math.sqrt(count))))
        rows = math.ceil(count / columns)
        left = self.x + self.width / 2 - (columns - 1) * PITCH / 2
        top = self.y + self.height / 2 - (rows - 1) * PITCH / 2
        return [(left + (i % columns) * PITCH, top + (i // columns) * PITCH) for i in range(count)]


def cell(power: int, interest: int) -> Cell:
    x0, x1 = band(interest)
    y0, y1 = band(power)
    # SVG's y grows downwards; high power is drawn at the top.
    return Cell(power, interest, LEFT + x0, TOP + SIZE - y1, x1 - x0, y1 - y0)


@dataclass(frozen=True)
class GridLayout:
    points: list[PlacedPoint]
    overflows: list[Overflow]
    names: list[labels.Label] = field(default_factory=list)  # short names beside the points that have room


NAME_SIZE = 11  # the names' font size in SVG units (core/app.css)
NAME_LIMIT = 18  # characters of a name written on the grid; the full name is the point's title and link


SHORTEST = 9  # where the name fits nowhere, its first characters


def short_name(name: str, limit: int = NAME_LIMIT) -> str:
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def names(points: list[PlacedPoint], overflows: list[Overflow]) -> list[labels.Label]:
    """Short names beside as many points as fit without touching another name or point, the most powerful and
    interested first; the others keep their number (and the table below the grid)."""
    ranked = sorted(points, key=lambda p: (-p.point.power, -p.point.interest, p.number))
    anchors = [
        labels.Anchor(p.point.pk, p.x, p.y, RADIUS, short_name(p.point.name), (short_name(p.point.name, SHORTEST),))
        for p in ranked
    ]
    anchors += [labels.Anchor(-i - 1, o.x, o.y, RADIUS, "") for i, o in enumerate(overflows)]  # obstacles only
    frame = labels.Box(LEFT, TOP, LEFT + SIZE, TOP + SIZE)
    return labels.place(anchors, size=NAME_SIZE, bounds=frame, where=("right", "left"))


def sort_key(point: GridPoint) -> tuple[str, int]:
    return (point.name.casefold(), point.pk)


def layout(points: list[GridPoint]) -> GridLayout:
    """Number the points in name order and place each one inside its cell without overlaps."""
    ordered = sorted(points, key=sort_key)
    numbers = {p.pk: index for index, p in enumerate(ordered, start=1)}
    by_cell: dict[tuple[int, int], list[GridPoint]] = {}
    for point in ordered:
        by_cell.setdefault((point.power, point.interest), []).append(point)
    placed: list[PlacedPoint] = []
    overflows: list[Overflow] = []
    for (power, interest), members in sorted(by_cell.items()):
        box = cell(power, interest)
        shown = members if len(members) <= box.capacity else members[: box.capacity - 1]
        slots = box.slots(len(shown) + (len(members) > len(shown)))
        for point, (x, y) in zip(shown, slots, strict=False):
            placed.append(PlacedPoint(point, numbers[point.pk], x, y, quadrant(power, interest)))
        if len(members) > len(shown):
            x, y = slots[-1]
            overflows.append(Overflow(power, interest, len(members) - len(shown), x, y))
    placed.sort(key=lambda p: p.number)
    return GridLayout(placed, overflows, names(placed, overflows))


def ticks() -> list[dict[str, float]]:
    """Tick positions for the ratings on both axes."""
    result = []
    for rating in RATINGS:
        start, end = band(rating)
        middle = (start + end) / 2
        result.append({"rating": rating, "x": LEFT + middle, "y": TOP + SIZE - middle})
    return result


def frame() -> dict[str, float]:
    """Every fixed coordinate the SVG template draws (plot frame, dividers, labels), computed once here."""
    half = SIZE / 2
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "top": TOP,
        "size": SIZE,
        "half": half,
        "right": LEFT + SIZE,
        "bottom": TOP + SIZE,
        "middle_x": LEFT + half,
        "middle_y": TOP + half,
        "radius": RADIUS,
        "tick_x": LEFT - 8,
        "tick_y": TOP + SIZE + 16,
        "label_top_y": TOP - 12,
        "label_bottom_y": TOP + SIZE + 40,
        "label_left_x": LEFT + half / 2,
        "label_right_x": LEFT + half * 1.5,
        "axis_x_y": TOP + SIZE + 66,
        "axis_y_x": 22,
    }


# Where each quadrant's name is written: above the plot for the top two, below it for the bottom two.
QUADRANT_LABEL_AT = {
    Quadrant.KEEP_SATISFIED: ("label_left_x", "label_top_y"),
    Quadrant.MANAGE_CLOSELY: ("label_right_x", "label_top_y"),
    Quadrant.MONITOR: ("label_left_x", "label_bottom_y"),
    Quadrant.KEEP_INFORMED: ("label_right_x", "label_bottom_y"),
}
