"""Reporting values: each member fills in its own grid per indicator and period and submits it; the hub
can enter on a member's behalf, reviews submissions (approve, return, lock) and corrects locked periods
with a reason."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coalition.coalitions.access import Access, coalition_view, scoped_get
from coalition.core.forms import Outcome, attempt, run_action_message
from coalition.core.permissions import Perm
from coalition.measurement import actions, calc, periods, presenters, queries
from coalition.measurement.forms import ReviewForm
from coalition.measurement.models import DataValue, Indicator, Kind, OptionCombination, Submission
from coalition.measurement.rules import OWN_ORGANISATION
from coalition.measurement.validation import InvalidValue, parse_decimal, parse_yes_no
from coalition.stakeholders.models import Stakeholder

State = Submission.State
RECENT_PERIODS = 4


def _organisation(request: HttpRequest, access: Access) -> Stakeholder | None:
    """The organisation being reported for: one's own, or (for the hub) the one chosen."""
    raw = request.POST.get("organisation") or request.GET.get("organisation")
    if raw:
        if not raw.isdigit():
            raise Http404
        return scoped_get(access, Stakeholder, pk=int(raw))  # another member's only under OWN_ORGANISATION
    if access.organisation_id:
        return scoped_get(access, Stakeholder, pk=access.organisation_id)
    return None


def _entry_url(access: Access, indicator: Indicator, start: dt.date, organisation: Stakeholder) -> str:
    url = reverse(
        "measurement:entry_grid",
        kwargs={
            "coalition_id": access.coalition.pk,
            "indicator_id": indicator.pk,
            "period": indicator.period_label(start),
        },
    )
    return f"{url}?organisation={organisation.pk}" if organisation.pk != access.organisation_id else url


@dataclass
class PeriodStatus:
    label: str
    state: str
    state_label: str
    url: str


@coalition_view(Perm.ENTER_OWN_DATA, rules=(OWN_ORGANISATION,))
def entry_home(request: HttpRequest, access: Access) -> HttpResponse:
    """Which indicators and recent periods this organisation has (not yet) reported."""
    organisation = _organisation(request, access)
    organisations = queries.reporting_organisations(access.coalition) if access.can(Perm.ENTER_ANY_DATA) else []
    rows: list[tuple[Indicator, list[PeriodStatus]]] = []
    if organisation is not None:
        today = timezone.localdate()
        indicators = queries.active_indicators(access.coalition)
        states = {
            (i, p): s
            for i, p, s in Submission.objects.filter(coalition=access.coalition, organisation=organisation).values_list(
                "indicator_id", "period_start", "state"
            )
        }
        for indicator in indicators:
            starts = indicator.period_starts(today)[-RECENT_PERIODS:]
            statuses = []
            for start in reversed(starts):
                state = states.get((indicator.pk, start), "missing")
                statuses.append(
                    PeriodStatus(
                        indicator.period_label(start),
                        state,
                        str(presenters.STATE_LABELS[state]),
                        _entry_url(access, indicator, start, organisation),
                    )
                )
            rows.append((indicator, statuses))
    return render(
        request,
        "measurement/entry_home.html",
        {
            "organisation": organisation,
            "organisations": organisations,
            "on_behalf": organisation is not None and organisation.pk != access.organisation_id,
            "rows": rows,
            "can_review": access.can(Perm.APPROVE_DATA),
        },
    )


# --- The grid ----------------------------------------------------------------------------------


@dataclass
class GridInput:
    name: str
    value: str
    label: str  # the cell and the part, read by screen readers
    part: str  # the part alone, shown beside the box when a cell has two (numerator, denominator)


@dataclass
class GridCell:
    key: str
    options: tuple[int, ...]
    inputs: list[GridInput]
    errors: list[str] = field(default_factory=list)


def _text(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}"


def _field_name(key: str) -> str:
    return "cell-" + (key.replace(".", "-") or "total")


def _cell(indicator: Indicator, options: tuple[int, ...], label: str, stored: DataValue | None, data: Any) -> GridCell:
    key = OptionCombination.key_for(options)
    base = _field_name(key)
    if indicator.kind == Kind.PERCENTAGE:
        parts = [
            (f"{base}-n", stored.numerator if stored else None, _("numerator")),
            (f"{base}-d", stored.denominator if stored else None, _("denominator")),
        ]
    else:
        parts = [(base, stored.value if stored else None, _("value"))]
    inputs = [
        GridInput(name, data.get(name, "") if data is not None else _text(value), f"{label}: {what}", what)
        for name, value, what in parts
    ]
    return GridCell(key, options, inputs)


def _parse(indicator: Indicator, cell: GridCell) -> actions.Entry:
    """The cell's typed text as an ``Entry``; ``InvalidValue`` when it is not a number."""
    if indicator.kind == Kind.PERCENTAGE:
        numerator, denominator = (parse_decimal(i.value) for i in cell.inputs)
        return actions.Entry(cell.options, None, numerator, denominator)
    text = cell.inputs[0].value
    value = parse_yes_no(text) if indicator.kind == Kind.YES_NO else parse_decimal(text)
    return actions.Entry(cell.options, value)


@dataclass
class Grid:
    column_labels: list[str]
    rows: list[tuple[str, list[GridCell]]]
    total: GridCell | None  # the directly entered total, for broken-down indicators

    @property
    def cells(self) -> list[GridCell]:
        return [c for _label, cells in self.rows for c in cells] + ([self.total] if self.total else [])


def _build_grid(indicator: Indicator, stored: dict[str, DataValue], data: Any) -> Grid:
    categories = list(indicator.categories.all())
    keep = {int(part) for key in stored for part in key.split(".") if part}
    layout = presenters.grid_layout(categories, keep)
    rows = [
        (
            row_label,
            [
                _cell(
                    indicator,
                    options,
                    f"{row_label} · {col_label}" if categories else row_label,
                    stored.get(OptionCombination.key_for(options)),
                    data,
                )
                for options, col_label in zip(cells, layout.column_labels, strict=True)
            ],
        )
        for row_label, cells in zip(layout.row_labels, layout.cells, strict=True)
    ]
    total = _cell(indicator, (), _("Total"), stored.get(""), data) if categories else None
    return Grid(layout.column_labels, rows, total)


def _save_grid(
    request: HttpRequest,
    access: Access,
    indicator: Indicator,
    organisation: Stakeholder,
    start: dt.date,
    grid: Grid,
    stored: dict[str, DataValue],
    state: str,
) -> list[str]:
    """Validate and save the posted grid (submitting it if asked); returns general errors."""
    entries, bad = [], False
    for cell in grid.cells:
        try:
            entry = _parse(indicator, cell)
        except InvalidValue as problem:
            cell.errors.append(problem.reason)
            bad = True
            continue
        if not entry.is_blank or cell.key in stored:
            entries.append(entry)
    if bad:
        return [_("Some cells need attention; nothing was saved.")]

    @transaction.atomic
    def write() -> None:
        if state == State.LOCKED:
            actions.do_correct_values(
                access, indicator, organisation, start, entries, reason=request.POST.get("reason", "")
            )
        else:
            actions.do_enter_values(access, indicator, organisation, start, entries)
        if request.POST.get("intent") == "submit":
            actions.do_submit_period(access, indicator, organisation, start)

    outcome = attempt(write)
    if isinstance(outcome.error, actions.EntryErrors):
        by_key = {c.key: c for c in grid.cells}
        for key, reasons in outcome.error.cells.items():
            if key in by_key:
                by_key[key].errors.extend(reasons)
        return outcome.error.general or [_("Some cells need attention; nothing was saved.")]
    return outcome.messages


@coalition_view(Perm.ENTER_OWN_DATA, rules=(OWN_ORGANISATION,))
def entry_grid(request: HttpRequest, access: Access, indicator_id: int, period: str) -> HttpResponse:
    indicator = scoped_get(
        access, Indicator.objects.prefetch_related("categories__options"), pk=indicator_id, is_archived=False
    )
    try:
        start = periods.parse(indicator.frequency, period)
    except ValueError:
        raise Http404 from None
    if not indicator.in_life(start):
        raise Http404
    organisation = _organisation(request, access)
    if organisation is None:
        if access.can(Perm.ENTER_ANY_DATA):
            messages.info(request, _("Choose the member organisation you are entering values for."))
        else:
            messages.error(
                request, _("Your membership does not represent an organisation, so there is nothing to report.")
            )
        return redirect("measurement:entry", access.coalition.pk)
    stored = {
        v.combination.key: v
        for v in DataValue.objects.filter(
            indicator=indicator, organisation=organisation, period_start=start
        ).select_related("combination", "entered_by")
    }
    submission = actions.submission_for(indicator, organisation.pk, start)
    state = submission.state if submission else State.DRAFT
    correcting = state == State.LOCKED and access.can(Perm.APPROVE_DATA)
    editable = correcting or state == State.DRAFT or (state != State.LOCKED and access.can(Perm.ENTER_ANY_DATA))
    posted = request.method == "POST"
    grid = _build_grid(indicator, stored, request.POST if posted else None)
    errors: list[str] = []
    if posted:  # the actions refuse a period the state does not let this person change
        errors = _save_grid(request, access, indicator, organisation, start, grid, stored, state)
        if not errors:
            submitted = request.POST.get("intent") == "submit"
            messages.success(request, _("Values saved and submitted for review.") if submitted else _("Values saved."))
            return redirect(_entry_url(access, indicator, start, organisation))
    total = stored.get("")
    breakdown = [v.value for k, v in stored.items() if k]
    consistency = calc.consistency(total.value if total else None, breakdown) if indicator.categories.all() else None
    return render(
        request,
        "measurement/entry_grid.html",
        {
            "indicator": indicator,
            "organisation": organisation,
            "on_behalf": organisation.pk != access.organisation_id,
            "period_label": indicator.period_label(start),
            "period_end": periods.end_of(indicator.frequency, start),
            "grid": grid,
            "errors": errors,
            "submission": submission,
            "state": state,
            "state_label": presenters.STATE_LABELS[state],
            "editable": editable,
            "correcting": correcting,
            "can_review": access.can(Perm.APPROVE_DATA),
            "consistency": consistency,
            "stored": list(stored.values()),
            "previous": _neighbour(access, indicator, start, organisation, -1),
            "next": _neighbour(access, indicator, start, organisation, 1),
        },
    )


def _neighbour(access: Access, indicator: Indicator, start: dt.date, organisation: Stakeholder, step: int) -> str:
    other = periods.shift(indicator.frequency, start, step)
    if not indicator.in_life(other) or other > timezone.localdate():
        return ""
    return _entry_url(access, indicator, other, organisation)


# --- Review ----------------------------------------------------------------------------------


@coalition_view(Perm.APPROVE_DATA)
def review_queue(request: HttpRequest, access: Access) -> HttpResponse:
    pending = list(
        Submission.objects.filter(coalition=access.coalition, state__in=[State.SUBMITTED, State.APPROVED])
        .select_related("indicator", "organisation", "submitted_by")
        .order_by("state", "submitted_at", "pk")
    )
    items = [
        {
            "submission": s,
            "period_label": s.indicator.period_label(s.period_start),
            "url": _entry_url(access, s.indicator, s.period_start, s.organisation),
        }
        for s in pending
    ]
    return render(request, "measurement/review.html", {"items": items})


@require_POST
@coalition_view(Perm.APPROVE_DATA)
def review_decide(request: HttpRequest, access: Access, submission_id: int) -> HttpResponse:
    submission = scoped_get(access, Submission.objects.select_related("indicator"), pk=submission_id)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve, lock or return."))
    else:
        decision = form.cleaned_data["decision"]
        outcome: Outcome[object]
        if decision == "approve":
            outcome = run_action_message(request, actions.do_approve_period, access, submission)
        elif decision == "lock":
            outcome = run_action_message(request, actions.do_lock_period, access, submission)
        else:
            outcome = run_action_message(
                request, actions.do_return_period, access, submission, reason=form.cleaned_data["reason"]
            )
        if outcome:
            done = {"approve": _("Approved."), "lock": _("Locked."), "return": _("Returned to the member.")}
            messages.success(request, done[decision])
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("measurement:review", access.coalition.pk)
