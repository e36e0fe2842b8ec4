"""A compact summary of the shared indicators for other apps (the one-page brief, the overview).

``shared_indicator_summary(coalition)`` returns one ``IndicatorSummary`` per shared indicator, in the
coalition's display order, with plain values ready to print. It reads through ``queries.scorecard``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from coalition.coalitions.models import Coalition
from coalition.measurement import calc, queries


@dataclass(frozen=True)
class IndicatorSummary:
    name: str
    unit: str
    latest_value: Decimal | None
    latest_period: str  # label such as "2025-Q3"; "" when nothing has been reported
    target: Decimal | None  # the target of that period
    progress: Decimal | None  # latest value towards its target, in % (direction-aware)
    status: calc.Status
    direction: str  # "increase" or "decrease"
    definition: str = ""
    note: str = ""  # what the latest value is made of (values carried forward, incomplete periods left out)

    @property
    def status_label(self) -> str:
        return self.status.label

    @property
    def on_track(self) -> bool:
        return self.status.is_on_track


def shared_indicator_summary(coalition: Coalition, *, approved_only: bool = False) -> list[IndicatorSummary]:
    """The coalition's shared indicators with their latest value, its target, progress and status.

    With ``approved_only`` only approved or locked periods count (for reports shared outside the hub).
    """
    rows = queries.scorecard(coalition, queries.Scope(approved_only=approved_only), shared_only=True)
    return [
        IndicatorSummary(
            name=row.indicator.name,
            unit=row.indicator.unit,
            latest_value=row.latest.value if row.latest else None,
            latest_period=row.latest.label if row.latest else "",
            target=row.target,
            progress=row.progress_latest,
            status=row.status,
            direction=row.indicator.direction,
            definition=row.indicator.definition,
            note=row.note,
        )
        for row in rows
    ]
