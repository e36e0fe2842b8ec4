"""Reads of the ledger: balances in one aggregate query, the statement of a period, resources mobilised.

Today's balances read the running totals (``LedgerTotal``: one row per fund, restriction, priority, currency and
bucket, kept by the actions in each entry's transaction), so the balance page costs the same whatever the size
of the ledger. A balance at a date is the running totals less one ``GROUP BY fund, restriction, priority,
currency, bucket`` over the entries dated after it (``calc.as_of``), so a statement of a recent period reads few
entries. ``calc.balances`` pivots the few resulting rows either way. Nothing is ever converted silently: each currency keeps its own line.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coalition.funding import calc
from coalition.funding.models import CENT, Bucket, Fund, LedgerEntry, LedgerTotal

if TYPE_CHECKING:
    from coalition.coalitions.models import Coalition

GROUP = ("fund_id", "restriction", "priority_id", "currency", "bucket")


def entries(coalition_id: int) -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.filter(coalition_id=coalition_id)


def grouped(found: QuerySet[LedgerEntry]) -> QuerySet[LedgerEntry, dict[str, Any]]:
    """The entries' sum in cents and their number per balance group and bucket (``GROUP``, ``total``, ``entries``)."""
    rows: QuerySet[LedgerEntry, dict[str, Any]] = (
        found.values(*GROUP).annotate(total=Sum("cents"), entries=Count("id")).order_by()
    )
    return rows


def balances(coalition_id: int, *, until: dt.date | None = None, before: dt.date | None = None) -> list[calc.Balance]:
    """One balance per fund, restriction, priority and currency, optionally up to a date. Today's balances read
    the running totals (a few rows, whatever the size of the ledger); a balance at a date is the running totals
    less the entries dated after it (one more query over those entries only, by the date index)."""
    totals = LedgerTotal.objects.filter(coalition_id=coalition_id).values(*GROUP, "entries", total=F("cents"))
    if until is None and before is None:
        return calc.balances(totals)
    days = [day for day in (until, before - dt.timedelta(days=1) if before else None) if day is not None]
    return calc.as_of(totals, grouped(entries(coalition_id).filter(occurred_on__gt=min(days))))


@dataclass(frozen=True)
class Statement:
    start: dt.date
    end: dt.date
    opening: list[calc.Balance]
    movements: list[LedgerEntry]
    closing: list[calc.Balance]


def statement(coalition_id: int, start: dt.date, end: dt.date) -> Statement:
    """Opening balances (before ``start``), every entry of the period, closing balances (up to ``end``)."""
    movements = list(
        entries(coalition_id)
        .filter(occurred_on__gte=start, occurred_on__lte=end)
        .select_related("fund", "source", "priority", "reverses")
        .order_by("occurred_on", "id")
    )
    return Statement(start, end, balances(coalition_id, before=start), movements, balances(coalition_id, until=end))


def fund_names(coalition_id: int) -> dict[int, str]:
    return dict(Fund.objects.filter(coalition_id=coalition_id).values_list("pk", "name"))


STATEMENT_HEADER = [
    "date",
    "fund",
    "kind",
    "restriction",
    "priority",
    "source type",
    "from / to",
    "description",
    "amount",
    "currency",
    "rate",
    "rate source",
    "reverses entry",
    "entry",
]


def statement_rows(found: Statement) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for e in found.movements:
        rows.append(
            [
                e.occurred_on.isoformat(),
                e.fund.name,
                e.get_kind_display(),
                e.get_restriction_display(),
                e.priority.title if e.priority else "",
                e.get_source_type_display() if e.source_type else "",
                e.source.name if e.source else e.source_name,
                e.description,
                str(e.amount),
                e.currency,
                str(e.rate) if e.rate is not None else "",
                e.rate_source,
                e.reverses_id or "",
                e.pk,
            ]
        )
    return rows


# --- resources mobilised -------------------------------------------------------------------------------------


def resources_mobilised(coalition: Coalition, start: dt.date, end: dt.date) -> dict[str, Decimal]:
    """Money and in-kind value mobilised from ``start`` to ``end`` (both included), per currency: the fund's
    contributions received and in-kind contributions (estimated value) dated in the period, net of their
    reversals, and the money members committed to joint actions (action pledges) recorded in the period. Pledges
    to the fund count once received, so nothing is counted twice. Never converted."""
    from coalition.joint_action.models import Contribution

    totals: dict[str, Decimal] = defaultdict(Decimal)
    fund_rows = (
        entries(coalition.pk)
        .filter(occurred_on__gte=start, occurred_on__lte=end, bucket__in=[Bucket.RECEIVED, Bucket.IN_KIND])
        .values("currency")
        .annotate(total=Sum("cents"))
        .order_by()
    )
    for row in fund_rows:
        totals[row["currency"]] += calc.from_cents(row["total"])
    pledges = (
        Contribution.objects.filter(
            coalition=coalition, amount__isnull=False, created_at__date__gte=start, created_at__date__lte=end
        )
        .values("currency")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for row in pledges:
        totals[row["currency"].upper()] += Decimal(str(row["total"])).quantize(CENT)
    return {currency: total for currency, total in sorted(totals.items()) if total}


def main_currency(coalition: Coalition) -> str | None:
    return Fund.objects.filter(coalition=coalition).order_by("pk").values_list("currency", flat=True).first()


def mobilised_in_main_currency(coalition: Coalition, start: dt.date, end: dt.date) -> Decimal | None:
    """The computed indicator: resources mobilised in the first fund's currency (others are not converted)."""
    currency = main_currency(coalition)
    if currency is None:
        return None
    return resources_mobilised(coalition, start, end).get(currency, Decimal(0))


def mobilised_records_url(coalition: Coalition, start: dt.date, end: dt.date) -> str | None:
    from django.urls import reverse

    url = reverse("funding:statement", args=[coalition.pk])
    return f"{url}?start={start.isoformat()}&end={end.isoformat()}"


MOBILISED_LABEL = gettext_lazy("Resources mobilised")
MOBILISED_DEFINITION = gettext_lazy(
    "Contributions received by the pooled fund and in-kind contributions (estimated value) in the period, net of "
    "corrections, plus the money members committed to joint actions in the period; counted in the first fund's "
    "currency only (amounts in other currencies are not converted)."
)


def describe_group(balance: calc.Balance, funds: dict[int, str], priorities: dict[int, str]) -> str:
    restriction = balance.restriction
    if balance.priority_id is not None:
        restriction = _("priority: %(title)s") % {"title": priorities.get(balance.priority_id, "?")}
    return f"{funds.get(balance.fund_id, '?')} · {restriction}"
