"""The collective-action cycle as navigation: six stages, each listing the screens that exist.

A screen whose URL name does not resolve yet is left out, and so is a screen the person may not open:
whether they may is read from the permission the screen's view declares (``may_open``), so a link is
never offered to someone it would refuse. A stage with no screens links to a page explaining what will
come there and what to do first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Screen:
    label: Promise
    url_name: str


@dataclass(frozen=True)
class Stage:
    slug: str
    label: Promise
    summary: Promise
    first_step: Promise
    screens: tuple[Screen, ...] = field(default_factory=tuple)


CYCLE: tuple[Stage, ...] = (
    Stage(
        "assess",
        _("Assess"),
        _("Understand the local system: who is involved, what they bring, what assets exist and how actors relate."),
        _("Start by listing stakeholders across every sector and rating their power and interest."),
        (
            Screen(_("Stakeholders"), "stakeholders:list"),
            Screen(_("Power / interest grid"), "stakeholders:grid"),
            Screen(_("Coverage"), "stakeholders:coverage"),
            Screen(_("Rapid assessment"), "planning:assessment"),
            Screen(_("Relationships"), "network:rounds"),
        ),
    ),
    Stage(
        "codesign",
        _("Co-design"),
        _("Agree the shared problem, a common agenda, a few shared indicators and a named coordinator."),
        _("Map the problem's causes and effects, then let members propose and rank priorities."),
        (
            Screen(_("Problem tree"), "planning:problem_tree"),
            Screen(_("Priorities"), "planning:priorities"),
            Screen(_("Common agenda"), "planning:agenda"),
        ),
    ),
    Stage(
        "act",
        _("Act"),
        _("Turn the agenda into joint action plans and commitments that reinforce each other."),
        _("Create a joint action plan with objectives linked to your priorities."),
        (
            Screen(_("Action plans"), "joint_action:plans"),
            Screen(_("Who does what where"), "joint_action:who_what_where"),
            Screen(_("Launch workplan"), "joint_action:workplan"),
            Screen(_("Meetings"), "meetings:list"),
            Screen(_("Decisions"), "decisions:polls"),
            Screen(_("Pooled fund"), "funding:fund"),
        ),
    ),
    Stage(
        "measure",
        _("Measure"),
        _("Track shared indicators with targets, disaggregated data from every member, and cohesion."),
        _("Define up to three shared indicators with a baseline and targets."),
        (
            Screen(_("Dashboard"), "measurement:dashboard"),
            Screen(_("Indicators"), "measurement:indicators"),
            Screen(_("Who is late"), "measurement:late"),
            Screen(_("Cohesion"), "cohesion:indicators"),
        ),
    ),
    Stage(
        "learn",
        _("Learn"),
        _(
            "Collect feedback and respond to it, hold learning pauses, gather stories of change and check the "
            "coalition's health in participation, operations and results."
        ),
        _("Open a feedback channel for residents and members, then hold a first learning pause."),
        (
            Screen(_("Feedback"), "feedback:inbox"),
            Screen(_("Member surveys"), "feedback:surveys"),
            Screen(_("Learning pauses"), "learning:pauses"),
            Screen(_("Stories of change"), "learning:stories"),
            Screen(_("Outcomes"), "learning:outcomes"),
        ),
    ),
    Stage(
        "sustain",
        _("Sustain"),
        _("Plan how the effort continues and account publicly for its results."),
        _("Run a health check, then agree which functions must outlast the launch."),
        (
            Screen(_("Health check"), "cohesion:health"),
            Screen(_("Sustainability plan"), "cohesion:sustainability"),
            Screen(_("Public page"), "public:settings"),
        ),
    ),
)


# The coalition's own pages, beside the cycle; each shown only to those who may open it.
COALITION_SCREENS: tuple[Screen, ...] = (
    Screen(_("Members"), "coalitions:members"),
    Screen(_("Working groups"), "coalitions:working_groups"),
    Screen(_("Settings"), "coalitions:settings"),
    Screen(_("Audit log"), "coalitions:audit"),
)


def stage_by_slug(slug: str) -> Stage | None:
    return next((stage for stage in CYCLE if stage.slug == slug), None)


def may_open(access: Any, url_name: str, **kwargs: Any) -> str | None:
    """The URL of ``url_name`` in ``access``'s coalition if its view's declared permissions (for GET) are all
    held by ``access``; ``None`` if they are not, or if the route does not exist (yet)."""
    try:
        url = reverse(url_name, kwargs={"coalition_id": access.coalition.pk, **kwargs})
    except NoReverseMatch:
        return None
    requirement = getattr(resolve(url).func, "requirement", None)
    if requirement is None or not set(requirement.perms_for("GET")) <= access.perms:
        return None
    return url


def may_follow(request: HttpRequest, access: Any, url: str) -> bool:
    """Whether ``access`` may open the coalition page at ``url``: its view's declared GET permissions and rules."""
    try:
        match = resolve(url)
    except Resolver404:
        return False
    requirement = getattr(match.func, "requirement", None)
    if requirement is None or not set(requirement.perms_for("GET")) <= access.perms:
        return False
    kwargs = {key: value for key, value in match.kwargs.items() if key != "coalition_id"}
    return all(rule.holds(request, access, kwargs) for rule in requirement.rules)


def _links(access: Any, screens: tuple[Screen, ...], current_path: str) -> list[dict[str, Any]]:
    return [
        {"label": screen.label, "url": url, "current": current_path.startswith(url)}
        for screen in screens
        if (url := may_open(access, screen.url_name)) is not None
    ]


def _resolve(stage: Stage, access: Any, current_path: str) -> dict[str, Any]:
    links = _links(access, stage.screens, current_path)
    overview = reverse("core:stage", kwargs={"coalition_id": access.coalition.pk, "stage": stage.slug})
    return {
        "slug": stage.slug,
        "label": stage.label,
        "links": links,
        "url": links[0]["url"] if links else overview,
        "overview": overview,
        "current": any(link["current"] for link in links) or current_path == overview,
    }


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Template context: the cycle for the coalition being viewed, if any."""
    access = getattr(request, "access", None)
    if access is None:
        return {}
    return {
        "current_coalition": access.coalition,
        "access": access,
        "cycle": [_resolve(stage, access, request.path) for stage in CYCLE],
        "coalition_links": _links(access, COALITION_SCREENS, request.path),
    }
