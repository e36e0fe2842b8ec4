"""Live dashboards from a cache: figures are cached under a key that changes whenever their inputs do.

Computing the dashboard reads the derived figures of every indicator (``rollups``) and draws its
charts, so its figures are cached. Nothing is ever invalidated by hand: the key holds everything the
figures depend on, read from the database on each load, so a write anywhere (any process) makes the
next load miss and recompute:

* the coalition's measurement data version (``DataVersion``), raised by ``data_changed`` inside the
  transaction of every write to indicators, targets, categories, values and their review;
* the coalition's own ``version`` (raised by every settings change: margin, small-cell threshold);
* the view (shared or raw, threshold), today's date and the active language;
* the reporting organisations and the latest change to any of the coalition's stakeholders (names).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import F, Max, OuterRef, Subquery
from django.utils import translation

from coalition.coalitions.models import Coalition
from coalition.measurement import presenters, queries, rollups
from coalition.measurement.models import DataVersion
from coalition.stakeholders.models import Stakeholder

CACHE_SECONDS = 24 * 3600  # entries are never stale (see the key); this only bounds the memory they hold


def data_changed(coalition_id: int, touched: rollups.Touched | None = None) -> None:
    """Record that the coalition's measurement data changed, so cached figures are recomputed, and
    refresh the derived figures of ``touched`` (indicator id → the periods and members whose values or
    review states changed; see ``rollups``).

    Call it inside the writing transaction (the new version becomes visible with the data, never
    before), as its last write: the version row stays locked until commit, serialising the coalition's
    writes, and taking it before other row locks could deadlock with another writer. The derived
    figures are written after it, under that lock, so concurrent writers refresh them in turn.
    """
    versions = DataVersion.objects.filter(coalition_id=coalition_id)
    if not versions.update(version=F("version") + 1):  # the coalition's first write: make the row
        DataVersion.objects.bulk_create([DataVersion(coalition_id=coalition_id)], ignore_conflicts=True)
        versions.update(version=F("version") + 1)  # after a concurrent insert too, so no write is lost
    if touched:
        rollups.refresh(touched)


@dataclass(frozen=True)
class DashboardData:
    rows: list[queries.ScorecardRow]  # every active indicator
    shared: list[presenters.IndicatorPanels]  # panels of the shared ones, charts drawn


def dashboard_data(
    coalition: Coalition, view: presenters.View, today: dt.date, periods: int | None = None
) -> DashboardData:
    """The scorecard rows and shared panels of the dashboard, from the cache when nothing changed.

    ``coalition`` must be the instance the request loaded: its ``version`` in the key is that of the
    settings the figures are computed with. ``periods``: chart only the most recent periods (all if not given). The versions are read before the figures, so a write
    committed in between can only make an entry newer than its key, never older.
    """
    data_version, stakeholders_at = (
        Coalition.objects.filter(pk=coalition.pk)
        .values_list(
            Subquery(DataVersion.objects.filter(coalition=OuterRef("pk")).values("version")),
            Subquery(
                Stakeholder.objects.filter(coalition=OuterRef("pk"))
                .order_by()
                .values("coalition")
                .annotate(at=Max("updated_at"))
                .values("at")
            ),
        )
        .get()
    )
    organisations = queries.reporting_organisations(coalition)
    who = hashlib.sha256(f"{[o.pk for o in organisations]}|{stakeholders_at}".encode()).hexdigest()[:24]
    key = (
        f"measurement-dashboard:{coalition.pk}:{data_version}:{coalition.version}:"
        f"{'shared' if view.shared else 'raw'}:{view.threshold}:{view.width}:{today.isoformat()}:"
        f"{translation.get_language()}:{who}:{periods or 'all'}"
    )
    data = cache.get(key)
    if data is None:
        rows = queries.scorecard(coalition, view.scope)
        shared = presenters.panels_of_many(
            [r for r in rows if r.indicator.is_shared], view, organisations, today, last_periods=periods
        )
        for panels in shared:
            for panel in panels.panels:
                panel.chart  # noqa: B018 - drawn once, here, and cached with the figures
        data = DashboardData(rows, shared)
        cache.set(key, data, CACHE_SECONDS)
    return data
