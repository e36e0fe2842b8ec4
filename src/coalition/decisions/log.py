"""The decision log: one list of every decision the coalition took, whatever took it.

It is built from ``SOURCES``, functions that each give the entries of one kind of record: closed polls, and
decisions taken in meetings (read through ``meetings.queries.meeting_decisions``). Each source filters itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coalition.coalitions.models import Coalition
from coalition.decisions import queries
from coalition.decisions.models import Electorate, Kind, Poll
from coalition.meetings import queries as meeting_queries
from coalition.meetings.models import DecisionRule, MeetingDecision


@dataclass(frozen=True)
class LogFilter:
    q: str = ""
    rule: str = ""
    since: dt.date | None = None
    until: dt.date | None = None


@dataclass(frozen=True)
class LogEntry:
    decided_on: dt.date
    forum: str
    title: str
    rule: str
    turnout: str
    result: str
    reasoning: str
    url: str
    actions: list[tuple[str, str]] = field(default_factory=list)


LogSource = Callable[[int, LogFilter], Iterable[LogEntry]]


def forum_of(poll: Poll) -> str:
    if poll.electorate == Electorate.WORKING_GROUP and poll.working_group is not None:
        return _("Working group: %(name)s") % {"name": poll.working_group.name}
    if poll.electorate == Electorate.STEERING:
        return _("Steering committee")
    if poll.electorate == Electorate.ORGANISATIONS:
        return _("All member organisations")
    return _("All members")


def rule_of(poll: Poll) -> str:
    if poll.kind == Kind.MAJORITY:
        return f"{poll.get_kind_display()}: {poll.get_majority_rule_display()}"
    if poll.kind == Kind.STV:
        seats = ngettext("%(kind)s, %(n)s seat", "%(kind)s, %(n)s seats", poll.seats)
        return seats % {"kind": poll.get_kind_display(), "n": poll.seats}
    return str(poll.get_kind_display())


def turnout_of(poll: Poll) -> str:
    if poll.turnout is None:
        return ""
    if not queries.turnout_shown(poll, poll.turnout):
        return _("fewer than %(n)s of %(of)s") % {"n": queries.MIN_TURNOUT_SHOWN, "of": poll.electorate_size}
    return _("%(n)s of %(of)s") % {"n": poll.turnout, "of": poll.electorate_size}


def result_of(poll: Poll) -> str:
    """What a closed poll decided, in words."""
    result = poll.result or {}
    labels = result.get("labels", {})
    if not poll.quorum_met:
        return _("Quorum not reached: nothing was decided")
    if result.get("passed") is not None:
        return _("Passed") if result["passed"] else _("Not passed")
    if result.get("tied"):
        return _("Tie between %(names)s") % {"names": ", ".join(labels[str(i)] for i in result["tied"])}
    names = ", ".join(labels[str(i)] for i in result.get("winners", []))
    return _("Chosen: %(names)s") % {"names": names} if names else _("No result")


def _polls(coalition_id: int, filters: LogFilter) -> QuerySet[Poll]:
    found = queries.closed_polls(coalition_id).prefetch_related("actions")
    if filters.q:
        text = Q(title__icontains=filters.q) | Q(outcome_statement__icontains=filters.q)
        found = found.filter(text | Q(outcome_reasoning__icontains=filters.q) | Q(details__icontains=filters.q))
    if filters.rule:
        found = found.filter(kind=filters.rule)
    if filters.since:
        found = found.filter(closed_at__date__gte=filters.since)
    if filters.until:
        found = found.filter(closed_at__date__lte=filters.until)
    return found


def poll_entries(coalition_id: int, filters: LogFilter) -> list[LogEntry]:
    entries = []
    for poll in _polls(coalition_id, filters):
        assert poll.closed_at is not None  # noqa: S101 - closed_polls() gives closed polls only
        actions = [
            (a.title, reverse("joint_action:action", kwargs={"coalition_id": coalition_id, "action_id": a.pk}))
            for a in poll.actions.all()
        ]
        reasoning = "\n".join(part for part in (poll.outcome_statement, poll.outcome_reasoning) if part)
        entries.append(
            LogEntry(
                decided_on=timezone.localtime(poll.closed_at).date(),
                forum=forum_of(poll),
                title=poll.title,
                rule=rule_of(poll),
                turnout=turnout_of(poll),
                result=result_of(poll),
                reasoning=reasoning,
                url=reverse("decisions:poll", kwargs={"coalition_id": coalition_id, "poll_id": poll.pk}),
                actions=actions,
            )
        )
    return entries


def meeting_entries(coalition_id: int, filters: LogFilter) -> list[LogEntry]:
    """Decisions recorded in meetings' minutes. Their rule is the meeting's own words, so a filter on a poll
    type leaves them out."""
    if filters.rule:
        return []
    needle = filters.q.casefold()
    entries = []
    for row in meeting_queries.meeting_decisions(Coalition(pk=coalition_id)):
        text = " ".join((row["meeting"], row["decision"], row["reasoning"])).casefold()
        if (needle and needle not in text) or (filters.since and row["date"] < filters.since):
            continue
        if filters.until and row["date"] > filters.until:
            continue
        entries.append(
            LogEntry(
                decided_on=row["date"],
                forum=_("%(forum)s meeting") % {"forum": row["forum_label"]},
                title=row["decision"],
                rule=str(DecisionRule(row["rule"]).label),
                turnout="",
                result=str(MeetingDecision.Result(row["result"]).label),
                reasoning=row["reasoning"],
                url=row["link"],
            )
        )
    return entries


# Where decisions come from.
SOURCES: tuple[LogSource, ...] = (poll_entries, meeting_entries)


def entries(coalition_id: int, filters: LogFilter) -> list[LogEntry]:
    """Every source's entries, newest first."""
    found = [entry for source in SOURCES for entry in source(coalition_id, filters)]
    return sorted(found, key=lambda e: (e.decided_on, e.title), reverse=True)


EXPORT_HEADER = ("date", "forum", "title", "rule", "turnout", "result", "reasoning", "linked actions")


def export_rows(found: Iterable[LogEntry]) -> Iterable[list[str]]:
    for e in found:
        linked = "; ".join(title for title, _url in e.actions)
        yield [e.decided_on.isoformat(), e.forum, e.title, e.rule, e.turnout, e.result, e.reasoning, linked]
