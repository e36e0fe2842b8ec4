"""Defining what the coalition measures: indicators, their targets, and disaggregation categories."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from coalition.coalitions.access import Access, coalition_view, scoped_get
from coalition.core.forms import run_action, run_action_message
from coalition.core.permissions import Perm
from coalition.measurement import actions, periods, presenters, queries
from coalition.measurement.forms import CategoryForm, IndicatorForm, OptionForm, TargetsForm
from coalition.measurement.models import CategoryOption, DisaggregationCategory, Indicator, Level
from coalition.measurement.views.common import data_view

LEVEL_ORDER = {level: i for i, level in enumerate(Level.values)}
TARGET_YEARS = 3  # open-ended indicators offer targets this far ahead
MAX_TARGET_PERIODS = 520  # ten years of weeks: a form under Django's 1,000-field limit


@coalition_view(Perm.VIEW_MEASUREMENT)
def indicator_list(request: HttpRequest, access: Access) -> HttpResponse:
    indicators = list(
        Indicator.objects.filter(coalition=access.coalition)
        .select_related("owner_organisation", "owner_group")
        .prefetch_related("categories")
    )
    indicators.sort(key=lambda i: (i.is_archived, not i.is_shared, LEVEL_ORDER.get(i.level, 99), i.order, i.name))
    active = [i for i in indicators if not i.is_archived]
    groups: list[tuple[str, list[Indicator]]] = []
    shared = [i for i in active if i.is_shared]
    if shared:
        groups.append((_("Shared indicators"), shared))
    for level, label in Level.choices:
        members = [i for i in active if not i.is_shared and i.level == level]
        if members:
            groups.append((str(label), members))
    return render(
        request,
        "measurement/indicator_list.html",
        {
            "groups": groups,
            "archived": [i for i in indicators if i.is_archived],
            "shared_count": len(shared),
            "can_define": access.can(Perm.DEFINE_INDICATORS),
            "can_enter": access.can(Perm.ENTER_OWN_DATA) or access.can(Perm.ENTER_ANY_DATA),
        },
    )


@never_cache
@coalition_view(Perm.VIEW_MEASUREMENT)
def indicator_detail(request: HttpRequest, access: Access, indicator_id: int) -> HttpResponse:
    indicator = scoped_get(
        access,
        Indicator.objects.select_related("coalition", "owner_organisation", "owner_group").prefetch_related(
            "categories__options"
        ),
        pk=indicator_id,
    )
    view = data_view(request, access)
    row = queries.scorecard_row(indicator, view.scope)
    panels = presenters.indicator_panels(
        row, view, queries.reporting_organisations(access.coalition), timezone.localdate()
    )
    issues = [] if view.shared else queries.consistency_issues(indicator)
    return render(
        request,
        "measurement/indicator_detail.html",
        {
            "indicator": indicator,
            "row": row,
            "panels": panels,
            "view": view,
            "issues": issues,
            "targets": [(indicator.period_label(p), v) for p, v in indicator.target_by_period.items()],
            "can_define": access.can(Perm.DEFINE_INDICATORS),
            "can_unsuppressed": access.can(Perm.VIEW_UNSUPPRESSED),
            "can_enter": access.can(Perm.ENTER_OWN_DATA) or access.can(Perm.ENTER_ANY_DATA),
        },
    )


@transaction.atomic
def _save_indicator_and_categories(access: Access, indicator: Indicator | None, form: IndicatorForm) -> Indicator:
    saved = actions.do_save_indicator(access, indicator=indicator, **form.indicator_fields())
    actions.do_set_indicator_categories(access, saved, list(form.cleaned_data["categories"]))
    return saved


def _save_indicator(request: HttpRequest, access: Access, indicator: Indicator | None) -> HttpResponse:
    form = IndicatorForm(request.POST or None, coalition=access.coalition, indicator=indicator)
    if request.method == "POST" and form.is_valid():
        outcome = run_action(form, _save_indicator_and_categories, access, indicator, form)
        if outcome:
            saved = outcome.value
            messages.success(request, _("Indicator “%(name)s” saved.") % {"name": saved.name})
            if indicator is None:
                return redirect("measurement:indicator_targets", access.coalition.pk, saved.pk)
            return redirect("measurement:indicator", access.coalition.pk, saved.pk)
    return render(
        request,
        "measurement/indicator_form.html",
        {"form": form, "indicator": indicator, "categories_url_name": "measurement:categories"},
    )


@coalition_view(Perm.DEFINE_INDICATORS)
def indicator_create(request: HttpRequest, access: Access) -> HttpResponse:
    return _save_indicator(request, access, None)


@coalition_view(Perm.DEFINE_INDICATORS)
def indicator_edit(request: HttpRequest, access: Access, indicator_id: int) -> HttpResponse:
    return _save_indicator(request, access, scoped_get(access, Indicator, pk=indicator_id))


def target_periods(indicator: Indicator, today: dt.date) -> list[dt.date]:
    """The periods a target can be set for: the indicator's whole life, or a few years ahead if open-ended,
    kept inside the coalition's date window (an indicator saved before the window applied stays bounded)."""
    window = indicator.coalition.date_window
    ahead = periods.shift(periods.ANNUAL, periods.start_of(periods.ANNUAL, window.clamp(today)), TARGET_YEARS)
    until = window.clamp(indicator.ends_on or ahead)
    first = window.clamp(indicator.starts_on)
    found = list(periods.between(indicator.frequency, first, until)) if until >= first else []
    if len(found) <= MAX_TARGET_PERIODS:
        return found
    # A long weekly life: the periods around today, so the form stays within Django's field limit.
    recent = periods.shift(indicator.frequency, periods.start_of(indicator.frequency, today), -MAX_TARGET_PERIODS // 2)
    begin = max(0, min(sum(1 for p in found if p < recent), len(found) - MAX_TARGET_PERIODS))
    return found[begin : begin + MAX_TARGET_PERIODS]


@coalition_view(Perm.DEFINE_INDICATORS)
def indicator_targets(request: HttpRequest, access: Access, indicator_id: int) -> HttpResponse:
    indicator = scoped_get(access, Indicator, pk=indicator_id)
    form = TargetsForm(
        request.POST or None, indicator=indicator, starts=target_periods(indicator, timezone.localdate())
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and run_action(form, actions.do_set_targets, access, indicator, form.changes())
    ):
        messages.success(request, _("Targets saved."))
        return redirect("measurement:indicator", access.coalition.pk, indicator.pk)
    return render(request, "measurement/indicator_targets.html", {"form": form, "indicator": indicator})


@require_POST
@coalition_view(Perm.DEFINE_INDICATORS)
def indicator_archive(request: HttpRequest, access: Access, indicator_id: int) -> HttpResponse:
    indicator = scoped_get(access, Indicator, pk=indicator_id)
    archive = request.POST.get("archived", "1") == "1"
    if run_action_message(request, actions.do_archive_indicator, access, indicator, archived=archive):
        messages.success(request, _("Indicator archived; its data is kept.") if archive else _("Indicator restored."))
    return redirect("measurement:indicator", access.coalition.pk, indicator.pk)


# --- Categories ------------------------------------------------------------------------------


@coalition_view(Perm.VIEW_MEASUREMENT, write=Perm.DEFINE_INDICATORS)
def category_list(request: HttpRequest, access: Access) -> HttpResponse:
    can_define = access.can(Perm.DEFINE_INDICATORS)
    form = CategoryForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and run_action(
            form,
            actions.do_save_category,
            access,
            name=form.cleaned_data["name"],
            options=form.option_names(),
            order=form.cleaned_data["order"],
        )
    ):
        messages.success(request, _("Category saved."))
        return redirect("measurement:categories", access.coalition.pk)
    categories = DisaggregationCategory.objects.filter(coalition=access.coalition).prefetch_related(
        "options", "indicators"
    )
    return render(
        request, "measurement/category_list.html", {"categories": categories, "form": form, "can_define": can_define}
    )


@coalition_view(Perm.DEFINE_INDICATORS)
def category_edit(request: HttpRequest, access: Access, category_id: int) -> HttpResponse:
    category = scoped_get(access, DisaggregationCategory, pk=category_id)
    form = CategoryForm(request.POST or None, initial={"name": category.name, "order": category.order})
    if (
        request.method == "POST"
        and form.is_valid()
        and run_action(
            form,
            actions.do_save_category,
            access,
            category=category,
            name=form.cleaned_data["name"],
            options=form.option_names(),
            order=form.cleaned_data["order"],
        )
    ):
        messages.success(request, _("Category saved."))
        return redirect("measurement:category", access.coalition.pk, category.pk)
    options = [
        (option, OptionForm(initial={"name": option.name, "is_active": option.is_active}, prefix=f"o{option.pk}"))
        for option in category.options.all()
    ]
    return render(request, "measurement/category_form.html", {"category": category, "form": form, "options": options})


@require_POST
@coalition_view(Perm.DEFINE_INDICATORS)
def option_edit(request: HttpRequest, access: Access, option_id: int) -> HttpResponse:
    option = get_object_or_404(CategoryOption, category__coalition=access.coalition, pk=option_id)
    form = OptionForm(request.POST, prefix=f"o{option.pk}")
    if form.is_valid():
        if run_action_message(
            request,
            actions.do_update_option,
            access,
            option,
            name=form.cleaned_data["name"],
            is_active=form.cleaned_data["is_active"],
        ):
            messages.success(request, _("Option saved."))
    else:
        messages.error(request, _("Give the option a name."))
    return redirect("measurement:category", access.coalition.pk, option.category_id)
