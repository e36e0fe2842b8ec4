"""Read-side queries for joint action: member organisations, the duplication check, who does what where,
a member's commitments and the cohesion figures the measurement side can use."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum

from coalition.coalitions.models import Coalition
from coalition.joint_action import calc
from coalition.joint_action.models import Action, ActivityType, Contribution, JointActionPlan, MemberActivity
from coalition.stakeholders.models import Stakeholder


def member_organisations(coalition: Coalition) -> QuerySet[Stakeholder]:
    """Stakeholders that are members: engagement "member", or represented by an active membership."""
    return (
        Stakeholder.objects.filter(coalition=coalition, is_archived=False)
        .filter(
            Q(engagement=Stakeholder.Engagement.MEMBER)
            | Q(memberships__is_active=True, memberships__coalition=coalition)
        )
        .distinct()
        .order_by("name")
    )


def canonical_place(coalition: Coalition, raw: str) -> str:
    """Collapse spaces; use the coalition's own spelling when the place is one of its listed places."""
    cleaned = " ".join(raw.split())
    wanted = calc.normalise_place(cleaned)
    for listed in coalition.place_list:
        if calc.normalise_place(listed) == wanted:
            return listed
    return cleaned


# ------------------------------------------------------------------------------------------- duplication


@dataclass(frozen=True)
class Entry:
    """A joint action or a member's own activity, as the duplication check and the grid see it."""

    kind: str  # "action" or "activity"
    pk: int
    title: str
    member_id: int
    member_name: str
    activity_type_id: int
    activity_type_name: str
    place: str
    starts_on: dt.date
    ends_on: dt.date | None
    status: str = ""

    @property
    def occupation(self) -> calc.Occupation:
        return calc.Occupation((self.kind, self.pk), self.activity_type_id, self.place, self.starts_on, self.ends_on)


def _action_entries(qs: QuerySet[Action]) -> list[Entry]:
    return [
        Entry(
            "action",
            a.pk,
            a.title,
            a.lead_id,
            a.lead.name,
            a.activity_type_id,
            a.activity_type.name,
            a.place,
            a.starts_on,
            a.due_on,
            a.status,
        )
        for a in qs.select_related("lead", "activity_type")
    ]


def _activity_entries(qs: QuerySet[MemberActivity]) -> list[Entry]:
    return [
        Entry(
            "activity",
            m.pk,
            m.title,
            m.member_id,
            m.member.name,
            m.activity_type_id,
            m.activity_type.name,
            m.place,
            m.starts_on,
            m.ends_on,
        )
        for m in qs.select_related("member", "activity_type")
    ]


def live_actions(coalition: Coalition) -> QuerySet[Action]:
    """Actions that occupy a place in the calendar: every status except dropped, in plans still in use."""
    return Action.objects.filter(coalition=coalition, plan__is_archived=False).exclude(status=Action.Status.DROPPED)


def live_activities(coalition: Coalition) -> QuerySet[MemberActivity]:
    return MemberActivity.objects.filter(coalition=coalition, is_archived=False)


def _in_period(start_field: str, end_field: str, start: dt.date | None, end: dt.date | None) -> Q:
    """Rows whose span overlaps [start, end] (inclusive; an empty end field means ongoing)."""
    query = Q()
    if end is not None:
        query &= Q(**{f"{start_field}__lte": end})
    if start is not None:
        query &= Q(**{f"{end_field}__gte": start}) | Q(**{f"{end_field}__isnull": True})
    return query


def overlapping_entries(
    coalition: Coalition,
    *,
    activity_type_id: int,
    place: str,
    starts_on: dt.date,
    ends_on: dt.date | None,
    exclude: tuple[str, int] | None = None,
) -> list[Entry]:
    """Other actions and member activities of the same type at the same place whose dates overlap (database
    query; the rules are those of ``calc.find_overlaps``, which the tests hold it to)."""
    actions = live_actions(coalition).filter(
        _in_period("starts_on", "due_on", starts_on, ends_on), activity_type_id=activity_type_id, place__iexact=place
    )
    activities = live_activities(coalition).filter(
        _in_period("starts_on", "ends_on", starts_on, ends_on), activity_type_id=activity_type_id, place__iexact=place
    )
    if exclude is not None:
        kind, pk = exclude
        if kind == "action":
            actions = actions.exclude(pk=pk)
        else:
            activities = activities.exclude(pk=pk)
    entries = _action_entries(actions) + _activity_entries(activities)
    return sorted(entries, key=lambda e: (e.starts_on, e.title))


def overlaps_for_action(action: Action) -> list[Entry]:
    if action.status == Action.Status.DROPPED:
        return []
    return overlapping_entries(
        action.coalition,
        activity_type_id=action.activity_type_id,
        place=action.place,
        starts_on=action.starts_on,
        ends_on=action.due_on,
        exclude=("action", action.pk),
    )


def overlaps_for_activity(activity: MemberActivity) -> list[Entry]:
    if activity.is_archived:
        return []
    return overlapping_entries(
        activity.coalition,
        activity_type_id=activity.activity_type_id,
        place=activity.place,
        starts_on=activity.starts_on,
        ends_on=activity.ends_on,
        exclude=("activity", activity.pk),
    )


# -------------------------------------------------------------------------------------- who does what where


@dataclass
class Cell:
    place: str
    activity_type: ActivityType
    entries: list[Entry] = field(default_factory=list)

    @property
    def members(self) -> list[str]:
        return sorted({e.member_name for e in self.entries})

    @property
    def state(self) -> str:
        """ "gap" (no one), "overlap" (two or more running at the same time) or "covered"."""
        if not self.entries:
            return "gap"
        if calc.has_simultaneous([(e.starts_on, e.ends_on) for e in self.entries]):
            return "overlap"
        return "covered"


@dataclass
class Grid:
    places: list[str]
    activity_types: list[ActivityType]
    rows: list[tuple[str, list[Cell]]]

    @property
    def gap_count(self) -> int:
        return sum(1 for _place, cells in self.rows for c in cells if c.state == "gap")

    @property
    def overlap_count(self) -> int:
        return sum(1 for _place, cells in self.rows for c in cells if c.state == "overlap")


def who_what_where(coalition: Coalition, start: dt.date | None, end: dt.date | None) -> Grid:
    """Place × activity type, each cell listing who runs what there within the period."""
    entries = _action_entries(live_actions(coalition).filter(_in_period("starts_on", "due_on", start, end)))
    entries += _activity_entries(live_activities(coalition).filter(_in_period("starts_on", "ends_on", start, end)))
    places: dict[str, str] = {calc.normalise_place(p): p for p in coalition.place_list}
    for entry in entries:
        places.setdefault(calc.normalise_place(entry.place), entry.place)
    types = list(ActivityType.objects.filter(coalition=coalition))
    by_cell: dict[tuple[str, int], list[Entry]] = defaultdict(list)
    for entry in entries:
        by_cell[(calc.normalise_place(entry.place), entry.activity_type_id)].append(entry)
    rows = [
        (
            label,
            [
                Cell(label, kind, sorted(by_cell[(key, kind.pk)], key=lambda e: (e.starts_on, e.member_name)))
                for kind in types
            ],
        )
        for key, label in places.items()
    ]
    return Grid(list(places.values()), types, rows)


def who_what_where_rows(grid: Grid) -> list[list[Any]]:
    """Flat rows for the CSV export: one per entry, and one per empty cell (a gap)."""
    rows: list[list[Any]] = []
    for place, cells in grid.rows:
        for cell in cells:
            if not cell.entries:
                rows.append([place, cell.activity_type.name, "", "", "", "", "", cell.state])
            for e in cell.entries:
                rows.append(
                    [place, cell.activity_type.name, e.member_name, e.kind, e.title, e.starts_on, e.ends_on, cell.state]
                )
    return rows


# -------------------------------------------------------------------------------------------- commitments


def actions_of_member(coalition: Coalition, member: Stakeholder) -> QuerySet[Action]:
    """Every action the organisation leads or contributes to (dropped ones included, to show their reasons)."""
    return (
        Action.objects.filter(coalition=coalition)
        .filter(Q(lead=member) | Q(contributions__member=member))
        .distinct()
        .select_related("plan", "lead", "activity_type")
        .order_by("due_on", "title")
    )


def member_follow_through(actions: QuerySet[Action] | list[Action], as_of: dt.date) -> calc.FollowThrough:
    return calc.follow_through((calc.Commitment(a.status, a.due_on, a.completed_on) for a in actions), as_of)


# ------------------------------------------------------------------------------------ cohesion indicators


def joint_plan_count(coalition: Coalition) -> int:
    """Joint action plans the coalition keeps (archived ones excluded)."""
    return JointActionPlan.objects.filter(coalition=coalition, is_archived=False).count()


def completed_joint_action_count(coalition: Coalition, start: dt.date | None = None, end: dt.date | None = None) -> int:
    """Joint actions marked done, optionally only those completed within [start, end]."""
    qs = Action.objects.filter(coalition=coalition, status=Action.Status.DONE)
    if start is not None:
        qs = qs.filter(completed_on__gte=start)
    if end is not None:
        qs = qs.filter(completed_on__lte=end)
    return qs.count()


def resources_mobilised(coalition: Coalition) -> dict[str, Decimal]:
    """Money members committed to joint actions that were not dropped, summed in the database per currency."""
    totals = (
        Contribution.objects.filter(action__coalition=coalition, amount__isnull=False)
        .exclude(action__status=Action.Status.DROPPED)
        .values("currency")
        .annotate(total=Sum("amount"))
        .order_by("currency")
    )
    return {row["currency"]: row["total"] for row in totals}


def in_kind_commitment_count(coalition: Coalition) -> int:
    """Contributions that include something in kind, for actions not dropped."""
    return (
        Contribution.objects.filter(action__coalition=coalition)
        .exclude(in_kind="")
        .exclude(action__status=Action.Status.DROPPED)
        .count()
    )
