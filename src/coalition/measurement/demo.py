"""The demo coalition's shared measurement: three shared indicators, a few process and cohesion
indicators, and two years of member data (some months missing, some broken down, some reviewed).

Values go in through the import action (one generated CSV per run, so seeding stays fast); the review
history of older months (submitted, approved, locked, with its audit trail) is written in bulk; the
demo member then enters and submits its latest month through the actions.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

from django.utils import timezone

from coalition.coalitions.access import Access, get_access
from coalition.core import audit
from coalition.measurement import actions, imports, periods
from coalition.measurement.freshness import data_changed
from coalition.measurement.models import Indicator, Submission
from coalition.stakeholders.demo_context import DemoContext

State = Submission.State

SEX = ("Girls", "Boys")
AGE = ("6-9", "10-14")


def _indicators(ctx: DemoContext, hub: Access, start: dt.date) -> dict[str, Indicator]:
    org = ctx.stakeholders
    literacy = ctx.coalition.working_groups.filter(name="Literacy working group").first()
    common: dict[str, Any] = {"starts_on": start}
    specs: dict[str, dict[str, Any]] = {
        "attending": {
            "name": "Children attending an after-school programme at least weekly",
            "definition": "Distinct children aged 6 to 14 who came to a member's after-school programme in at least "
            "three of the month's weeks, counted from sign-in sheets.",
            "level": "outcome",
            "kind": "count",
            "unit": "children",
            "time_aggregation": "latest",
            "member_aggregation": "sum",
            "frequency": "monthly",
            "data_source": "Programme sign-in sheets",
            "owner_organisation": org["Eastgate Youth Centre"],
            "baseline_value": Decimal(180),
            "baseline_date": start,
            "is_shared": True,
            "order": 1,
        },
        "reading": {
            "name": "Grade 4 pupils reading at grade level",
            "definition": "Share of Grade 4 pupils at partner schools and reading clubs assessed at or above grade "
            "level in the term's reading check.",
            "level": "outcome",
            "kind": "percentage",
            "unit": "%",
            "time_aggregation": "latest",
            "member_aggregation": "sum",
            "frequency": "quarterly",
            "data_source": "School reading assessments",
            "owner_group": literacy,
            "baseline_value": Decimal(48),
            "baseline_date": start,
            "is_shared": True,
            "order": 2,
        },
        "hours": {
            "name": "Hours of free programming offered",
            "definition": "Hours of free, supervised after-school activity open to any Eastgate child.",
            "level": "output",
            "kind": "count",
            "unit": "hours",
            "time_aggregation": "sum",
            "member_aggregation": "sum",
            "frequency": "monthly",
            "data_source": "Members' activity calendars",
            "baseline_not_applicable": True,
            "is_shared": True,
            "order": 3,
        },
        "meetings": {
            "name": "Members attending coalition meetings",
            "definition": "Share of member organisations present at the quarter's coalition meetings.",
            "level": "process",
            "kind": "percentage",
            "unit": "%",
            "time_aggregation": "average",
            "member_aggregation": "sum",
            "frequency": "quarterly",
            "data_source": "Meeting attendance lists",
            "baseline_not_applicable": True,
            "order": 4,
        },
        "satisfaction": {
            "name": "Member satisfaction with the coalition",
            "definition": "Average answer (1 = very unhappy, 5 = very happy) in the quarterly member pulse survey.",
            "level": "cohesion",
            "kind": "score",
            "unit": "score 1-5",
            "time_aggregation": "latest",
            "member_aggregation": "average",
            "frequency": "quarterly",
            "data_source": "Member pulse survey",
            "min_value": Decimal(1),
            "max_value": Decimal(5),
            "baseline_not_applicable": True,
            "order": 5,
        },
        "resources": {
            "name": "Resources mobilised for joint actions",
            "definition": "Cash and in-kind value members brought to joint actions in the quarter.",
            "level": "cohesion",
            "kind": "money",
            "unit": "USD",
            "currency": "USD",
            "time_aggregation": "sum",
            "member_aggregation": "sum",
            "frequency": "quarterly",
            "data_source": "Coalition reports",
            "baseline_not_applicable": True,
            "order": 6,
        },
    }
    return {key: actions.do_save_indicator(hub, **common, **fields) for key, fields in specs.items()}


def seed(ctx: DemoContext) -> None:
    hub = get_access(ctx.hub, ctx.coalition.pk)
    start = ctx.coalition.starts_on
    assert start is not None, "the demo coalition has a start date"
    last_month = periods.shift(periods.MONTHLY, periods.start_of(periods.MONTHLY, ctx.today), -1)
    sex = actions.do_save_category(hub, name="Sex", options=SEX)
    age = actions.do_save_category(hub, name="Age band", options=AGE)
    actions.do_save_category(hub, name="Neighbourhood", options=ctx.coalition.place_list)
    found = _indicators(ctx, hub, start)
    actions.do_set_indicator_categories(hub, found["attending"], [sex, age])
    months = list(periods.between(periods.MONTHLY, start, last_month))
    quarters = [
        q
        for q in periods.between(periods.QUARTERLY, start, last_month)
        if periods.end_of(periods.QUARTERLY, q) <= periods.end_of(periods.MONTHLY, last_month)
    ]
    rng = ctx.rng
    names = [o.name for o in ctx.member_organisations]
    attending_by = [n for n in names if n in _PROVIDERS]
    rows: list[list[str | int]] = []

    def add(
        indicator: Indicator,
        period: dt.date,
        organisation: str,
        value: str | int = "",
        numerator: str | int = "",
        denominator: str | int = "",
        sex: str = "",
        age: str = "",
    ) -> None:
        rows.append(
            [indicator.name, indicator.period_label(period), organisation, sex, age, value, numerator, denominator]
        )

    for n, month in enumerate(months):
        growth = 1 + n / 30
        for organisation in attending_by:
            if rng.random() < 0.08:  # some months go unreported
                continue
            if organisation == "Riverside Primary School":  # reports a single total
                add(found["attending"], month, organisation, value=int(40 * growth + rng.randint(-4, 4)))
                continue
            for s in SEX:
                for a in AGE:
                    add(
                        found["attending"],
                        month,
                        organisation,
                        value=max(0, int(rng.randint(2, 14) * growth)),
                        sex=s,
                        age=a,
                    )
        for organisation in names[:7]:
            if rng.random() < 0.1:
                continue
            add(found["hours"], month, organisation, value=rng.randint(20, 60) + n)
    for n, quarter in enumerate(quarters):
        for organisation in ("Riverside Primary School", "Eastgate Public Library"):
            if organisation in names:
                pupils = rng.randint(55, 70)
                add(
                    found["reading"],
                    quarter,
                    organisation,
                    numerator=int(pupils * (0.47 + n * 0.015)),
                    denominator=pupils,
                )
        hub_org = "Eastgate Youth Centre"
        add(found["meetings"], quarter, hub_org, numerator=min(len(names), 6 + n % 4), denominator=len(names))
        for organisation in names[:6]:
            add(found["satisfaction"], quarter, organisation, value=f"{rng.uniform(3.0, 4.8):.1f}")
            if rng.random() < 0.5:
                add(found["resources"], quarter, organisation, value=f"{rng.randint(5, 60) * 100}.00")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["indicator", "period", "organisation", "sex", "age band", "value", "numerator", "denominator"])
    writer.writerows(rows)
    batch, preview = imports.do_import_values(hub, buffer.getvalue().encode(), "demo-values.csv")
    if batch is None:
        raise RuntimeError(f"demo import refused: {preview.grouped[:3]}")
    _targets(hub, found, months, quarters)
    _review(ctx, hub, found, months)


_PROVIDERS = {
    "Eastgate Youth Centre",
    "Riverside Primary School",
    "City Parks & Recreation Department",
    "Eastgate Public Library",
    "Families First Network",
}


def _targets(hub: Access, found: dict[str, Indicator], months: list[dt.date], quarters: list[dt.date]) -> None:
    actions.do_set_targets(hub, found["attending"], {m: Decimal(200 + 6 * n) for n, m in enumerate(months)})
    actions.do_set_targets(hub, found["hours"], {m: Decimal(280 + 5 * n) for n, m in enumerate(months)})
    actions.do_set_targets(hub, found["reading"], {q: Decimal(50 + 2 * n) for n, q in enumerate(quarters)})
    actions.do_set_targets(hub, found["meetings"], {q: Decimal(75) for q in quarters})
    actions.do_set_targets(hub, found["satisfaction"], {q: Decimal(4) for q in quarters})


def _review(ctx: DemoContext, hub: Access, found: dict[str, Indicator], months: list[dt.date]) -> None:
    """Older months of the attendance indicator are approved and locked; recent ones submitted; the demo
    member enters and submits its latest month itself."""
    indicator = found["attending"]
    organisations = {o.name: o for o in ctx.member_organisations if o.name in _PROVIDERS}
    reported = set(indicator.values.order_by().values_list("organisation__name", "period_start").distinct())
    # The review history in bulk (what do_submit_period / do_approve_period / do_lock_period would
    # leave behind, audit trail included), rather than three actions per member and month.
    now = timezone.now()
    submissions = []
    for month in months[:-1]:
        for name, organisation in organisations.items():
            if (name, month) not in reported:
                continue
            state = State.LOCKED if month < months[-7] else State.APPROVED if month < months[-4] else State.SUBMITTED
            reviewed = state != State.SUBMITTED
            submissions.append(
                Submission(
                    coalition=ctx.coalition,
                    indicator=indicator,
                    organisation=organisation,
                    period_start=month,
                    state=state,
                    submitted_by=ctx.hub,
                    submitted_at=now,
                    reviewed_by=ctx.hub if reviewed else None,
                    reviewed_at=now if reviewed else None,
                )
            )
    Submission.objects.bulk_create(submissions, batch_size=500)
    data_changed(ctx.coalition.pk, {indicator.pk: (months, [o.pk for o in organisations.values()])})
    steps = [(State.DRAFT, State.SUBMITTED), (State.SUBMITTED, State.APPROVED), (State.APPROVED, State.LOCKED)]
    order: list[str] = [State.SUBMITTED, State.APPROVED, State.LOCKED]
    audit.record_many(
        audit.event(
            ctx.hub,
            f"values.{after}",
            submission,
            coalition=ctx.coalition,
            before={"state": before},
            after={"state": after},
        )
        for submission in Submission.objects.filter(indicator=indicator).order_by("period_start", "organisation_id")
        for before, after in steps[: order.index(submission.state) + 1]
    )
    member = get_access(ctx.member, ctx.coalition.pk)
    own = member.membership.organisation
    if own is not None and own.name in organisations:
        first, second = indicator.categories.all()
        cells = [
            actions.Entry(tuple(sorted((a.pk, b.pk))), Decimal(ctx.rng.randint(4, 12)))
            for a in first.options.all()
            for b in second.options.all()
        ]
        actions.do_enter_values(member, indicator, own, months[-1], cells)
        actions.do_submit_period(member, indicator, own, months[-1])
