"""Reports expected and not yet entered: the member's "data due" to-dos, the daily reminders and the hub's
"who is late" screen read them here, with one rule (``deadlines``) and a fixed number of queries.

A shared indicator is expected from every organisation given; an indicator a member organisation owns, from
that organisation only; other indicators from nobody. A report is in once the organisation has entered any
value for the period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from django.db.models import Q

from coalition.measurement import deadlines, periods
from coalition.measurement.models import DataValue, Indicator


@dataclass(frozen=True)
class OpenReport:
    coalition_id: int
    indicator_id: int
    indicator: str
    frequency: str
    organisation_id: int
    period_start: dt.date
    due_on: dt.date
    today: dt.date

    @property
    def period(self) -> str:
        return periods.label(self.frequency, self.period_start)

    @property
    def period_end(self) -> dt.date:
        return periods.end_of(self.frequency, self.period_start)

    @property
    def days_late(self) -> int:
        return deadlines.days_late(self.due_on, self.today)

    @property
    def days_left(self) -> int:
        return -self.days_late

    @property
    def overdue(self) -> bool:
        return deadlines.is_overdue(self.due_on, self.today)

    @property
    def due_soon(self) -> bool:
        return deadlines.is_due_soon(self.due_on, self.today)

    @property
    def chased(self) -> bool:
        """Overdue or due soon: what reminders and the hub's screen are about."""
        return self.overdue or self.due_soon


def open_reports(
    organisations: Mapping[int, Collection[int]], today: dt.date, indicator_id: int | None = None
) -> list[OpenReport]:
    """Every report expected from ``organisations`` (coalition id → organisation ids) for the periods chased on
    ``today`` (``deadlines.periods_to_chase``) and not entered; most overdue first. Two queries."""
    if not any(organisations.values()):
        return []
    indicators = Indicator.objects.filter(coalition_id__in=list(organisations), is_archived=False).filter(
        Q(is_shared=True) | Q(owner_organisation__isnull=False)
    )
    if indicator_id is not None:
        indicators = indicators.filter(pk=indicator_id)
    expected: list[tuple[int, int, str, str, int, dt.date, dt.date]] = []
    for row in indicators.order_by("coalition_id", "order", "name").values_list(
        "pk",
        "coalition_id",
        "name",
        "frequency",
        "due_days",
        "starts_on",
        "ends_on",
        "is_shared",
        "owner_organisation_id",
    ):
        pk, coalition_id, name, frequency, due_days, starts_on, ends_on, shared, owner = row
        reporters = [o for o in organisations[coalition_id] if shared or o == owner]
        last = periods.start_of(frequency, ends_on) if ends_on else None
        for start in deadlines.periods_to_chase(
            frequency, periods.start_of(frequency, starts_on), last, due_days, today
        ):
            due = deadlines.due_date(frequency, start, due_days)
            expected.extend((coalition_id, pk, name, frequency, org, start, due) for org in reporters)
    # Always one query (an empty list would skip it), so a page costs the same whether anything is due.
    entered = set(
        DataValue.objects.filter(
            indicator_id__in=indicators.values("pk"),
            organisation_id__in={o for orgs in organisations.values() for o in orgs},
            period_start__gte=min((e[5] for e in expected), default=today),
        )
        .values_list("indicator_id", "organisation_id", "period_start")
        .distinct()
        .order_by()
    )
    found = [OpenReport(*e, today=today) for e in expected if (e[1], e[4], e[5]) not in entered]
    return sorted(found, key=lambda r: (r.due_on, r.indicator, r.organisation_id))
