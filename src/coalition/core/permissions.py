"""Roles and permissions as data: the one place that says which role may do what.

Views and the API declare the permission they need (``Perm.X``); ``permissions_for_roles`` turns a
membership's roles into the set it holds. A permission not granted here is denied.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    HUB = "hub", _("Hub / backbone coordinator")
    FACILITATOR = "facilitator", _("Facilitator")
    CONVENER = "convener", _("Convener")
    STEERING = "steering", _("Steering committee")
    MEMBER = "member", _("Member")
    OBSERVER = "observer", _("Observer")
    # A funder or a government partner: reads the agreed results, takes no internal decisions, enters no data.
    FUNDER = "funder", _("Funder")
    # A resident taking part: gives feedback, tells stories of change, answers surveys.
    RESIDENT = "resident", _("Resident")


class Perm(StrEnum):
    # Coalition
    VIEW = "coalition.view"
    VIEW_MEMBERS = "coalition.view_members"
    CHANGE_SETTINGS = "coalition.change_settings"
    MANAGE_MEMBERS = "coalition.manage_members"
    # Give, take away or deactivate the hub role (a hub only: nobody promotes themself).
    MANAGE_HUBS = "coalition.manage_hubs"
    VIEW_AUDIT = "coalition.view_audit"
    # Stakeholder map
    VIEW_STAKEHOLDERS = "stakeholders.view"
    EDIT_STAKEHOLDERS = "stakeholders.edit"
    IMPORT_STAKEHOLDERS = "stakeholders.import"
    # Shared measurement
    VIEW_MEASUREMENT = "measurement.view"
    DEFINE_INDICATORS = "measurement.define"
    ENTER_OWN_DATA = "measurement.enter_own"
    ENTER_ANY_DATA = "measurement.enter_any"
    APPROVE_DATA = "measurement.approve"
    VIEW_UNSUPPRESSED = "measurement.view_unsuppressed"
    # Relationship mapping
    VIEW_NETWORK = "network.view"
    MANAGE_SURVEYS = "network.manage"
    # Co-design and joint action
    VIEW_PLANNING = "planning.view"
    EDIT_AGENDA = "planning.edit_agenda"
    # Edit the problem tree and the agenda while a member of a co-design working group.
    CODESIGN_IN_GROUP = "planning.codesign_in_group"
    SIGN_CHARTER = "planning.sign"
    PROPOSE_PRIORITY = "planning.propose"
    VOTE_PRIORITY = "planning.vote"
    RUN_PRIORITY_VOTE = "planning.run_vote"
    EDIT_ACTIONS = "planning.edit_actions"
    MANAGE_WORKPLAN = "planning.manage_workplan"
    # Create and edit joint action plans, edit any action or member activity, keep the activity-type list.
    MANAGE_ACTIONS = "planning.manage_actions"
    # Meetings: read the coalition's meetings (closed forums: their invitees), propose agenda items, run meetings
    # (series, agendas, attendance, minutes, decisions, action items).
    VIEW_MEETINGS = "meetings.view"
    PROPOSE_AGENDA_ITEM = "meetings.propose"
    RUN_MEETINGS = "meetings.run"
    # Collective decisions: read polls and the decision log; vote; run polls (open, close, record outcomes).
    VIEW_DECISIONS = "decisions.view"
    VOTE = "decisions.vote"
    RUN_POLLS = "decisions.run"
    # Vote only where the coalition's decision settings let facilitators vote (they stay neutral by default).
    VOTE_IF_ALLOWED = "decisions.vote_if_allowed"
    # A seat on the steering committee: the electorate of polls put to the committee.
    STEERING_SEAT = "decisions.steering_seat"
    # A voice in the coalition: give feedback, tell a story of change, answer member surveys.
    GIVE_FEEDBACK = "learn.give_feedback"
    TELL_STORY = "learn.tell_story"
    ANSWER_SURVEY = "learn.answer_survey"
    # Listening: read the feedback inbox, handle it (triage, answer, close), run member surveys, read their
    # aggregate results (never below the coalition's minimum number of answers).
    VIEW_FEEDBACK = "feedback.view"
    HANDLE_FEEDBACK = "feedback.handle"
    RUN_SURVEYS = "feedback.run_surveys"
    VIEW_SURVEY_RESULTS = "feedback.view_results"
    # Learning: read pauses, adaptations, stories and outcomes; run them (hold pauses, apply adaptations,
    # selection rounds, outcome records).
    VIEW_LEARNING = "learning.view"
    RUN_LEARNING = "learning.run"
    # Funding: read the fund and every step of its calls; keep the ledger and run calls; submit proposals;
    # review proposals one is assigned to.
    VIEW_FUNDING = "funding.view"
    MANAGE_FUND = "funding.manage"
    PROPOSE_FUNDING = "funding.propose"
    REVIEW_PROPOSALS = "funding.review"
    # Cohesion and sustainability: read cohesion and health checks; run checks; answer them; keep the plan.
    VIEW_COHESION = "cohesion.view"
    RUN_HEALTH_CHECK = "cohesion.run"
    ANSWER_HEALTH_CHECK = "cohesion.answer"
    PLAN_SUSTAINABILITY = "cohesion.plan"
    # Choose what the coalition's public page shows.
    MANAGE_PUBLIC_PAGE = "public.manage"


_VOICE = {Perm.GIVE_FEEDBACK, Perm.TELL_STORY, Perm.ANSWER_SURVEY}
_READ = {
    Perm.VIEW,
    Perm.VIEW_MEMBERS,
    Perm.VIEW_STAKEHOLDERS,
    Perm.VIEW_MEASUREMENT,
    Perm.VIEW_NETWORK,
    Perm.VIEW_PLANNING,
    Perm.VIEW_MEETINGS,
    Perm.VIEW_DECISIONS,
    Perm.VIEW_SURVEY_RESULTS,
    Perm.VIEW_LEARNING,
    Perm.VIEW_FUNDING,
    Perm.VIEW_COHESION,
}
_PARTICIPATE = (
    _READ
    | _VOICE
    | {
        Perm.ENTER_OWN_DATA,
        Perm.SIGN_CHARTER,
        Perm.CODESIGN_IN_GROUP,
        Perm.PROPOSE_PRIORITY,
        Perm.VOTE_PRIORITY,
        Perm.EDIT_ACTIONS,
        Perm.PROPOSE_AGENDA_ITEM,
        Perm.VOTE,
        Perm.PROPOSE_FUNDING,
        Perm.REVIEW_PROPOSALS,
        Perm.ANSWER_HEALTH_CHECK,
    }
)

ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    Role.HUB: frozenset(Perm),
    # Facilitators steer the process but stay neutral: they do not vote on priorities nor in polls by default,
    # nor seek money from the pooled fund.
    Role.FACILITATOR: frozenset(
        set(Perm)
        - {Perm.VOTE_PRIORITY, Perm.VOTE, Perm.STEERING_SEAT, Perm.ENTER_ANY_DATA, Perm.APPROVE_DATA, Perm.MANAGE_HUBS}
        - {Perm.PROPOSE_FUNDING}
    ),
    Role.CONVENER: frozenset(_PARTICIPATE | {Perm.EDIT_STAKEHOLDERS}),
    Role.STEERING: frozenset(
        _PARTICIPATE | {Perm.EDIT_AGENDA, Perm.EDIT_STAKEHOLDERS, Perm.STEERING_SEAT, Perm.PLAN_SUSTAINABILITY}
    ),
    Role.MEMBER: frozenset(_PARTICIPATE),
    Role.OBSERVER: frozenset(_READ),
    Role.FUNDER: frozenset(
        {Perm.VIEW, Perm.VIEW_MEMBERS, Perm.VIEW_MEASUREMENT, Perm.VIEW_FUNDING, Perm.VIEW_COHESION}
    ),
    Role.RESIDENT: frozenset({Perm.VIEW} | _VOICE),
}


# Whoever holds one of these changes members, roles or settings: in production they give a one-time code.
NEEDS_TWO_STEP: frozenset[Perm] = frozenset({Perm.MANAGE_MEMBERS, Perm.MANAGE_HUBS, Perm.CHANGE_SETTINGS})


def roles_holding(perm: Perm) -> list[str]:
    """The roles that grant ``perm`` (to find, say, every membership that may vote)."""
    return sorted(role for role, perms in ROLE_PERMISSIONS.items() if perm in perms)


def permissions_for_roles(roles: Iterable[str]) -> frozenset[Perm]:
    """Union of the permissions of ``roles``; unknown roles grant nothing."""
    granted: set[Perm] = set()
    for role in roles:
        granted |= ROLE_PERMISSIONS.get(role, frozenset())
    return frozenset(granted)
