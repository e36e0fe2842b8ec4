"""Joint action screens: plans, actions and commitments, member activities, who does what where, and the
launch workplan. Views are thin: they parse forms, check ``rules`` and call ``actions``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from coalition.coalitions.access import Access, coalition_view, scoped_get
from coalition.coalitions.actions import StaleVersion
from coalition.core import extensions
from coalition.core.forms import Outcome, initial_from, run_action, run_action_message
from coalition.core.permissions import Perm
from coalition.core.tabular import csv_response
from coalition.joint_action import actions, calc, queries, rules
from coalition.joint_action.forms import (
    ActionForm,
    ActivityTypeForm,
    ContributionForm,
    MemberActivityEditForm,
    MemberActivityForm,
    ObjectiveForm,
    PeriodForm,
    PlanEditForm,
    PlanForm,
    TaskForm,
    WorkplanStartForm,
)
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
from coalition.stakeholders.models import Stakeholder

# Where an action was agreed (a meeting, for instance): the apps that record it add the link (``core.extensions``).
ACTION_ORIGIN = "joint_action.action_origin"


def _warn_overlaps(request: HttpRequest, found: list[queries.Entry]) -> None:
    if found:
        messages.warning(
            request,
            ngettext(
                "Saved. Possible duplication: %(count)d other activity of the same type runs at the same place "
                "over overlapping dates. See the list below.",
                "Saved. Possible duplication: %(count)d other activities of the same type run at the same place "
                "over overlapping dates. See the list below.",
                len(found),
            )
            % {"count": len(found)},
        )


def _place_context(access: Access) -> dict[str, Any]:
    return {"place_options": access.coalition.place_list}


# ------------------------------------------------------------------------------------------------- plans


@coalition_view(Perm.VIEW_PLANNING)
def plans(request: HttpRequest, access: Access) -> HttpResponse:
    coalition = access.coalition
    show_archived = request.GET.get("archived") == "1"
    qs = JointActionPlan.objects.filter(coalition=coalition, is_archived=show_archived).annotate(
        action_count=Count("actions", distinct=True),
        done_count=Count("actions", filter=Q(actions__status=Action.Status.DONE), distinct=True),
        objective_count=Count("objectives", distinct=True),
    )
    return render(
        request,
        "joint_action/plans.html",
        {
            "plans": qs,
            "show_archived": show_archived,
            "can_manage": rules.can_manage(access),
            "has_types": ActivityType.objects.filter(coalition=coalition).exists(),
            "plan_count": queries.joint_plan_count(coalition),
            "completed_count": queries.completed_joint_action_count(coalition),
            "resources": queries.resources_mobilised(coalition),
            "own_organisation": access.membership.organisation,
        },
    )


@coalition_view(Perm.MANAGE_ACTIONS)
def plan_new(request: HttpRequest, access: Access) -> HttpResponse:
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = run_action(form, actions.do_save_plan, request.user, access.coalition, **form.cleaned_data)
        if saved:
            messages.success(request, _("Plan created. Add its objectives, then its actions."))
            return redirect("joint_action:plan", access.coalition.pk, saved.value.pk)
    return render(request, "joint_action/plan_form.html", {"form": form, "plan": None})


@coalition_view(Perm.MANAGE_ACTIONS)
def plan_edit(request: HttpRequest, access: Access, plan_id: int) -> HttpResponse:
    plan = scoped_get(access, JointActionPlan, pk=plan_id)
    initial = initial_from(plan, actions.PLAN_FIELDS)
    form = PlanEditForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and run_action(form, actions.do_save_plan, request.user, access.coalition, plan=plan, **form.cleaned_data)
    ):
        messages.success(request, _("Plan saved."))
        return redirect("joint_action:plan", access.coalition.pk, plan.pk)
    return render(request, "joint_action/plan_form.html", {"form": form, "plan": plan})


@coalition_view(Perm.VIEW_PLANNING)
def plan_detail(request: HttpRequest, access: Access, plan_id: int) -> HttpResponse:
    plan = scoped_get(access, JointActionPlan, pk=plan_id)
    today = timezone.localdate()
    plan_actions = list(
        plan.actions.select_related("lead", "activity_type", "objective").prefetch_related("contributions__member")
    )
    groups = [
        (objective, [a for a in plan_actions if a.objective_id == objective.pk])
        for objective in plan.objectives.select_related("priority")
    ]
    unassigned = [a for a in plan_actions if a.objective_id is None]
    return render(
        request,
        "joint_action/plan_detail.html",
        {
            "plan": plan,
            "groups": groups,
            "unassigned": unassigned,
            "today": today,
            "follow_through": queries.member_follow_through(plan_actions, today),
            "can_manage": rules.can_manage(access),
            "can_create": rules.can_create_actions(access),
            "objective_form": ObjectiveForm(coalition=access.coalition),
            "has_types": ActivityType.objects.filter(coalition=access.coalition).exists(),
        },
    )


@require_POST
@coalition_view(Perm.MANAGE_ACTIONS)
def objective_new(request: HttpRequest, access: Access, plan_id: int) -> HttpResponse:
    plan = scoped_get(access, JointActionPlan, pk=plan_id)
    form = ObjectiveForm(request.POST, coalition=access.coalition)
    if form.is_valid():
        if run_action_message(request, actions.do_save_objective, request.user, plan, **form.cleaned_data):
            messages.success(request, _("Objective added."))
    else:
        messages.error(request, _("Write the objective before adding it."))
    return redirect("joint_action:plan", access.coalition.pk, plan.pk)


@coalition_view(Perm.MANAGE_ACTIONS)
def objective_edit(request: HttpRequest, access: Access, objective_id: int) -> HttpResponse:
    objective = scoped_get(access, Objective.objects.select_related("plan"), pk=objective_id)
    form = ObjectiveForm(
        request.POST or None,
        coalition=access.coalition,
        initial={"text": objective.text, "priority": objective.priority_id},
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and run_action(
            form, actions.do_save_objective, request.user, objective.plan, objective=objective, **form.cleaned_data
        )
    ):
        messages.success(request, _("Objective saved."))
        return redirect("joint_action:plan", access.coalition.pk, objective.plan_id)
    return render(request, "joint_action/objective_form.html", {"form": form, "objective": objective})


# ----------------------------------------------------------------------------------------------- actions


def _own_organisation(members: QuerySet[Stakeholder], access: Access) -> QuerySet[Stakeholder]:
    """Only the organisation the person speaks for; none if they take part on their own behalf."""
    return members.none() if access.organisation_id is None else members.filter(pk=access.organisation_id)


def _lead_choices(access: Access) -> Any:
    members = queries.member_organisations(access.coalition)
    if rules.can_manage(access):
        return members
    return _own_organisation(members, access)


@coalition_view(Perm.EDIT_ACTIONS, rules=(rules.FOR_OWN_ORGANISATION,))
def action_new(request: HttpRequest, access: Access, plan_id: int) -> HttpResponse:
    plan = scoped_get(access, JointActionPlan, pk=plan_id)
    leads = _lead_choices(access)
    initial: dict[str, Any] = {"status": Action.Status.PLANNED}
    if not rules.can_manage(access):
        initial["lead"] = access.organisation_id
    if request.GET.get("objective"):
        initial["objective"] = request.GET["objective"]
    form = ActionForm(request.POST or None, plan=plan, leads=leads, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = form.action_fields()
        created = run_action(form, actions.do_create_action, request.user, plan, **fields)
        if created:
            action = created.value
            found = queries.overlaps_for_action(action)
            _warn_overlaps(request, found)
            if not found:
                messages.success(request, _("Action added."))
            return redirect("joint_action:action", access.coalition.pk, action.pk)
    return render(
        request,
        "joint_action/action_form.html",
        {"form": form, "plan": plan, "action": None, **_place_context(access)},
    )


@coalition_view(Perm.VIEW_PLANNING)
def action_detail(request: HttpRequest, access: Access, action_id: int) -> HttpResponse:
    action = scoped_get(
        access, Action.objects.select_related("plan", "objective", "lead", "activity_type"), pk=action_id
    )
    contributions = list(action.contributions.select_related("member"))
    members = _contributors(access, action)
    own = next((c for c in contributions if c.member_id == access.organisation_id), None)
    contribution_form = (
        ContributionForm(
            members=members,
            initial={
                "member": access.organisation_id,
                **({"amount": own.amount, "currency": own.currency, "in_kind": own.in_kind} if own else {}),
            },
        )
        if members.exists()
        else None
    )
    return render(
        request,
        "joint_action/action_detail.html",
        {
            "action": action,
            "contributions": [(c, rules.can_set_contribution(access, action, c.member_id)) for c in contributions],
            "overlaps": queries.overlaps_for_action(action),
            "can_edit": rules.can_edit_action(access, action),
            "contribution_form": contribution_form,
            "today": timezone.localdate(),
            "origins": extensions.links(ACTION_ORIGIN, action),
        },
    )


@coalition_view(Perm.EDIT_ACTIONS, rules=(rules.LEADS_ACTION,))
def action_edit(request: HttpRequest, access: Access, action_id: int) -> HttpResponse:
    action = scoped_get(access, Action.objects.select_related("plan"), pk=action_id)
    leads = _lead_choices(access)
    initial = {**initial_from(action, actions.ACTION_FIELDS), "version": action.version}
    form = ActionForm(request.POST or None, plan=action.plan, leads=leads, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        fields = form.action_fields()
        updated: Outcome[Action] | None = None
        try:
            updated = run_action(
                form,
                actions.do_update_action,
                request.user,
                action,
                expected_version=form.cleaned_data.get("version"),
                **fields,
            )
        except StaleVersion:
            status = 409
            form.add_error(
                None,
                _("Someone else saved this action while you were editing it. Reload the page to see their changes."),
            )
        if updated:
            action = updated.value
            found = queries.overlaps_for_action(action)
            _warn_overlaps(request, found)
            if not found:
                messages.success(request, _("Action saved."))
            return redirect("joint_action:action", access.coalition.pk, action.pk)
    return render(
        request,
        "joint_action/action_form.html",
        {"form": form, "plan": action.plan, "action": action, **_place_context(access)},
        status=status,
    )


def _contributors(access: Access, action: Action) -> Any:
    """The organisations whose contribution to ``action`` this person may set (``can_set_contribution``)."""
    members = queries.member_organisations(access.coalition)
    if rules.can_edit_action(access, action):
        return members
    if access.organisation_id is not None and rules.can_act_for(access, access.organisation_id):
        return members.filter(pk=access.organisation_id)
    return members.none()


@require_POST
@coalition_view(Perm.EDIT_ACTIONS)
def contribution_set(request: HttpRequest, access: Access, action_id: int) -> HttpResponse:
    action = scoped_get(access, Action, pk=action_id)
    form = ContributionForm(request.POST, members=_contributors(access, action))
    if form.is_valid():
        member = form.cleaned_data["member"]
        if run_action_message(
            request,
            actions.do_set_contribution,
            request.user,
            action,
            member,
            amount=form.cleaned_data["amount"],
            currency=form.cleaned_data["currency"],
            in_kind=form.cleaned_data["in_kind"],
        ):
            messages.success(request, _("Commitment recorded for %(member)s.") % {"member": member.name})
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("joint_action:action", access.coalition.pk, action.pk)


@require_POST
@coalition_view(Perm.EDIT_ACTIONS, rules=(rules.OWN_CONTRIBUTION,))
def contribution_remove(request: HttpRequest, access: Access, contribution_id: int) -> HttpResponse:
    contribution = scoped_get(access, Contribution.objects.select_related("action", "member"), pk=contribution_id)
    actions.do_remove_contribution(request.user, contribution)
    messages.success(
        request, _("%(member)s no longer contributes to this action.") % {"member": contribution.member.name}
    )
    return redirect("joint_action:action", access.coalition.pk, contribution.action_id)


# ----------------------------------------------------------------------------------------- commitments


@coalition_view(Perm.VIEW_PLANNING)
def commitments(request: HttpRequest, access: Access) -> HttpResponse:
    """Your organisation's commitments, or a list of members to choose from."""
    if access.organisation_id is not None:
        return redirect("joint_action:member_commitments", access.coalition.pk, access.organisation_id)
    today = timezone.localdate()
    rows = []
    for member in queries.member_organisations(access.coalition):
        rows.append((member, queries.member_follow_through(queries.actions_of_member(access.coalition, member), today)))
    return render(request, "joint_action/commitments_index.html", {"rows": rows})


@coalition_view(Perm.VIEW_PLANNING)
def member_commitments(request: HttpRequest, access: Access, member_id: int) -> HttpResponse:
    member = scoped_get(access, Stakeholder, pk=member_id)
    today = timezone.localdate()
    member_actions = list(queries.actions_of_member(access.coalition, member).prefetch_related("contributions"))
    rows = [
        (a, a.lead_id == member.pk, next((c for c in a.contributions.all() if c.member_id == member.pk), None))
        for a in member_actions
    ]
    return render(
        request,
        "joint_action/member_commitments.html",
        {
            "member": member,
            "rows": rows,
            "today": today,
            "follow_through": queries.member_follow_through(member_actions, today),
            "activities": MemberActivity.objects.filter(
                coalition=access.coalition, member=member, is_archived=False
            ).select_related("activity_type"),
            "is_own": member.pk == access.organisation_id,
            "members": queries.member_organisations(access.coalition),
        },
    )


# -------------------------------------------------------------------------------------- activity types


@coalition_view(Perm.VIEW_PLANNING, write=Perm.MANAGE_ACTIONS)
def activity_types(request: HttpRequest, access: Access) -> HttpResponse:
    form = ActivityTypeForm(request.POST or None)
    if request.method == "POST":
        if "suggested" in request.POST:
            added = actions.do_add_suggested_activity_types(request.user, access.coalition)
            messages.success(
                request,
                ngettext("%(n)d activity type added.", "%(n)d activity types added.", len(added)) % {"n": len(added)},
            )
            return redirect("joint_action:activity_types", access.coalition.pk)
        if form.is_valid() and run_action(
            form, actions.do_add_activity_type, request.user, access.coalition, form.cleaned_data["name"]
        ):
            messages.success(request, _("Activity type added."))
            return redirect("joint_action:activity_types", access.coalition.pk)
    types = ActivityType.objects.filter(coalition=access.coalition).annotate(
        action_count=Count("actions", distinct=True), activity_count=Count("member_activities", distinct=True)
    )
    return render(
        request,
        "joint_action/activity_types.html",
        {"types": types, "form": form, "can_manage": rules.can_manage(access)},
    )


# ---------------------------------------------------------------------------------- member activities


def _activity_members(access: Access) -> Any:
    members = queries.member_organisations(access.coalition)
    return members if rules.can_manage(access) else _own_organisation(members, access)


@coalition_view(Perm.VIEW_PLANNING)
def activities(request: HttpRequest, access: Access) -> HttpResponse:
    qs = MemberActivity.objects.filter(coalition=access.coalition, is_archived=False).select_related(
        "member", "activity_type"
    )
    return render(
        request,
        "joint_action/activities.html",
        {
            "activities": [(a, rules.can_edit_activity(access, a)) for a in qs],
            "can_record": rules.can_manage(access) or rules.can_act_for(access, access.organisation_id),
        },
    )


@coalition_view(Perm.EDIT_ACTIONS, rules=(rules.FOR_OWN_ORGANISATION,))
def activity_new(request: HttpRequest, access: Access) -> HttpResponse:
    members = _activity_members(access)
    form = MemberActivityForm(
        request.POST or None, coalition=access.coalition, members=members, initial={"member": access.organisation_id}
    )
    if request.method == "POST" and form.is_valid():
        fields = form.activity_fields()
        saved = run_action(form, actions.do_save_member_activity, request.user, access.coalition, **fields)
        if saved:
            activity = saved.value
            found = queries.overlaps_for_activity(activity)
            _warn_overlaps(request, found)
            if not found:
                messages.success(request, _("Activity recorded."))
            return redirect("joint_action:activity", access.coalition.pk, activity.pk)
    return render(
        request, "joint_action/activity_form.html", {"form": form, "activity": None, **_place_context(access)}
    )


@coalition_view(Perm.VIEW_PLANNING)
def activity_detail(request: HttpRequest, access: Access, activity_id: int) -> HttpResponse:
    activity = scoped_get(access, MemberActivity.objects.select_related("member", "activity_type"), pk=activity_id)
    return render(
        request,
        "joint_action/activity_detail.html",
        {
            "activity": activity,
            "overlaps": queries.overlaps_for_activity(activity),
            "can_edit": rules.can_edit_activity(access, activity),
        },
    )


@coalition_view(Perm.EDIT_ACTIONS, rules=(rules.OWN_ACTIVITY,))
def activity_edit(request: HttpRequest, access: Access, activity_id: int) -> HttpResponse:
    activity = scoped_get(access, MemberActivity, pk=activity_id)
    initial = initial_from(activity, actions.ACTIVITY_FIELDS)
    form = MemberActivityEditForm(
        request.POST or None, coalition=access.coalition, members=_activity_members(access), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        saved = run_action(
            form,
            actions.do_save_member_activity,
            request.user,
            access.coalition,
            activity=activity,
            **form.activity_fields(),
        )
        if saved:
            activity = saved.value
            found = queries.overlaps_for_activity(activity)
            _warn_overlaps(request, found)
            if not found:
                messages.success(request, _("Activity saved."))
            return redirect("joint_action:activity", access.coalition.pk, activity.pk)
    return render(
        request, "joint_action/activity_form.html", {"form": form, "activity": activity, **_place_context(access)}
    )


# -------------------------------------------------------------------------------- who does what where


def _default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    return today, today + dt.timedelta(days=90)


@coalition_view(Perm.VIEW_PLANNING)
def who_what_where(request: HttpRequest, access: Access) -> HttpResponse:
    today = timezone.localdate()
    start, end = _default_period(today)
    data = request.GET.copy()
    if "start" not in data and "end" not in data:
        data.update({"start": start.isoformat(), "end": end.isoformat()})
    period = PeriodForm(data)
    if period.is_valid():
        start, end = period.cleaned_data["start"], period.cleaned_data["end"]
    grid = queries.who_what_where(access.coalition, start, end)
    if request.GET.get("format") == "csv":
        return csv_response(
            "who-does-what-where.csv",
            [_("Place"), _("Activity type"), _("Member"), _("Kind"), _("Title"), _("Starts"), _("Ends"), _("Cell")],
            queries.who_what_where_rows(grid),
        )
    query = data.urlencode() if period.is_valid() else ""
    return render(
        request,
        "joint_action/who_what_where.html",
        {
            "grid": grid,
            "period": period,
            "start": start,
            "end": end,
            "csv_url": reverse("joint_action:who_what_where", args=[access.coalition.pk]) + "?format=csv&" + query,
        },
    )


# ------------------------------------------------------------------------------------- launch workplan


@coalition_view(Perm.VIEW_PLANNING)
def workplan(request: HttpRequest, access: Access) -> HttpResponse:
    today = timezone.localdate()
    plan = LaunchWorkplan.objects.filter(coalition=access.coalition).first()
    can_manage = access.can(Perm.MANAGE_WORKPLAN)
    if plan is None:
        start = (
            access.coalition.starts_on if access.coalition.starts_on and access.coalition.starts_on > today else today
        )
        return render(
            request,
            "joint_action/workplan_empty.html",
            {"form": WorkplanStartForm(initial={"starts_on": start}), "can_manage": can_manage},
        )
    tasks = list(plan.tasks.filter(is_removed=False))
    # Dates saved before the coalition's window applied are drawn at its edge, so the chart stays bounded.
    window = access.coalition.date_window
    layout = calc.gantt_layout(
        [(t, window.clamp(t.starts_on), window.clamp(t.due_on), t.done_on) for t in tasks], today
    )
    phases: list[list[tuple[WorkplanTask, str]]] = [[] for _ in range(len(calc.PHASES) + 1)]
    for bar in layout.bars:
        phases[calc.launch_phase(plan.starts_on, bar.item.due_on)].append((bar.item, bar.state))
    return render(
        request,
        "joint_action/workplan.html",
        {
            "workplan": plan,
            "layout": layout,
            "chart": _gantt_geometry(layout),
            "phases": [
                (label, items)
                for label, items in zip(
                    (_("Days 1–30"), _("Days 31–60"), _("Days 61–90"), _("After day 90")), phases, strict=True
                )
                if items
            ],
            "done_count": sum(1 for t in tasks if t.done_on),
            "task_count": len(tasks),
            "can_manage": can_manage,
            "today": today,
        },
    )


LABEL_WIDTH, WEEK_WIDTH, ROW_HEIGHT, HEADER_HEIGHT = 190, 44, 28, 40
LABEL_CHARS = 28  # a task's title in the chart's narrow name column (a phone still sees three weeks beside it)


def _gantt_geometry(layout: calc.GanttLayout) -> dict[str, Any]:
    """Pixel positions for the SVG template (the layout itself is computed in ``calc``)."""
    width = max(1, len(layout.weeks)) * WEEK_WIDTH
    height = HEADER_HEIGHT + len(layout.bars) * ROW_HEIGHT + 8
    today_x = None
    if layout.today_week is not None and layout.today_offset is not None:
        today_x = round((layout.today_week + float(layout.today_offset) + 1 / 14) * WEEK_WIDTH, 1)
    return {
        "width": width,
        "height": height,
        "weeks": [
            {"x": i * WEEK_WIDTH, "label_x": i * WEEK_WIDTH + WEEK_WIDTH / 2, "number": i + 1, "monday": monday}
            for i, monday in enumerate(layout.weeks)
        ],
        "bars": [
            {
                "task": bar.item,
                "state": bar.state,
                "x": bar.first_week * WEEK_WIDTH + 2,
                "y": HEADER_HEIGHT + bar.row * ROW_HEIGHT + 5,
                "width": (bar.last_week - bar.first_week + 1) * WEEK_WIDTH - 4,
                "row_y": HEADER_HEIGHT + bar.row * ROW_HEIGHT,
            }
            for bar in layout.bars
        ],
        "bar_height": ROW_HEIGHT - 10,
        "row_height": ROW_HEIGHT,
        "header_height": HEADER_HEIGHT,
        "label_width": LABEL_WIDTH,
        "label_chars": LABEL_CHARS,
        "today_x": today_x,
    }


@require_POST
@coalition_view(Perm.MANAGE_WORKPLAN)
def workplan_start(request: HttpRequest, access: Access) -> HttpResponse:
    form = WorkplanStartForm(request.POST)
    if form.is_valid():
        if run_action_message(
            request, actions.do_start_workplan, request.user, access.coalition, form.cleaned_data["starts_on"]
        ):
            messages.success(request, _("The 90-day launch workplan is ready. Adapt it to your coalition."))
    else:
        messages.error(request, _("Give the first day of the launch."))
    return redirect("joint_action:workplan", access.coalition.pk)


@require_POST
@coalition_view(Perm.MANAGE_WORKPLAN)
def task_tick(request: HttpRequest, access: Access, task_id: int) -> HttpResponse:
    task = scoped_get(access, WorkplanTask.objects.select_related("workplan"), pk=task_id)
    done = request.POST.get("done") == "1"
    actions.do_tick_task(request.user, task, done)
    messages.success(
        request,
        (_("Ticked off: %(task)s") if done else _("Reopened: %(task)s")) % {"task": task.title},
    )
    return redirect(reverse("joint_action:workplan", args=[access.coalition.pk]) + f"#task-{task.pk}")


def _task_form_view(request: HttpRequest, access: Access, task: WorkplanTask | None) -> HttpResponse:
    plan = LaunchWorkplan.objects.filter(coalition=access.coalition).first()
    if plan is None:
        messages.info(request, _("Start the launch workplan first."))
        return redirect("joint_action:workplan", access.coalition.pk)
    initial = initial_from(task, (name for name in actions.TASK_FIELDS if name != "is_removed")) if task else {}
    form = TaskForm(request.POST or None, initial=initial)
    if request.method == "POST" and "remove" in request.POST and task is not None:
        actions.do_save_task(request.user, plan, task=task, is_removed=True)
        messages.success(request, _("Task removed from the workplan."))
        return redirect("joint_action:workplan", access.coalition.pk)
    if (
        request.method == "POST"
        and form.is_valid()
        and run_action(form, actions.do_save_task, request.user, plan, task=task, **form.cleaned_data)
    ):
        messages.success(request, _("Task saved."))
        return redirect("joint_action:workplan", access.coalition.pk)
    return render(request, "joint_action/task_form.html", {"form": form, "task": task})


@coalition_view(Perm.MANAGE_WORKPLAN)
def task_new(request: HttpRequest, access: Access) -> HttpResponse:
    return _task_form_view(request, access, None)


@coalition_view(Perm.MANAGE_WORKPLAN)
def task_edit(request: HttpRequest, access: Access, task_id: int) -> HttpResponse:
    task = scoped_get(access, WorkplanTask, pk=task_id, is_removed=False)
    return _task_form_view(request, access, task)
