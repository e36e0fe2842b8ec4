"""Evidence from the platform's records for each health-check factor, through a small registry.

A provider takes the coalition and the window the check looks back over and returns an ``Evidence``, or
``None`` when there are no records to judge from. Leadership and adaptation read the learning app's pauses and
adaptations (a lower layer); an app may still replace a provider in its ``AppConfig.ready`` with
``register_evidence``; a factor without one reads "no records yet".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coalition.coalitions.models import Coalition, Membership
from coalition.cohesion import figures
from coalition.joint_action.models import Action, Contribution
from coalition.learning.models import Adaptation, LearningSettings, Pause
from coalition.measurement.computed import computation
from coalition.meetings.models import Attendance, Meeting, MeetingDecision, MeetingSettings
from coalition.stakeholders.coverage import Profile, coverage
from coalition.stakeholders.models import Sector, Stakeholder

LOOK_BACK_DAYS = 365
QUIET_DAYS = 90  # members with no attendance for this long get a follow-up suggestion


@dataclass(frozen=True)
class Evidence:
    figure: str  # what the records say, in a few words ("72 % present")
    detail: str  # how it was counted
    url: str | None = None  # the records it counts
    count: int | None = None  # the number of records linked, where the figure is a count of them
    suggestion: str = ""
    suggestion_url: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


Provider = Callable[[Coalition, dt.date, dt.date], Evidence | None]
_REGISTRY: dict[str, Provider] = {}


def register_evidence(factor: str, provider: Provider) -> None:
    """Give ``factor`` its evidence; registering again replaces it (apps' ``ready`` may run twice)."""
    _REGISTRY[factor] = provider


def evidence_for(factor: str, coalition: Coalition, first: dt.date, last: dt.date) -> Evidence | None:
    provider = _REGISTRY.get(factor)
    return None if provider is None else provider(coalition, first, last)


def window(today: dt.date) -> tuple[dt.date, dt.date]:
    return today - dt.timedelta(days=LOOK_BACK_DAYS - 1), today


def _pct(part: int, whole: int) -> str:
    value = figures.percent(part, whole)
    return "—" if value is None else f"{value.quantize(Decimal(1))} %"


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _attendance(coalition: Coalition, first: dt.date, last: dt.date) -> Any:
    return Attendance.objects.filter(
        coalition=coalition,
        meeting__status=Meeting.Status.SCHEDULED,
        meeting__starts_at__gte=_aware(first),
        meeting__starts_at__lt=_aware(last + dt.timedelta(days=1)),
    )


# --- Participation ----------------------------------------------------------------------------------


def convening(coalition: Coalition, first: dt.date, last: dt.date) -> Evidence | None:
    rows = _attendance(coalition, first, last)
    taken = rows.count()
    if not taken:
        return None
    present = rows.filter(status=Attendance.Status.PRESENT).count()
    meetings = rows.values("meeting_id").distinct().count()
    since = last - dt.timedelta(days=QUIET_DAYS)
    recent = set(
        _attendance(coalition, since, last)
        .filter(status=Attendance.Status.PRESENT)
        .values_list("membership_id", flat=True)
    )
    invited = set(_attendance(coalition, since, last).values_list("membership_id", flat=True))
    quiet = len(invited - recent)
    suggestion = (
        ngettext(
            "%(n)s member has not attended in the last three months: plan a one-to-one follow-up.",
            "%(n)s members have not attended in the last three months: plan one-to-one follow-ups.",
            quiet,
        )
        % {"n": quiet}
        if quiet
        else ""
    )
    return Evidence(
        figure=_("%(pct)s present") % {"pct": _pct(present, taken)},
        detail=_("%(present)s of %(taken)s places taken at %(meetings)s meetings with a register")
        % {"present": present, "taken": taken, "meetings": meetings},
        url=reverse("meetings:list", args=[coalition.pk]),
        count=meetings,
        suggestion=suggestion,
        suggestion_url=reverse("meetings:list", args=[coalition.pk]) if quiet else None,
    )


def _public_bodies(coalition: Coalition) -> str:
    """The stakeholder list of the public bodies that are members: the organisations government evidence counts."""
    return reverse("stakeholders:list", args=[coalition.pk]) + "?sector=government&engagement=member"


def government(coalition: Coalition, first: dt.date, last: dt.date) -> Evidence | None:
    members = set(
        Membership.objects.filter(
            coalition=coalition, is_active=True, organisation__sector=Sector.GOVERNMENT
        ).values_list("organisation_id", flat=True)
    )
    if not members:
        return Evidence(
            figure=_("no government member"),
            detail=_("No active member represents a public body."),
            url=_public_bodies(coalition),
            count=0,
            suggestion=_("Map the public bodies that hold the levers and invite one to join."),
            suggestion_url=reverse("stakeholders:list", args=[coalition.pk]),
        )
    attending = set(
        _attendance(coalition, first, last)
        .filter(status=Attendance.Status.PRESENT, membership__organisation_id__in=members)
        .values_list("membership__organisation_id", flat=True)
    )
    missing = len(members - attending)
    return Evidence(
        figure=_("%(n)s of %(of)s public bodies attended") % {"n": len(attending), "of": len(members)},
        detail=_("Government member organisations with someone present at a meeting in the last year"),
        url=_public_bodies(coalition),
        count=len(members),
        suggestion=_("Ask the public bodies that stayed away what would make meetings worth their time.")
        if missing
        else "",
        suggestion_url=reverse("meetings:list", args=[coalition.pk]) if missing else None,
    )


def range_of_actors(coalition: Coalition, first: dt.date, last: dt.date) -> Evidence | None:
    fields = [f for f in Profile.__dataclass_fields__ if f != "pk"]
    profiles = [
        Profile(pk=row["pk"], **{name: row[name] for name in fields})
        for row in Stakeholder.objects.filter(coalition=coalition, is_archived=False).values("pk", *fields)
    ]
    if not profiles:
        return None
    gaps = coverage(profiles).gaps
    url = reverse("stakeholders:coverage", args=[coalition.pk])
    return Evidence(
        figure=ngettext("%(n)s gap in coverage", "%(n)s gaps in coverage", len(gaps)) % {"n": len(gaps)},
        detail=", ".join(str(g.label) for g in gaps[:6]),
        url=url,
        count=len(gaps),
        suggestion=_("Invite stakeholders who fill the gaps: %(gaps)s.")
        % {"gaps": ", ".join(str(g.label) for g in gaps[:3])}
        if gaps
        else "",
        suggestion_url=url if gaps else None,
    )


def geography(coalition: Coalition, first: dt.date, last: dt.date) -> Evidence | None:
    places = coalition.place_list
    if not places:
        return None
    reached = {
        p.casefold()
        for p in Action.objects.filter(coalition=coalition, starts_on__lte=last, due_on__gte=first).values_list(
            "place", flat=True
        )
    }
    missing = [p for p in places if p.casefold() not in reached]
    return Evidence(
        figure=_("%(n)s of %(of)s places reached") % {"n": len(places) - len(missing), "of": len(places)},
        detail=_("Places of the coalition with a joint action in the last year; not reached: %(list)s")
        % {"list": ", ".join(missing) or "—"},
        url=reverse("joint_action:who_what_where", args=[coalition.pk]),
        count=len(places) - len(missing),
        suggestion=_("Plan an action with members working in %(place)s.") % {"place": missing[0]} if missing else "",
        suggestion_url=reverse("joint_action:plans", args=[coalition.pk]) if missing else None,
    )


# --- Operations -------------------------------------------------------------------------------------


def leadership(coalition: Coalition, first: dt.date, last: dt.date) -> Evidence | None:
    """Whether the hub keeps the learning rhythm: pauses held in the window against the pauses the interval
    asks for since the window (or the coalition) began."""
    found = LearningSettings.objects.filter(coalition=coalition).values_list("interval_weeks", flat=True).first()
    interval = dt.timedelta(weeks=found or LearningSettings._meta.get_field("interval_weeks").get_default())
    begins = max(first, coalition.starts_on or first)
    expected = (last - begins) // interval
    if expected < 1:
        return None
    held = list(
        Pause.objects.filter(coalition=coalition, held_on__range=(first, last)).values_list("held_on", flat=True)
    )
    latest = max(held, default=None)
    overdue = latest is None or last - latest > interval
    url = reverse("learning:pauses", args=[coalition.pk])
    return Evidence(
        figure=_("%(n)s of %(of)s learning pauses held") % {"n": len(held), "of": expected},
        detail=_("Pauses held in the last year against one every %(weeks)s weeks") % {"weeks": interval.days // 7},
        url=url,
        count=len(held),
        suggestion=_("The learning rhythm has slipped: hold a pause to look at the data together.") if overdue else "",
        suggestion_url=reverse("learning:pause_new", args=[coalition.pk]) if overdue else None,
    )


def funding(coalition: Coalition, first: dt.date, last: dt.date) -> Evidence | None:
    contributions = Contribution.objects.filter(
        coalition=coalition, action__starts_on__lte=last, action__due_on__gte=first
    ).filter(Q(amount__isnull=False) | ~Q(in_kind=""))
    n = contributions.count()
    if not n:
        return None
    return Evidence(
        figure=ngettext("%(n)s commitment of money or in kind", "%(n)s commitments of money or in kind", n) % {"n": n},
        detail=_("Members' contributions to joint actions running in the last year"),
        url=reverse("joint_action:commitments", args=[coalition.pk]),
        count=n,
    )


def communications(coalition: Coalition, first: dt.date, last: dt.date) -> Evidence | None:
    meetings = list(
        Meeting.objects.filter(
            coalition=coalition,
            status=Meeting.Status.SCHEDULED,
            starts_at__gte=_aware(first),
            starts_at__lt=_aware(last + dt.timedelta(days=1)),
        ).values_list("starts_at", "agenda_published_at")
    )
    if not meetings:
        return None
    found = MeetingSettings.objects.filter(coalition=coalition).values_list("agenda_days_ahead", flat=True).first()
    ahead = dt.timedelta(days=5 if found is None else found)
    on_time = sum(1 for starts, published in meetings if published is not None and published <= starts - ahead)
    late = len(meetings) - on_time
    return Evidence(
        figure=_("%(pct)s of agendas on time") % {"pct": _pct(on_time, len(meetings))},
        detail=_("%(n)s of %(of)s meetings had their agenda out %(days)s days ahead")
        % {"n": on_time, "of": len(meetings), "days": ahead.days},
        url=reverse("meetings:list", args=[coalition.pk]),
        count=len(meetings),
        suggestion=_("Publish agendas earlier: %(n)s went out late or not at all.") % {"n": late} if late else "",
        suggestion_url=reverse("meetings:list", args=[coalition.pk]) if late else None,
    )


def joint_work(coalition: Coalition, first: dt.date, last: dt.date) -> Evidence | None:
    decisions = MeetingDecision.objects.filter(
        coalition=coalition,
        meeting__starts_at__gte=_aware(first),
        meeting__starts_at__lt=_aware(last + dt.timedelta(days=1)),
    ).count()
    shared = (
        Action.objects.filter(coalition=coalition, starts_on__lte=last, due_on__gte=first)
        .exclude(status=Action.Status.DROPPED)
        .filter(contributions__isnull=False)
        .distinct()
        .count()
    )
    if not decisions and not shared:
        return None
    return Evidence(
        figure=_("%(d)s decisions, %(a)s shared actions") % {"d": decisions, "a": shared},
        detail=_("Decisions recorded in meetings and joint actions with contributing members in the last year"),
        url=reverse("joint_action:plans", args=[coalition.pk]),
        count=shared,
        suggestion="" if shared else _("Turn a decision into a joint action that several members contribute to."),
        suggestion_url=None if shared else reverse("joint_action:plans", args=[coalition.pk]),
    )


# --- Results ----------------------------------------------------------------------------------------


def commitment(coalition: Coalition, first: dt.date, last: dt.date) -> Evidence | None:
    rows = figures.load_actions(coalition, [(first, last)])
    due, on_time = figures.pick_follow_through(rows, last)
    if not due:
        return None
    overdue = len(due) - len(on_time)
    url = computation("cohesion.follow_through")
    return Evidence(
        figure=_("%(pct)s follow-through") % {"pct": _pct(len(on_time), len(due))},
        detail=_("%(n)s of %(of)s actions that came due were done on time") % {"n": len(on_time), "of": len(due)},
        url=url.records_url(coalition, first, last) if url and url.records_url else None,
        count=len(on_time),
        suggestion=_("Review the %(n)s late or overdue actions with their leads.") % {"n": overdue} if overdue else "",
        suggestion_url=reverse("joint_action:commitments", args=[coalition.pk]) if overdue else None,
    )


def adaptation(coalition: Coalition, first: dt.date, last: dt.date) -> Evidence | None:
    """Changes of course agreed at pauses and applied, and the pauses that agreed none."""
    pauses = Pause.objects.filter(coalition=coalition, held_on__range=(first, last))
    held = pauses.count()
    applied = Adaptation.objects.filter(pause__in=pauses, applied_at__isnull=False).count()
    if not held:
        return None
    unchanged = pauses.filter(adaptations__isnull=True).count()
    return Evidence(
        figure=ngettext("%(n)s adaptation applied", "%(n)s adaptations applied", applied) % {"n": applied},
        detail=_("From %(held)s learning pauses in the last year; %(none)s agreed no change")
        % {"held": held, "none": unchanged},
        url=reverse("learning:log", args=[coalition.pk]),
        count=applied,
        suggestion="" if applied else _("Agree at least one change at the next pause, and apply it."),
        suggestion_url=None if applied else reverse("learning:pauses", args=[coalition.pk]),
    )


def value(coalition: Coalition, first: dt.date, last: dt.date) -> Evidence | None:
    """From the member survey's value items, when the feedback app measures them."""
    found = computation("feedback.value_received")
    figure = found.compute(coalition, first, last) if found else None
    if found is None or figure is None:
        return None
    return Evidence(
        figure=f"{figure.quantize(Decimal('0.1'))}",
        detail=str(found.definition),
        url=found.records_url(coalition, first, last) if found.records_url else None,
    )


def register_defaults() -> None:
    for factor, provider in (
        ("convening", convening),
        ("government", government),
        ("range", range_of_actors),
        ("geography", geography),
        ("leadership", leadership),
        ("funding", funding),
        ("communications", communications),
        ("joint_work", joint_work),
        ("adaptation", adaptation),
        ("commitment", commitment),
        ("value", value),
    ):
        _REGISTRY.setdefault(factor, provider)
