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
    # Learning (its screens come in a later release; the resident role holds these already)
    GIVE_FEEDBACK = "learn.give_feedback"
    TELL_STORY = "learn.tell_story"
    ANSWER_SURVEY = "learn.answer_survey"


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
    }
)

ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    Role.HUB: frozenset(Perm),
    # Facilitators steer the process but stay neutral: they do not vote on priorities nor in polls by default.
    Role.FACILITATOR: frozenset(
        set(Perm)
        - {Perm.VOTE_PRIORITY, Perm.VOTE, Perm.STEERING_SEAT, Perm.ENTER_ANY_DATA, Perm.APPROVE_DATA, Perm.MANAGE_HUBS}
    ),
    Role.CONVENER: frozenset(_PARTICIPATE | {Perm.EDIT_STAKEHOLDERS}),
    Role.STEERING: frozenset(_PARTICIPATE | {Perm.EDIT_AGENDA, Perm.EDIT_STAKEHOLDERS, Perm.STEERING_SEAT}),
    Role.MEMBER: frozenset(_PARTICIPATE),
    Role.OBSERVER: frozenset(_READ),
    Role.FUNDER: frozenset({Perm.VIEW, Perm.VIEW_MEMBERS, Perm.VIEW_MEASUREMENT}),
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
