"""Joint action's part of "what needs me", its daily reminders and its steps of the cycle
(registered in ``JointActionConfig.ready``).

An action is a commitment of its lead member and of every member contributing to it; it is "due soon" from
``SOON_DAYS`` before its due date and overdue after it, until it is done or dropped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db.models import Exists, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coalition.coalitions.models import Coalition, Membership
from coalition.core.permissions import Perm
from coalition.joint_action.models import Action, Contribution, JointActionPlan, WorkplanTask
from coalition.notifications.events import raise_event
from coalition.notifications.registry import EventType, Payload, declare
from coalition.notifications.todos import Seat, Step, Todo, seats_with, url_stamper

SOON_DAYS = 7
OPEN = (Action.Status.PLANNED, Action.Status.UNDER_WAY)
COMMITMENT_DUE = "joint_action.commitment_due"
COMMITMENT_OVERDUE = "joint_action.commitment_overdue"


def _committed(coalition_id: int, organisation_id: int) -> Q:
    contributed = Contribution.objects.filter(coalition_id=coalition_id, member_id=organisation_id).values("action_id")
    return Q(coalition_id=coalition_id) & (Q(lead_id=organisation_id) | Q(pk__in=contributed))


def commitments_due(user: Any, seats: Sequence[Seat], today: dt.date) -> list[Todo]:
    """Open actions the person's organisation leads or contributes to, due within a week or overdue."""
    mine = Q()
    for seat in seats_with(seats, Perm.EDIT_ACTIONS):
        if seat.organisation_id:
            mine |= _committed(seat.coalition_id, seat.organisation_id)
    if not mine:
        return []
    rows = Action.objects.filter(mine, status__in=OPEN, due_on__lte=today + dt.timedelta(days=SOON_DAYS)).values_list(
        "pk", "coalition_id", "title", "due_on"
    )
    label, url = _("Complete the action “%(title)s”"), url_stamper("joint_action:action", "action_id")
    return [
        Todo(
            coalition_id,
            "joint_action.commitment",
            label % {"title": title},
            url(pk, coalition_id=coalition_id),
            due_on=due_on,
            overdue=due_on < today,
        )
        for pk, coalition_id, title, due_on in rows
    ]


def workplan_tasks_due(user: Any, seats: Sequence[Seat], today: dt.date) -> list[Todo]:
    """Launch workplan tasks not done, due within a week or overdue, for those who run the workplan."""
    managers = [s.coalition_id for s in seats_with(seats, Perm.MANAGE_WORKPLAN)]
    if not managers:
        return []
    rows = WorkplanTask.objects.filter(
        coalition_id__in=managers,
        done_on__isnull=True,
        is_removed=False,
        due_on__lte=today + dt.timedelta(days=SOON_DAYS),
    ).values_list("coalition_id", "title", "due_on")
    return [
        Todo(
            coalition_id,
            "joint_action.workplan_task",
            _("Launch workplan: %(title)s") % {"title": title},
            reverse("joint_action:workplan", kwargs={"coalition_id": coalition_id}),
            due_on=due_on,
            overdue=due_on < today,
        )
        for coalition_id, title, due_on in rows
    ]


def act_steps(coalition_id: int) -> list[Step]:
    facts = Coalition.objects.filter(pk=coalition_id).values(
        plan=Exists(JointActionPlan.objects.filter(coalition_id=coalition_id)),
        done=Exists(Action.objects.filter(coalition_id=coalition_id, status=Action.Status.DONE)),
    )
    if not facts:
        return []
    plans = reverse("joint_action:plans", kwargs={"coalition_id": coalition_id})
    return [
        Step("act", _("Joint action plan agreed"), bool(facts[0]["plan"]), plans),
        Step("act", _("First joint action completed"), bool(facts[0]["done"]), plans),
    ]


# --- Reminders (the daily task) ----------------------------------------------------------------------------------


def _committed_people(payload: Payload) -> list[int]:
    """The active people of the lead member and of every contributing member."""
    action = Action.objects.get(pk=payload["action_id"])
    organisations = {action.lead_id, *action.contributions.values_list("member_id", flat=True)}
    return list(
        Membership.objects.filter(
            coalition_id=action.coalition_id, organisation_id__in=organisations, is_active=True
        ).values_list("user_id", flat=True)
    )


def declare_all() -> None:
    declare(
        EventType(
            COMMITMENT_DUE,
            gettext_lazy("A commitment is due soon"),
            gettext_lazy("%(coalition)s: “%(title)s” is due on %(due_on)s"),
            gettext_lazy("The joint action “%(title)s” your organisation committed to is due on %(due_on)s."),
            _committed_people,
        )
    )
    declare(
        EventType(
            COMMITMENT_OVERDUE,
            gettext_lazy("A commitment is overdue"),
            gettext_lazy("%(coalition)s: “%(title)s” is overdue"),
            gettext_lazy(
                "The joint action “%(title)s” was due on %(due_on)s and is not marked done. Update its status "
                "or tell the hub what is in the way."
            ),
            _committed_people,
        )
    )


def remind_commitments(today: dt.date) -> int:
    """Raise "due soon" once for each open action entering its last week, "overdue" once after its due date."""
    raised = 0
    rows = Action.objects.filter(status__in=OPEN, due_on__lte=today + dt.timedelta(days=SOON_DAYS)).select_related(
        "coalition"
    )
    for action in rows:
        name = COMMITMENT_OVERDUE if action.due_on < today else COMMITMENT_DUE
        raised += raise_event(
            name,
            key=f"{name}:{action.pk}:{action.due_on.isoformat()}",
            payload={
                "action_id": action.pk,
                "coalition": action.coalition.name,
                "title": action.title,
                "due_on": action.due_on.isoformat(),
            },
            coalition_id=action.coalition_id,
            url=reverse("joint_action:action", kwargs={"coalition_id": action.coalition_id, "action_id": action.pk}),
        )
    return raised
