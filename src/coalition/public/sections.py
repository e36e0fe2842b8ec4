"""The sections of the public page: the registry (kept in ``core.extensions`` so that apps below ``public`` can
offer sections without importing it) and the sections built from the records of the apps below.

Each section shows only what its app calls final or published:

* ``purpose``: the coalition's common purpose and the latest *published* version of the common agenda (never
  a draft);
* ``members``: member organisations that *agreed* to be listed (``Stakeholder.listing_agreed_on``);
* ``indicators``: the shared indicators exactly as the shared view prints them (approved data only, small
  counts hidden by the same disclosure control, ``measurement.freshness.dashboard_data``), and only the
  tables that name no member: the value by period and the breakdowns;
* ``decisions``: closed polls whose outcome was recorded, and decisions of meetings whose minutes were
  approved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coalition.coalitions.models import Coalition
from coalition.core.extensions import PublicSection, PublicUpdate, public_sections, register_public_section
from coalition.decisions import log as decision_log
from coalition.decisions.models import Poll
from coalition.measurement import freshness, presenters
from coalition.measurement.models import DataVersion
from coalition.meetings.models import DecisionRule, Forum, MeetingDecision
from coalition.planning.models import AgendaVersion
from coalition.public.models import DEFAULT_DECISIONS_SHOWN, PublicPage
from coalition.stakeholders.models import Stakeholder

__all__ = ["enabled_sections", "public_sections", "register_builtin_sections", "register_section"]


def register_section(
    key: str,
    label: Any,
    render: Any,
    *,
    order: int = 100,
    description: Any = "",
    stamp: Any = None,
    updates: Any = None,
) -> None:
    """Offer a section (for apps above ``core`` that prefer keywords to a ``PublicSection``)."""
    register_public_section(PublicSection(key, label, render, order, description, stamp, updates))


def enabled_sections(page: PublicPage) -> list[PublicSection]:
    """The sections the page shows: registered by an app and opted in to by the hub, in page order."""
    chosen = set(page.sections or ())
    return [section for section in public_sections() if section.key in chosen]


# --- Purpose and common agenda -----------------------------------------------------------------------------------


def published_agenda(coalition: Coalition) -> AgendaVersion | None:
    return (
        AgendaVersion.objects.filter(coalition=coalition, status=AgendaVersion.Status.PUBLISHED)
        .order_by("-number")
        .first()
    )


def render_purpose(coalition: Coalition) -> str:
    agenda = published_agenda(coalition)
    frozen = (agenda.frozen or {}) if agenda else {}
    context = {"coalition": coalition, "agenda": agenda, "priorities": frozen.get("priorities", [])}
    if not coalition.common_purpose and agenda is None:
        return ""
    return render_to_string("public/sections/purpose.html", context)


def stamp_purpose(coalition: Coalition) -> Any:
    published = AgendaVersion.objects.filter(coalition=coalition, status=AgendaVersion.Status.PUBLISHED)
    return (coalition.updated_at.isoformat(), str(published.aggregate(at=Max("published_at"))["at"]))


def agenda_updates(coalition: Coalition) -> Iterable[PublicUpdate]:
    for version in AgendaVersion.objects.filter(coalition=coalition, status=AgendaVersion.Status.PUBLISHED):
        if version.published_at is None:
            continue
        yield PublicUpdate(
            key=f"agenda-{version.number}",
            title=_("Common agenda, version %(n)s, published") % {"n": version.number},
            published=version.published_at,
            summary=version.change_note or version.vision,
        )


# --- Member organisations ----------------------------------------------------------------------------------------


def listed_organisations(coalition: Coalition) -> list[Stakeholder]:
    """Member organisations that agreed to be named publicly (and are still members, not archived)."""
    return list(
        Stakeholder.objects.filter(
            coalition=coalition,
            kind=Stakeholder.Kind.ORGANISATION,
            engagement=Stakeholder.Engagement.MEMBER,
            is_archived=False,
            listing_agreed_on__isnull=False,
        ).order_by("name")
    )


def render_members(coalition: Coalition) -> str:
    listed = listed_organisations(coalition)
    if not listed:
        return ""
    return render_to_string("public/sections/members.html", {"organisations": listed})


def stamp_members(coalition: Coalition) -> Any:
    return str(Stakeholder.objects.filter(coalition=coalition).aggregate(at=Max("updated_at"))["at"])


# --- Shared indicators -------------------------------------------------------------------------------------------


def shared_view(coalition: Coalition) -> presenters.View:
    """The view members get (``measurement.views.common.data_view`` without the hub's raw choice)."""
    return presenters.View(
        shared=True, threshold=coalition.small_cell_threshold, protection_width=coalition.protection_width
    )


PUBLIC_TABLES = ("series", "breakdown")  # the members panel and completeness name members: never public


def shared_indicators(coalition: Coalition, today: dt.date) -> list[dict[str, Any]]:
    """Each shared indicator with its progress and the tables of the shared view that name no member."""
    data = freshness.dashboard_data(coalition, shared_view(coalition), today)
    return [
        {
            "row": panels.row,
            "tables": [p.table for p in panels.panels if p.table.slug.split("-")[0] in PUBLIC_TABLES],
        }
        for panels in data.shared
    ]


def render_indicators(coalition: Coalition) -> str:
    indicators = shared_indicators(coalition, timezone.localdate())
    if not indicators:
        return ""
    return render_to_string("public/sections/indicators.html", {"indicators": indicators})


def stamp_indicators(coalition: Coalition) -> Any:
    version = DataVersion.objects.filter(coalition=coalition).values_list("version", flat=True).first()
    return (version, coalition.version)


# --- Decision log excerpts ---------------------------------------------------------------------------------------


def final_polls(coalition: Coalition) -> Any:
    return Poll.objects.filter(coalition=coalition, closed_at__isnull=False, outcome_recorded_at__isnull=False)


def approved_meeting_decisions(coalition: Coalition) -> Any:
    return MeetingDecision.objects.filter(coalition=coalition, meeting__minutes_approved_at__isnull=False)


def decisions(coalition: Coalition, limit: int) -> list[dict[str, Any]]:
    """The ``limit`` most recent final decisions, newest first: what was decided, by whom, how and why."""
    found: list[dict[str, Any]] = []
    for poll in final_polls(coalition).select_related("working_group").order_by("-closed_at")[:limit]:
        assert poll.closed_at is not None  # noqa: S101 - filtered above
        found.append(
            {
                "key": f"poll-{poll.pk}",
                "on": timezone.localtime(poll.closed_at).date(),
                "at": poll.outcome_recorded_at,
                "title": poll.title,
                "forum": decision_log.forum_of(poll),
                "rule": decision_log.rule_of(poll),
                "result": decision_log.result_of(poll),
                "statement": poll.outcome_statement,
                "reasoning": poll.outcome_reasoning,
            }
        )
    meeting_rows = approved_meeting_decisions(coalition).select_related("meeting").order_by("-meeting__starts_at")
    for d in meeting_rows[:limit]:
        found.append(
            {
                "key": f"meeting-decision-{d.pk}",
                "on": d.meeting.local_start.date(),
                "at": d.meeting.minutes_approved_at,
                "title": d.text,
                "forum": _("%(forum)s meeting") % {"forum": Forum(d.meeting.forum).label},
                "rule": str(DecisionRule(d.rule).label),
                "result": str(MeetingDecision.Result(d.result).label),
                "statement": "",
                "reasoning": d.reasoning,
            }
        )
    found.sort(key=lambda e: (e["on"], e["key"]), reverse=True)
    return found[:limit]


def _limit(coalition: Coalition) -> int:
    shown = PublicPage.objects.filter(coalition=coalition).values_list("decisions_shown", flat=True).first()
    return shown or DEFAULT_DECISIONS_SHOWN


def render_decisions(coalition: Coalition) -> str:
    found = decisions(coalition, _limit(coalition))
    if not found:
        return ""
    return render_to_string("public/sections/decisions.html", {"decisions": found})


def stamp_decisions(coalition: Coalition) -> Any:
    polls = final_polls(coalition).aggregate(at=Max("updated_at"))["at"]
    meeting = MeetingDecision.objects.filter(coalition=coalition).aggregate(
        at=Max("updated_at"), approved=Max("meeting__minutes_approved_at")
    )
    return (str(polls), str(meeting["at"]), str(meeting["approved"]))


def decision_updates(coalition: Coalition) -> Iterable[PublicUpdate]:
    for entry in decisions(coalition, _limit(coalition)):
        yield PublicUpdate(
            key=entry["key"],
            title=_("Decided: %(title)s") % {"title": entry["title"]},
            published=entry["at"],
            summary=" ".join(part for part in (entry["result"], entry["statement"]) if part),
        )


def register_builtin_sections() -> None:
    register_section(
        "purpose",
        gettext_lazy("Purpose and common agenda"),
        render_purpose,
        order=10,
        description=gettext_lazy("The common purpose and the latest published version of the common agenda."),
        stamp=stamp_purpose,
        updates=agenda_updates,
    )
    register_section(
        "members",
        gettext_lazy("Member organisations"),
        render_members,
        order=20,
        description=gettext_lazy("Member organisations that agreed to be listed (recorded below)."),
        stamp=stamp_members,
    )
    register_section(
        "indicators",
        gettext_lazy("Shared indicators"),
        render_indicators,
        order=30,
        description=gettext_lazy(
            "The shared indicators as members see them: approved figures only, small counts hidden."
        ),
        stamp=stamp_indicators,
    )
    register_section(
        "decisions",
        gettext_lazy("Decisions"),
        render_decisions,
        order=40,
        description=gettext_lazy("Recent final decisions: recorded poll outcomes and approved meeting minutes."),
        stamp=stamp_decisions,
        updates=decision_updates,
    )
