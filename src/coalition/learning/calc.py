"""Pure calculations for the learning brief: a key figure's small trend line from its recent values."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

WIDTH, HEIGHT, PAD = 60, 16, 2


def sparkline(values: Sequence[Decimal | None], width: int = WIDTH, height: int = HEIGHT) -> str:
    """SVG ``points`` for a polyline through the known ``values`` (oldest first), spread evenly across ``width``
    with the lowest at the bottom and the highest at the top of ``height`` (less ``PAD`` on each side); a flat
    series is drawn across the middle. Empty below two known values: one point is not a trend."""
    known = [(i, v) for i, v in enumerate(values) if v is not None]
    if len(known) < 2:
        return ""
    low, high = min(v for _i, v in known), max(v for _i, v in known)
    step = Decimal(width - 2 * PAD) / Decimal(max(len(values) - 1, 1))
    span = Decimal(height - 2 * PAD)
    points = []
    for i, value in known:
        x = PAD + step * i
        y = Decimal(height) / 2 if high == low else PAD + span * (high - value) / (high - low)
        points.append(f"{x.quantize(Decimal('0.1'))},{y.quantize(Decimal('0.1'))}")
    return " ".join(points)
