"""The records one period's cohesion figure counts, as rows to list: the same pick as the figure (``figures``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from coalition.coalitions.models import Coalition
from coalition.cohesion import figures
from coalition.joint_action.models import Action, JointActionPlan
from coalition.meetings.models import Meeting
from coalition.planning.models import AgendaVersion
from coalition.stakeholders.models import Stakeholder


@dataclass(frozen=True)
class Row:
    label: str
    url: str | None = None
    note: str = ""


@dataclass(frozen=True)
class Records:
    counted: list[Row]  # what the figure counts (or, for a rate, its numerator)
    context: list[Row]  # what it is counted among (meetings held, actions that came due…)
    summary: str


def _orgs(coalition: Coalition, ids: list[int]) -> dict[int, str]:
    return dict(Stakeholder.objects.filter(coalition=coalition, pk__in=ids).values_list("pk", "name"))


def _org_rows(coalition: Coalition, ids: list[int], note: Callable[[int], str] = lambda _pk: "") -> list[Row]:
    names = _orgs(coalition, ids)
    return sorted(
        (Row(names.get(pk, "?"), reverse("stakeholders:detail", args=[coalition.pk, pk]), note(pk)) for pk in ids),
        key=lambda r: r.label.casefold(),
    )


def _attendance(coalition: Coalition, first: dt.date, last: dt.date) -> Records:
    pick = figures.pick_attendance(figures.load_attendance(coalition, [(first, last)]), first, last)
    meetings = Meeting.objects.filter(pk__in=pick.meetings).order_by("starts_at")
    return Records(
        _org_rows(
            coalition,
            pick.consistent,
            lambda pk: _("present at %(n)s of %(of)s meetings") % {"n": pick.attended[pk], "of": len(pick.meetings)},
        ),
        [Row(str(m), reverse("meetings:meeting", args=[coalition.pk, m.pk])) for m in meetings],
        _("Meetings held in the period whose attendance was taken"),
    )


def _charter(coalition: Coalition, first: dt.date, last: dt.date) -> Records:
    version, orgs = figures.pick_charter(figures.load_charter(coalition, [(first, last)]), last)
    context = []
    if version is not None:
        found = AgendaVersion.objects.get(pk=version)
        context = [Row(str(found), reverse("planning:agenda_version", args=[coalition.pk, found.pk]))]
    return Records(_org_rows(coalition, orgs), context, _("Charter version in force at the end of the period"))


def _plans(coalition: Coalition, first: dt.date, last: dt.date) -> Records:
    ids = figures.pick_plans(figures.load_plans(coalition, [(first, last)]), last)
    plans = JointActionPlan.objects.filter(pk__in=ids).order_by("title")
    return Records([Row(p.title, reverse("joint_action:plan", args=[coalition.pk, p.pk])) for p in plans], [], "")


def _action_rows(coalition: Coalition, ids: list[int]) -> list[Row]:
    return [
        Row(a.title, reverse("joint_action:action", args=[coalition.pk, a.pk]), _("due %(due)s") % {"due": a.due_on})
        for a in Action.objects.filter(pk__in=ids).order_by("due_on", "title")
    ]


def _completed(coalition: Coalition, first: dt.date, last: dt.date) -> Records:
    ids = figures.pick_completed(figures.load_actions(coalition, [(first, last)]), first, last)
    return Records(_action_rows(coalition, ids), [], "")


def _follow_through(coalition: Coalition, first: dt.date, last: dt.date) -> Records:
    due, on_time = figures.pick_follow_through(figures.load_actions(coalition, [(first, last)]), last)
    return Records(
        _action_rows(coalition, on_time),
        _action_rows(coalition, due),
        _("Actions that had come due by the end of the period"),
    )


def _network(coalition: Coalition, first: dt.date, last: dt.date) -> Records:
    chosen = figures.pick_round(figures.load_rounds(coalition, [(first, last)]), last)
    if chosen is None:
        return Records([], [], "")
    url = reverse("network:metrics", args=[coalition.pk, chosen.pk])
    return Records([Row(chosen.name, url, _("closed %(day)s") % {"day": chosen.closed_on})], [], "")


PICKERS: dict[str, Callable[[Coalition, dt.date, dt.date], Records]] = {
    "cohesion.consistent_attendance": _attendance,
    "cohesion.charter_signatories": _charter,
    "cohesion.joint_plans": _plans,
    "cohesion.actions_completed": _completed,
    "cohesion.follow_through": _follow_through,
    "cohesion.network_size": _network,
    "cohesion.network_density": _network,
    "cohesion.network_centralisation": _network,
    "cohesion.hub_share": _network,
    "cohesion.most_central_changed": _network,
}


def records(coalition: Coalition, key: str, first: dt.date, last: dt.date) -> Records | None:
    picker = PICKERS.get(key)
    return None if picker is None else picker(coalition, first, last)
