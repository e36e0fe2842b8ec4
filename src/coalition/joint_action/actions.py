"""Every change to joint action plans, actions, contributions, member activities and the launch workplan.

Each function validates, saves inside a transaction and writes an audit event. Who may call which function
for which record is decided in ``rules.py`` (views check it before calling).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coalition.coalitions.actions import StaleVersion
from coalition.coalitions.models import Coalition
from coalition.core import audit
from coalition.core.dates import check_dates, check_new_dates
from coalition.joint_action import calc, queries
from coalition.joint_action.models import (
    Action,
    ActivityType,
    Contribution,
    JointActionPlan,
    LaunchWorkplan,
    MemberActivity,
    Objective,
    WorkplanTask,
)
from coalition.planning.models import Priority
from coalition.stakeholders.models import Stakeholder

SUGGESTED_ACTIVITY_TYPES = (
    gettext_lazy("Reading club"),
    gettext_lazy("Homework help"),
    gettext_lazy("Sports"),
    gettext_lazy("Arts and crafts"),
    gettext_lazy("Outreach to families"),
    gettext_lazy("Mentoring"),
    gettext_lazy("Meals and snacks"),
    gettext_lazy("Safe route home"),
)

OBJECTIVE_FIELDS = ("text", "priority_id", "position")
PLAN_FIELDS = ("title", "summary", "starts_on", "ends_on", "is_archived")
ACTION_FIELDS = (
    "objective_id",
    "title",
    "description",
    "activity_type_id",
    "place",
    "lead_id",
    "starts_on",
    "due_on",
    "status",
    "completed_on",
    "dropped_reason",
)
ACTIVITY_FIELDS = ("member_id", "title", "activity_type_id", "place", "starts_on", "ends_on", "notes", "is_archived")
TASK_FIELDS = ("title", "notes", "starts_on", "due_on", "done_on", "is_removed")


def _full_clean(obj: Any, exclude: list[str] | None = None) -> None:
    obj.full_clean(exclude=exclude, validate_constraints=False)


# ------------------------------------------------------------------------------------------ activity types


@transaction.atomic
def do_add_activity_type(actor: Any, coalition: Coalition, name: str) -> ActivityType:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Give the activity type a name.")})
    if ActivityType.objects.filter(coalition=coalition, name__iexact=name).exists():
        raise ValidationError({"name": _("This coalition already has that activity type.")})
    kind = ActivityType(coalition=coalition, name=name)
    _full_clean(kind)
    kind.save()
    audit.record(actor, "activity_type.created", kind, coalition=coalition, after={"name": name})
    return kind


@transaction.atomic
def do_add_suggested_activity_types(actor: Any, coalition: Coalition) -> list[ActivityType]:
    """Add the suggested starter vocabulary (the ones the coalition does not have yet)."""
    existing = {n.casefold() for n in ActivityType.objects.filter(coalition=coalition).values_list("name", flat=True)}
    return [
        do_add_activity_type(actor, coalition, str(name))
        for name in SUGGESTED_ACTIVITY_TYPES
        if str(name).casefold() not in existing
    ]


# ------------------------------------------------------------------------------------------------- plans


def _check_span(start: dt.date | None, end: dt.date | None, end_field: str) -> None:
    if start and end and end < start:
        raise ValidationError({end_field: _("The end date must not come before the start date.")})


@transaction.atomic
def do_save_plan(
    actor: Any, coalition: Coalition, *, plan: JointActionPlan | None = None, **fields: Any
) -> JointActionPlan:
    """Create a joint action plan, or change one (archiving it is reversible)."""
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise ValueError(f"not plan fields: {sorted(unknown)}")
    if plan is not None and plan.coalition_id != coalition.pk:
        raise ValueError("plan of another coalition")
    created = plan is None
    plan = plan or JointActionPlan(coalition=coalition)
    before = None if created else audit.snapshot(plan, PLAN_FIELDS)
    check_new_dates(coalition.date_window, plan, fields, "starts_on", "ends_on")
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.title = " ".join(plan.title.split())
    _check_span(plan.starts_on, plan.ends_on, "ends_on")
    _full_clean(plan)
    duplicate = JointActionPlan.objects.filter(coalition=coalition, title__iexact=plan.title).exclude(pk=plan.pk)
    if duplicate.exists():
        raise ValidationError({"title": _("Another plan already has this title.")})
    plan.save()
    audit.record(
        actor,
        "joint_plan.created" if created else "joint_plan.updated",
        plan,
        coalition=coalition,
        before=before,
        after=audit.snapshot(plan, PLAN_FIELDS),
    )
    return plan


@transaction.atomic
def do_ensure_holder(
    actor: Any, coalition: Coalition, *, title: str, summary: str, activity_type: str
) -> tuple[JointActionPlan, ActivityType]:
    """The plan and activity type that hold actions another app makes (meeting follow-ups, the lines of the
    sustainability plan), found by title and name or made when first needed."""
    plan = JointActionPlan.objects.filter(coalition=coalition, title__iexact=title).first()
    if plan is None:
        plan = do_save_plan(actor, coalition, title=title, summary=summary)
    kind = ActivityType.objects.filter(coalition=coalition, name__iexact=activity_type).first()
    if kind is None:
        kind = do_add_activity_type(actor, coalition, activity_type)
    return plan, kind


@transaction.atomic
def do_save_objective(
    actor: Any,
    plan: JointActionPlan,
    *,
    objective: Objective | None = None,
    text: str,
    priority: Priority | None = None,
    position: int | None = None,
) -> Objective:
    """Add an objective to a plan or change one; ``priority`` links it to a co-design priority."""
    text = " ".join(text.split())
    if not text:
        raise ValidationError({"text": _("Write the objective.")})
    if priority is not None and priority.coalition_id != plan.coalition_id:
        raise ValidationError({"priority": _("Choose one of this coalition's priorities.")})
    created = objective is None
    if objective is not None and objective.plan_id != plan.pk:
        raise ValueError("objective of another plan")
    objective = objective or Objective(coalition_id=plan.coalition_id, plan=plan)
    before = None if created else audit.snapshot(objective, OBJECTIVE_FIELDS)
    objective.text, objective.priority = text, priority
    if position is not None:
        objective.position = position
    elif created:
        objective.position = plan.objectives.count()
    _full_clean(objective)
    objective.save()
    audit.record(
        actor,
        "objective.created" if created else "objective.updated",
        objective,
        coalition=plan.coalition,
        before=before,
        after=audit.snapshot(objective, ["plan_id", *OBJECTIVE_FIELDS]),
    )
    return objective


# ----------------------------------------------------------------------------------------------- actions


def _validate_action(action: Action) -> None:
    """The domain rules of an action, on top of field validation."""
    coalition = action.coalition
    errors: dict[str, str] = {}
    if action.objective_id and not Objective.objects.filter(pk=action.objective_id, plan_id=action.plan_id).exists():
        errors["objective"] = _("Choose an objective of this plan.")
    if not ActivityType.objects.filter(pk=action.activity_type_id, coalition=coalition).exists():
        errors["activity_type"] = _("Choose one of this coalition's activity types.")
    if not queries.member_organisations(coalition).filter(pk=action.lead_id).exists():
        errors["lead"] = _("The lead must be a member organisation of this coalition.")
    action.place = queries.canonical_place(coalition, action.place or "")
    if not action.place:
        errors["place"] = _("Say where the action takes place.")
    if action.starts_on and action.due_on and action.due_on < action.starts_on:
        errors["due_on"] = _("The due date must not come before the start date.")
    action.dropped_reason = action.dropped_reason.strip()
    if action.status == Action.Status.DONE:
        if action.completed_on is None:
            errors["completed_on"] = _("Give the date the action was completed.")
        elif action.completed_on > timezone.localdate():
            errors["completed_on"] = _("The completion date cannot be in the future.")
        elif action.starts_on and action.completed_on < action.starts_on:
            errors["completed_on"] = _("The completion date must not come before the start date.")
    else:
        action.completed_on = None
    if action.status == Action.Status.DROPPED:
        if not action.dropped_reason:
            errors["dropped_reason"] = _("Say why the action was dropped.")
    else:
        action.dropped_reason = ""
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def do_create_action(actor: Any, plan: JointActionPlan, **fields: Any) -> Action:
    """Add an action to a plan. Returns it; ``queries.overlaps_for_action`` tells about possible duplication."""
    unknown = set(fields) - set(ACTION_FIELDS)
    if unknown:
        raise ValueError(f"not action fields: {sorted(unknown)}")
    check_dates(plan.coalition.date_window, **{k: fields.get(k) for k in ("starts_on", "due_on", "completed_on")})
    action = Action(coalition=plan.coalition, plan=plan, created_by=actor, **fields)
    _validate_action(action)
    _full_clean(action, exclude=["coalition", "plan", "created_by"])
    action.save()
    audit.record(actor, "action.created", action, coalition=plan.coalition, after=audit.snapshot(action, ACTION_FIELDS))
    return action


@transaction.atomic
def do_update_action(actor: Any, action: Action, *, expected_version: int | None = None, **fields: Any) -> Action:
    """Change an action. With ``expected_version``, refuse (``StaleVersion``) to overwrite a newer save."""
    unknown = set(fields) - set(ACTION_FIELDS)
    if unknown:
        raise ValueError(f"not action fields: {sorted(unknown)}")
    locked = Action.objects.select_for_update().select_related("coalition").get(pk=action.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleVersion
    check_new_dates(locked.coalition.date_window, locked, fields, "starts_on", "due_on", "completed_on")
    before = audit.snapshot(locked, ACTION_FIELDS)
    for name, value in fields.items():
        setattr(locked, name, value)
    _validate_action(locked)
    _full_clean(locked, exclude=["coalition", "plan", "created_by"])
    locked.version += 1
    locked.save()
    audit.record(
        actor,
        "action.updated",
        locked,
        coalition=locked.coalition,
        before=before,
        after=audit.snapshot(locked, ACTION_FIELDS),
    )
    return locked


def _normalise_money(amount: Decimal | None, currency: str) -> tuple[Decimal | None, str]:
    currency = currency.strip().upper()
    if amount is None:
        if currency:
            raise ValidationError({"amount": _("Give the amount for this currency, or clear the currency.")})
        return None, ""
    if amount < 0:
        raise ValidationError({"amount": _("The amount cannot be negative.")})
    if len(currency) != 3 or not currency.isalpha() or not currency.isascii():
        raise ValidationError({"currency": _("Use the three-letter ISO code of the currency, e.g. EUR or USD.")})
    return amount.quantize(Decimal("0.01")), currency


@transaction.atomic
def do_set_contribution(
    actor: Any,
    action: Action,
    member: Stakeholder,
    *,
    amount: Decimal | None = None,
    currency: str = "",
    in_kind: str = "",
) -> Contribution:
    """Record (or change) what a member commits to an action: money with its currency, in kind, or both."""
    if not queries.member_organisations(action.coalition).filter(pk=member.pk).exists():
        raise ValidationError({"member": _("Only member organisations of this coalition can commit resources.")})
    amount, currency = _normalise_money(amount, currency)
    in_kind = " ".join(in_kind.split())
    contribution = Contribution.objects.filter(action=action, member=member).first()
    created = contribution is None
    contribution = contribution or Contribution(coalition_id=action.coalition_id, action=action, member=member)
    before = None if created else audit.snapshot(contribution, ["amount", "currency", "in_kind"])
    contribution.amount, contribution.currency, contribution.in_kind = amount, currency, in_kind
    _full_clean(contribution, exclude=["coalition", "action", "member"])
    contribution.save()
    audit.record(
        actor,
        "contribution.set",
        contribution,
        coalition=action.coalition,
        before=before,
        after=audit.snapshot(contribution, ["action_id", "member_id", "amount", "currency", "in_kind"]),
    )
    return contribution


@transaction.atomic
def do_remove_contribution(actor: Any, contribution: Contribution) -> None:
    """Withdraw a member from an action (the audit trail keeps what it had committed)."""
    before = audit.snapshot(contribution, ["action_id", "member_id", "amount", "currency", "in_kind"])
    coalition = contribution.action.coalition
    audit.record(actor, "contribution.removed", contribution, coalition=coalition, before=before, after={})
    contribution.delete()


# ------------------------------------------------------------------------------------- member activities


def _validate_activity(activity: MemberActivity) -> None:
    coalition = activity.coalition
    errors: dict[str, str] = {}
    if not queries.member_organisations(coalition).filter(pk=activity.member_id).exists():
        errors["member"] = _("Choose a member organisation of this coalition.")
    if not ActivityType.objects.filter(pk=activity.activity_type_id, coalition=coalition).exists():
        errors["activity_type"] = _("Choose one of this coalition's activity types.")
    activity.place = queries.canonical_place(coalition, activity.place or "")
    if not activity.place:
        errors["place"] = _("Say where the activity takes place.")
    if activity.starts_on and activity.ends_on and activity.ends_on < activity.starts_on:
        errors["ends_on"] = _("The end date must not come before the start date.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def do_save_member_activity(
    actor: Any, coalition: Coalition, *, activity: MemberActivity | None = None, **fields: Any
) -> MemberActivity:
    """Record a member's own activity, or change it (archiving is reversible)."""
    unknown = set(fields) - set(ACTIVITY_FIELDS)
    if unknown:
        raise ValueError(f"not activity fields: {sorted(unknown)}")
    if activity is not None and activity.coalition_id != coalition.pk:
        raise ValueError("activity of another coalition")
    created = activity is None
    activity = activity or MemberActivity(coalition=coalition, recorded_by=actor)
    before = None if created else audit.snapshot(activity, ACTIVITY_FIELDS)
    check_new_dates(coalition.date_window, activity, fields, "starts_on", "ends_on")
    for name, value in fields.items():
        setattr(activity, name, value)
    _validate_activity(activity)
    _full_clean(activity, exclude=["coalition", "recorded_by"])
    activity.save()
    audit.record(
        actor,
        "member_activity.created" if created else "member_activity.updated",
        activity,
        coalition=coalition,
        before=before,
        after=audit.snapshot(activity, ACTIVITY_FIELDS),
    )
    return activity


# --------------------------------------------------------------------------------------- launch workplan


@transaction.atomic
def do_start_workplan(actor: Any, coalition: Coalition, starts_on: dt.date) -> LaunchWorkplan:
    """Create the coalition's 90-day launch workplan from the template, dated from ``starts_on``."""
    if LaunchWorkplan.objects.filter(coalition=coalition).exists():
        raise ValidationError(_("This coalition already has a launch workplan."))
    check_dates(coalition.date_window, starts_on=starts_on)
    workplan = LaunchWorkplan.objects.create(coalition=coalition, starts_on=starts_on)
    tasks = []
    for template in calc.LAUNCH_TEMPLATE:
        start, due = calc.template_dates(starts_on, template)
        tasks.append(
            WorkplanTask(coalition=coalition, workplan=workplan, title=str(template.title), starts_on=start, due_on=due)
        )
    WorkplanTask.objects.bulk_create(tasks)
    audit.record(
        actor,
        "workplan.started",
        workplan,
        coalition=coalition,
        after={"starts_on": starts_on.isoformat(), "tasks": len(tasks)},
    )
    return workplan


@transaction.atomic
def do_save_task(
    actor: Any, workplan: LaunchWorkplan, *, task: WorkplanTask | None = None, **fields: Any
) -> WorkplanTask:
    """Add a task to the workplan or change one (title, notes, dates, done date, removed)."""
    unknown = set(fields) - set(TASK_FIELDS)
    if unknown:
        raise ValueError(f"not task fields: {sorted(unknown)}")
    if task is not None and task.workplan_id != workplan.pk:
        raise ValueError("task of another workplan")
    created = task is None
    task = task or WorkplanTask(coalition_id=workplan.coalition_id, workplan=workplan)
    before = None if created else audit.snapshot(task, TASK_FIELDS)
    check_new_dates(workplan.coalition.date_window, task, fields, "starts_on", "due_on", "done_on")
    for name, value in fields.items():
        setattr(task, name, value)
    task.title = " ".join((task.title or "").split())
    _check_span(task.starts_on, task.due_on, "due_on")
    if task.done_on and task.done_on > timezone.localdate():
        raise ValidationError({"done_on": _("The date it was done cannot be in the future.")})
    _full_clean(task, exclude=["coalition", "workplan", "done_by"])
    if task.done_on is None:
        task.done_by = None
    elif before is None or before.get("done_on") is None:
        task.done_by = actor
    task.save()
    audit.record(
        actor,
        "workplan_task.created" if created else "workplan_task.updated",
        task,
        coalition=workplan.coalition,
        before=before,
        after=audit.snapshot(task, TASK_FIELDS),
    )
    return task


def do_tick_task(actor: Any, task: WorkplanTask, done: bool) -> WorkplanTask:
    """Tick a task off (done today) or untick it."""
    return do_save_task(actor, task.workplan, task=task, done_on=timezone.localdate() if done else None)
