"""Cohesion screens: computed indicators and their records, the health check, the sustainability plan."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from coalition.coalitions.access import Access, coalition_view, scoped_get
from coalition.cohesion import actions, queries, records, results
from coalition.cohesion.computations import CATALOGUE
from coalition.cohesion.factors import BAND_LABELS
from coalition.cohesion.forms import (
    AnswerForm,
    DecisionForm,
    LinkActionForm,
    MakeActionForm,
    PlanItemForm,
    StartCheckForm,
)
from coalition.cohesion.models import HealthAnswer, HealthCheck, PlanItem, PlanVersion, SustainabilityPlan
from coalition.core.forms import render_form, run_action, run_action_message, submitted
from coalition.core.permissions import Perm
from coalition.measurement import actions as measurement_actions
from coalition.measurement import charts
from coalition.measurement.computed import computation

MAX_DAYS = 400  # a records page covers at most about a year


@coalition_view(Perm.VIEW_COHESION, write=Perm.DEFINE_INDICATORS)
def indicators(request: HttpRequest, access: Access) -> HttpResponse:
    """The cohesion figures of the guide: add one as an indicator, refresh them all from the records."""
    if request.method == "POST":
        key = request.POST.get("key", "")
        if request.POST.get("refresh"):
            done = run_action_message(
                request, measurement_actions.do_refresh_all_computed, access.coalition, request.user
            )
            if done:
                messages.success(request, _("Every computed indicator was recomputed from the records."))
        elif key in {entry.key for entry in CATALOGUE}:
            added = run_action_message(
                request, measurement_actions.do_add_computed_indicator, access.coalition, key, request.user
            )
            if added:
                messages.success(request, _("“%(name)s” is now an indicator.") % {"name": added.value.name})
        return redirect("cohesion:indicators", access.coalition.pk)
    return TemplateResponse(
        request,
        "cohesion/indicators.html",
        {"rows": queries.catalogue(access.coalition), "can_define": access.can(Perm.DEFINE_INDICATORS)},
    )


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


@require_safe
@coalition_view(Perm.VIEW_COHESION)
def records_page(request: HttpRequest, access: Access) -> HttpResponse:
    """What one period's figure counts, record by record."""
    key = request.GET.get("key", "")
    first, last = _date(request.GET.get("first", "")), _date(request.GET.get("last", ""))
    found = computation(key)
    listed = None
    if found is not None and first and last and first <= last and (last - first).days <= MAX_DAYS:
        listed = records.records(access.coalition, key, first, last)
    if found is None or first is None or last is None or listed is None:
        return TemplateResponse(request, "cohesion/records_unknown.html", {}, status=400)
    value = found.compute(access.coalition, first, last)
    return TemplateResponse(
        request,
        "cohesion/records.html",
        {"computation": found, "first": first, "last": last, "records": listed, "value": value},
    )


# --- Health check -------------------------------------------------------------------------------------


@coalition_view(Perm.VIEW_COHESION, write=Perm.RUN_HEALTH_CHECK)
def health(request: HttpRequest, access: Access) -> HttpResponse:
    """The health checks held, and a form to start one."""
    form = StartCheckForm(request.POST or None)
    if submitted(request, form):
        started = run_action(form, actions.do_start_health_check, access, title=form.cleaned_data["title"])
        if started:
            return redirect("cohesion:health_check", access.coalition.pk, started.value.pk)
    checks = HealthCheck.objects.filter(coalition=access.coalition)
    return render_form(
        request,
        "cohesion/health.html",
        {"form": form, "checks": checks, "can_run": access.can(Perm.RUN_HEALTH_CHECK)},
    )


@coalition_view(Perm.VIEW_COHESION, write=Perm.ANSWER_HEALTH_CHECK)
def health_check(request: HttpRequest, access: Access, check_id: int) -> HttpResponse:
    """One check: the self-assessment form while it is open, the grouped results beside the evidence."""
    check = scoped_get(access, HealthCheck, pk=check_id)
    mine = dict(
        HealthAnswer.objects.filter(health_check=check, membership=access.membership).values_list("factor", "score")
    )
    form = AnswerForm(request.POST or None, initial={k: str(v) for k, v in mine.items()})
    if submitted(request, form):
        saved = run_action(form, actions.do_answer_health_check, access, check, form.scores())
        if saved:
            messages.success(request, _("Thank you: your answers are saved."))
            return redirect("cohesion:health_check", access.coalition.pk, check.pk)
    found = results.results(check, today=timezone.localdate())
    return render_form(
        request,
        "cohesion/health_check.html",
        {
            "check": check,
            "form": form,
            "groups": results.grouped(found),
            "answered_by": results.answered_by(check),
            "answered": bool(mine),
            "can_answer": check.is_open and access.can(Perm.ANSWER_HEALTH_CHECK),
            "can_run": access.can(Perm.RUN_HEALTH_CHECK),
            "band_labels": BAND_LABELS,
            "suggestions": [r for r in found if r.evidence and r.evidence.get("suggestion")],
        },
    )


@require_POST
@coalition_view(Perm.RUN_HEALTH_CHECK)
def health_close(request: HttpRequest, access: Access, check_id: int) -> HttpResponse:
    check = scoped_get(access, HealthCheck, pk=check_id)
    if run_action_message(request, actions.do_close_health_check, access, check):
        messages.success(request, _("The check is closed; its results are kept as they are now."))
    return redirect("cohesion:health_check", access.coalition.pk, check.pk)


# --- Sustainability plan ------------------------------------------------------------------------------


def _parts(items: list[PlanItem]) -> list[tuple[str | Promise, list[PlanItem]]]:
    return [(label, [i for i in items if i.part == code]) for code, label in PlanItem.Part.choices]


def _hub_chart(rows: list[queries.HubRound]) -> SafeString:
    """The hub's dependence round by round: both shares in per cent, on one axis."""
    return charts.chart(
        "line",
        _("How much of the network runs through the hub, by network round, in per cent"),
        [row.name for row in rows],
        [
            (_("Ties through the hub"), [row.tie_share for row in rows]),
            (_("Hub tied to others"), [row.centrality for row in rows]),
        ],
        uid="hub-dependence",
        y_title=_("per cent"),
        range=(0, 100),
    )


@require_safe
@coalition_view(Perm.VIEW_COHESION)
def sustainability(request: HttpRequest, access: Access) -> HttpResponse:
    """The answer to "should the coalition last?", the plan in its three parts, the concerns of the latest
    health check beside the lines that answer them, and the versions kept."""
    plan = SustainabilityPlan.objects.filter(coalition=access.coalition).first()
    items = list(plan.items.select_related("action__lead")) if plan else []
    check, concerns = queries.plan_concerns(access.coalition, items)
    hub_trend = queries.hub_trend(access.coalition)
    return TemplateResponse(
        request,
        "cohesion/sustainability.html",
        {
            "plan": plan,
            "parts": _parts(items),
            "check": check,
            "concerns": concerns,
            "band_labels": BAND_LABELS,
            "versions": plan.versions.all() if plan else [],
            "answers": queries.answers(plan) if plan else [],
            "review_due": plan is not None and plan.review_on <= timezone.localdate(),
            "pause_since": queries.pause_since_answer(plan) if plan else None,
            "can_plan": access.can(Perm.PLAN_SUSTAINABILITY),
            "can_link": access.can(Perm.PLAN_SUSTAINABILITY) and access.can(Perm.MANAGE_ACTIONS),
            "today": timezone.localdate(),
            "hub_trend": hub_trend,
            "hub_chart": _hub_chart(hub_trend) if hub_trend else None,
        },
    )


@coalition_view(Perm.PLAN_SUSTAINABILITY)
def sustainability_decide(request: HttpRequest, access: Access) -> HttpResponse:
    """Record or revisit the answer to "is sustaining this coalition desirable?"."""
    plan = SustainabilityPlan.objects.filter(coalition=access.coalition).first()
    form = DecisionForm(request.POST or None, instance=plan, readiness=queries.readiness_of(plan) if plan else None)
    decide = actions.do_record_sustainability_decision
    if submitted(request, form) and run_action(form, decide, access, **form.decision(), readiness=form.readiness()):
        messages.success(request, _("The answer is recorded; earlier answers are kept as versions."))
        return redirect("cohesion:sustainability", access.coalition.pk)
    return render_form(request, "cohesion/sustainability_decide.html", {"form": form, "plan": plan})


def _item_page(request: HttpRequest, access: Access, item: PlanItem | None) -> HttpResponse:
    initial = {"factor": request.GET.get("factor", "")} if item is None else {}
    form = PlanItemForm(request.POST or None, instance=item, initial=initial)
    if submitted(request, form) and run_action(form, actions.do_save_plan_item, access, item, **form.cleaned_data):
        messages.success(request, _("The plan is saved."))
        return redirect("cohesion:sustainability", access.coalition.pk)
    return render_form(request, "cohesion/sustainability_item.html", {"form": form, "item": item})


@coalition_view(Perm.PLAN_SUSTAINABILITY)
def sustainability_item_new(request: HttpRequest, access: Access) -> HttpResponse:
    return _item_page(request, access, None)


@coalition_view(Perm.PLAN_SUSTAINABILITY)
def sustainability_item(request: HttpRequest, access: Access, item_id: int) -> HttpResponse:
    return _item_page(request, access, scoped_get(access, PlanItem, pk=item_id))


@coalition_view(Perm.PLAN_SUSTAINABILITY, rules=(queries.MANAGES_JOINT_ACTIONS,))
def sustainability_item_action(request: HttpRequest, access: Access, item_id: int) -> HttpResponse:
    """Make a line of the plan a joint action with an owner and dates, or link one the coalition has."""
    item = scoped_get(access, PlanItem.objects.select_related("action__lead"), pk=item_id)
    posted = request.POST if request.method == "POST" else None
    make = MakeActionForm(
        posted if "make" in request.POST else None,
        coalition=access.coalition,
        initial={"title": item.what[:200], "starts_on": timezone.localdate(), "due_on": item.due_on},
    )
    link = LinkActionForm(posted if "link" in request.POST else None, item=item, initial={"action": item.action_id})
    done = None
    if submitted(request, make):
        done = run_action(make, actions.do_make_plan_item_action, access, item, **make.cleaned_data)
    elif submitted(request, link):
        done = run_action(link, actions.do_link_plan_item_action, access, item, link.cleaned_data["action"])
    if done:
        messages.success(request, _("The plan now shows the joint action's status."))
        return redirect("cohesion:sustainability", access.coalition.pk)
    return render_form(
        request,
        "cohesion/sustainability_item_action.html",
        {
            "item": item,
            "make": make,
            "link": link,
            "form": link if "link" in request.POST else make,  # the one posted: its errors answer 400
            "places": access.coalition.place_list,
        },
    )


@require_safe
@coalition_view(Perm.VIEW_COHESION)
def sustainability_version(request: HttpRequest, access: Access, version_id: int) -> HttpResponse:
    """The plan as it stood after one change."""
    version = scoped_get(access, PlanVersion, pk=version_id)
    snapshot = version.snapshot
    items = [
        PlanItem(**{**row, "due_on": dt.date.fromisoformat(row["due_on"])}) for row in snapshot["items"]
    ]  # unsaved: only to be shown
    return TemplateResponse(
        request,
        "cohesion/sustainability_version.html",
        {
            "version": version,
            "decision": SustainabilityPlan.Decision(snapshot["decision"]).label,
            "snapshot": snapshot,
            "review_on": dt.date.fromisoformat(snapshot["review_on"]),
            "parts": _parts(items),
            "answer": queries.answer_in_force(version),
        },
    )
