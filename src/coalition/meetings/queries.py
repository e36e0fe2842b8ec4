"""Reads with rules: who is invited to a meeting (from its forum), who may see it, what its agenda carries over,
the decision rows the decision log reads, and the figures' inputs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, Q, QuerySet
from django.urls import reverse

from coalition.coalitions.access import Access
from coalition.coalitions.models import Coalition, Membership, MembershipRole
from coalition.core.permissions import ROLE_PERMISSIONS, Perm, Role, permissions_for_roles
from coalition.joint_action.models import Action
from coalition.meetings import calc
from coalition.meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Forum,
    Meeting,
    MeetingDecision,
    MeetingSeries,
    MeetingSettings,
)
from coalition.planning.models import AgendaVersion

OPEN_ACTION = (Action.Status.PLANNED, Action.Status.UNDER_WAY)


def roles_with(perm: Perm) -> list[str]:
    return sorted(role for role, perms in ROLE_PERMISSIONS.items() if perm in perms)


def settings_of(coalition: Coalition) -> MeetingSettings:
    """The coalition's meeting settings (the defaults, unsaved, until someone changes them)."""
    found = MeetingSettings.objects.filter(coalition=coalition).first()
    return found or MeetingSettings(coalition=coalition)


def _forum_people(forum: str, working_group_id: int | None) -> Q:
    """Who a forum invites, besides those who run meetings: everyone who reads meetings, the steering
    committee, or the members of the working group."""
    if forum == Forum.COALITION:
        return Q(roles__role__in=roles_with(Perm.VIEW_MEETINGS))
    if forum == Forum.STEERING:
        return Q(roles__role=Role.STEERING)
    return Q(working_groups__id=working_group_id)


def invitees(meeting: Meeting) -> QuerySet[Membership]:
    """The active memberships a meeting invites: its forum's people and whoever runs the coalition's meetings."""
    runners = Q(roles__role__in=roles_with(Perm.RUN_MEETINGS))
    ids = (
        Membership.objects.filter(coalition_id=meeting.coalition_id, is_active=True)
        .filter(_forum_people(meeting.forum, meeting.working_group_id) | runners)
        .values("pk")
    )
    return Membership.objects.filter(pk__in=ids).select_related("user", "organisation")


def is_invited(meeting: Meeting, membership: Membership) -> bool:
    return invitees(meeting).filter(pk=membership.pk).exists()


def is_open(meeting: Meeting) -> bool:
    """A whole-coalition meeting is open to every member who reads meetings; the others to their invitees."""
    return meeting.forum == Forum.COALITION


def may_see(access: Access, meeting: Meeting) -> bool:
    return access.can(Perm.RUN_MEETINGS) or (
        access.can(Perm.VIEW_MEETINGS) and (is_open(meeting) or is_invited(meeting, access.membership))
    )


def minutes_visible(access: Access, meeting: Meeting) -> bool:
    """Minutes of a meeting the person may see: approved ones, and drafts for those who run meetings."""
    return access.can(Perm.RUN_MEETINGS) or meeting.minutes_approved_at is not None


def visible_to(membership: Membership, perms: Iterable[str]) -> Q:
    """Meetings of the membership's coalition it may see (and is invited to, for its calendar)."""
    granted = set(perms)
    if Perm.RUN_MEETINGS in granted:
        return Q(coalition_id=membership.coalition_id)
    if Perm.VIEW_MEETINGS not in granted:
        return Q(pk__in=[])
    on_committee = MembershipRole.objects.filter(membership=membership, role=Role.STEERING)
    seen = Q(forum=Forum.COALITION) | (Q(forum=Forum.STEERING) & Q(Exists(on_committee)))
    seen |= Q(forum__in=(Forum.WORKING_GROUP, Forum.CODESIGN), working_group__members=membership)
    return Q(coalition_id=membership.coalition_id) & seen


def meetings_for(access: Access) -> QuerySet[Meeting]:
    return Meeting.objects.filter(visible_to(access.membership, access.perms)).distinct()


def feed_meetings(membership: Membership, since: dt.datetime) -> QuerySet[Meeting]:
    perms = permissions_for_roles(membership.role_codes)
    return Meeting.objects.filter(visible_to(membership, perms), starts_at__gte=since).distinct().order_by("starts_at")


# --- agenda -----------------------------------------------------------------------------------------------


def agenda(meeting: Meeting) -> list[AgendaItem]:
    """Accepted items in their order, with papers."""
    return list(
        meeting.items.filter(status=AgendaItem.Status.ACCEPTED).prefetch_related("papers").order_by("position", "pk")
    )


def earlier_meetings(meeting: Meeting) -> QuerySet[Meeting]:
    """Meetings before this one in the same series (or the same forum, for a one-off)."""
    same = Q(series_id=meeting.series_id) if meeting.series_id else Q(forum=meeting.forum, series__isnull=True)
    if meeting.working_group_id:
        same &= Q(working_group_id=meeting.working_group_id)
    return Meeting.objects.filter(same, coalition_id=meeting.coalition_id, starts_at__lt=meeting.starts_at)


def carried_items(meeting: Meeting) -> QuerySet[ActionItem]:
    """Action items agreed at earlier meetings of the same kind that are still open: carried to this agenda."""
    return (
        ActionItem.objects.filter(meeting__in=earlier_meetings(meeting), action__status__in=OPEN_ACTION)
        .select_related("action__lead", "meeting")
        .order_by("action__due_on", "pk")
    )


@dataclass(frozen=True)
class AttendanceRow:
    person: str
    status: str
    status_label: str
    organisation: str


def attendance_rows(meeting: Meeting) -> list[AttendanceRow]:
    """Who attended, as plain rows (one query, no model per person: the page and exports show hundreds)."""
    labels = dict(Attendance.Status.choices)
    rows = meeting.attendance.order_by(
        "membership__user__last_name", "membership__user__first_name", "membership__user__username"
    ).values_list(
        "membership__user__first_name", "membership__user__last_name", "membership__user__username", "status",
        "organisation__name",
    )  # fmt: skip
    return [
        AttendanceRow(f"{first} {last}".strip() or username, status, str(labels[status]), organisation or "")
        for first, last, username, status, organisation in rows
    ]


def decision_rules_text(coalition: Coalition) -> str:
    """The decision rules of the current published common agenda / charter (shown beside the quorum)."""
    current = (
        AgendaVersion.objects.filter(coalition=coalition, status=AgendaVersion.Status.PUBLISHED)
        .order_by("-number")
        .values_list("decision_rules", flat=True)
        .first()
    )
    return current or ""


def quorum(meeting: Meeting, invited: int, present: int) -> dict[str, Any]:
    share = settings_of(meeting.coalition).quorum_share
    needed = calc.quorum_needed(invited, share)
    return {"share": share, "needed": needed, "present": present, "met": invited > 0 and present >= needed}


# --- the decision log's source ------------------------------------------------------------------------------


def meeting_decisions(coalition: Coalition) -> list[dict[str, Any]]:
    """Every decision taken in this coalition's meetings, as plain rows (oldest first): date, forum, rule,
    result, reasoning, link. The decisions app reads these into one log."""
    rows = (
        MeetingDecision.objects.filter(coalition=coalition)
        .select_related("meeting")
        .order_by("meeting__starts_at", "pk")
    )
    return [
        {
            "date": d.meeting.local_start.date(),
            "forum": d.meeting.forum,
            "forum_label": str(Forum(d.meeting.forum).label),
            "meeting": d.meeting.title,
            "decision": d.text,
            "rule": d.rule,
            "result": d.result,
            "reasoning": d.reasoning,
            "link": reverse("meetings:meeting", kwargs={"coalition_id": coalition.pk, "meeting_id": d.meeting_id}),
        }
        for d in rows
    ]


# --- figures' inputs --------------------------------------------------------------------------------------------


def attendance_records(coalition: Coalition, start: dt.datetime, end: dt.datetime) -> list[calc.AttendanceRecord]:
    """Attendance at the coalition's held (not cancelled) meetings starting in [start, end)."""
    rows = Attendance.objects.filter(
        coalition=coalition,
        meeting__starts_at__gte=start,
        meeting__starts_at__lt=end,
        meeting__status=Meeting.Status.SCHEDULED,
    ).values_list("meeting_id", "meeting__forum", "organisation_id", "status")
    return [calc.AttendanceRecord(*row) for row in rows]


def publication_times(coalition: Coalition, start: dt.datetime, end: dt.datetime) -> list[tuple[Any, Any]]:
    return list(
        Meeting.objects.filter(
            coalition=coalition, starts_at__gte=start, starts_at__lt=end, status=Meeting.Status.SCHEDULED
        ).values_list("starts_at", "agenda_published_at")
    )


def action_item_states(coalition: Coalition) -> list[calc.ItemState]:
    rows = ActionItem.objects.filter(coalition=coalition).values_list(
        "action__status", "action__due_on", "action__completed_on"
    )
    return [calc.ItemState(*row) for row in rows]


def figures(coalition: Coalition, start: dt.datetime, end: dt.datetime, as_of: dt.date) -> dict[str, Any]:
    """The meeting figures for a period, from the records (the cohesion work reuses these)."""
    settings = settings_of(coalition)
    records = attendance_records(coalition, start, end)
    by_org = calc.attendance_by_organisation(records)
    return {
        "by_organisation": by_org,
        "by_forum": calc.attendance_by_forum(records),
        "consistent": calc.consistent_attenders(by_org, settings.attending_share),
        "agendas_on_time": calc.agendas_on_time(publication_times(coalition, start, end), settings.agenda_days_ahead),
        "actions_on_time": calc.action_items_on_time(action_item_states(coalition), as_of),
        "settings": settings,
    }


def series_of(coalition: Coalition) -> QuerySet[MeetingSeries]:
    return MeetingSeries.objects.filter(coalition=coalition, is_archived=False)
