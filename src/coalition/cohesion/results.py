"""A health check's results: per factor, the members' mean score and its band beside the evidence from the
records, grouped by participation / operations / results, with the trend across earlier checks."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Avg, Count
from django.utils.functional import Promise

from coalition.cohesion import evidence
from coalition.cohesion.factors import FACTORS, GROUPS, band
from coalition.cohesion.models import HealthAnswer, HealthCheck


@dataclass
class FactorResult:
    code: str
    group: str
    label: str | Promise
    question: str | Promise
    mean: Decimal | None
    answers: int
    evidence: dict[str, Any] | None
    trend: list[tuple[str, Decimal | None]] = field(default_factory=list)  # earlier checks, oldest first

    @property
    def band(self) -> str:
        return band(self.mean)


def _mean(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def compute(check: HealthCheck, *, today: dt.date) -> list[FactorResult]:
    """The results as they stand (live evidence over the year to ``today``)."""
    rows = {
        r["factor"]: r
        for r in HealthAnswer.objects.filter(health_check=check)
        .values("factor")
        .annotate(m=Avg("score"), n=Count("id"))
    }
    first, last = evidence.window(today)
    found = []
    for factor in FACTORS:
        row = rows.get(factor.code)
        shown = evidence.evidence_for(factor.code, check.coalition, first, last)
        found.append(
            FactorResult(
                factor.code,
                factor.group,
                factor.label,
                factor.question,
                _mean(row["m"]) if row else None,
                row["n"] if row else 0,
                shown.as_dict() if shown else None,
            )
        )
    return found


def freeze(found: list[FactorResult]) -> dict[str, Any]:
    return {
        r.code: {"mean": None if r.mean is None else str(r.mean), "answers": r.answers, "evidence": r.evidence}
        for r in found
    }


def thawed(check: HealthCheck) -> list[FactorResult]:
    found = []
    for factor in FACTORS:
        stored = check.results.get(factor.code, {})
        mean = stored.get("mean")
        found.append(
            FactorResult(
                factor.code,
                factor.group,
                factor.label,
                factor.question,
                None if mean is None else Decimal(mean),
                stored.get("answers", 0),
                stored.get("evidence"),
            )
        )
    return found


def results(check: HealthCheck, *, today: dt.date) -> list[FactorResult]:
    """A closed check's frozen results, an open one's live results; each with the earlier checks' means."""
    found = compute(check, today=today) if check.is_open else thawed(check)
    earlier = list(
        HealthCheck.objects.filter(coalition_id=check.coalition_id, status=HealthCheck.Status.CLOSED)
        .filter(held_on__lte=check.held_on)
        .exclude(pk=check.pk)
        .order_by("held_on", "pk")
    )
    for row in found:
        for before in earlier:
            mean = before.results.get(row.code, {}).get("mean")
            row.trend.append((before.title, None if mean is None else Decimal(mean)))
    return found


def grouped(found: list[FactorResult]) -> list[tuple[str | Promise, list[FactorResult]]]:
    by_group: dict[str, list[FactorResult]] = defaultdict(list)
    for row in found:
        by_group[row.group].append(row)
    return [(label, by_group[code]) for code, label in GROUPS.items()]


def answered_by(check: HealthCheck) -> int:
    return HealthAnswer.objects.filter(health_check=check).values("membership_id").distinct().count()
