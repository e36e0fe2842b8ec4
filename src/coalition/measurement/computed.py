"""Figures the platform computes from its own records, offered as indicators (mostly of the cohesion level).

A higher app (meetings, feedback, funding, cohesion…) registers a ``Computation`` in its ``AppConfig.ready``:
what it counts, how to compute it for one period of one coalition, and where the records it counts can be
read. Measurement knows nothing of those apps; it only keeps the registry, so an indicator computed from
records charts, takes targets and exports like one members report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.functional import Promise

if TYPE_CHECKING:
    from coalition.coalitions.models import Coalition

# The figure for one coalition over the period from the first date to the second (both included);
# ``None`` when the records say nothing for that period (no meeting held, no survey round closed…).
Compute = Callable[["Coalition", dt.date, dt.date], Decimal | None]
# The URL of the records a period's figure counts, or ``None`` if there is no page to show them.
RecordsUrl = Callable[["Coalition", dt.date, dt.date], str | None]
# A period as its first and last day (both included).
Period = tuple[dt.date, dt.date]
# The figures of many periods at once, keyed by each period's first day, in a number of queries that does
# not grow with the number of periods (or of records): how a whole series is refreshed.
ComputeMany = Callable[["Coalition", Sequence[Period]], dict[dt.date, Decimal | None]]


@dataclass(frozen=True)
class Computation:
    key: str  # stable, "<app>.<name>": stored on the indicator that shows it
    label: str | Promise
    definition: str | Promise  # what is counted, and how: becomes the indicator's definition
    kind: str  # a measurement.models.Kind value
    compute: Compute
    unit: str | Promise = ""
    records_url: RecordsUrl | None = None
    compute_many: ComputeMany | None = None
    time_aggregation: str = "latest"  # a measurement.models.TimeAggregation value
    direction: str = "increase"  # a measurement.models.Direction value

    def series(self, coalition: Coalition, spans: Sequence[Period]) -> dict[dt.date, Decimal | None]:
        """The figure of each period (keyed by its first day): ``compute_many`` when given, else one
        ``compute`` per period."""
        if self.compute_many is not None:
            found = self.compute_many(coalition, spans)
            return {first: found.get(first) for first, _last in spans}
        return {first: self.compute(coalition, first, last) for first, last in spans}


_REGISTRY: dict[str, Computation] = {}


def register_computation(computation: Computation) -> None:
    """Offer ``computation``; registering the same key again replaces it (apps' ``ready`` may run twice)."""
    _REGISTRY[computation.key] = computation


def computation(key: str) -> Computation | None:
    return _REGISTRY.get(key)


def computations() -> list[Computation]:
    """Every registered computation, by key."""
    return [_REGISTRY[key] for key in sorted(_REGISTRY)]
