"""Every change to indicators, targets, categories, data values and their review goes through here.

Actions take the caller's ``Access`` (from ``coalition.coalitions.access``) first: they check the
permission themselves (so the API, views and commands cannot forget), validate, save in a transaction
and write an audit event. They raise ``PermissionDenied`` or ``ValidationError`` (with a message a
person can act on); ``do_enter_values`` raises ``EntryErrors`` listing the problem of each cell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.coalitions.access import Access
from coalition.coalitions.models import Coalition
from coalition.core import audit
from coalition.core.dates import check_new_dates
from coalition.core.permissions import Perm
from coalition.measurement import notices, periods
from coalition.measurement.computed import computation
from coalition.measurement.freshness import data_changed
from coalition.measurement.models import (
    CategoryOption,
    DataValue,
    DisaggregationCategory,
    Indicator,
    IndicatorCategory,
    Kind,
    OptionCombination,
    Submission,
    Target,
    TimeAggregation,
)
from coalition.measurement.validation import InvalidValue, ValueRule
from coalition.stakeholders.models import Stakeholder

INDICATOR_FIELDS = (
    "name",
    "definition",
    "level",
    "kind",
    "unit",
    "currency",
    "direction",
    "time_aggregation",
    "member_aggregation",
    "frequency",
    "due_days",
    "data_source",
    "owner_organisation",
    "owner_group",
    "baseline_value",
    "baseline_date",
    "baseline_not_applicable",
    "min_value",
    "max_value",
    "is_shared",
    "order",
    "starts_on",
    "ends_on",
)
AUDITED_FIELDS = tuple(f"{n}_id" if n in ("owner_organisation", "owner_group") else n for n in INDICATOR_FIELDS)
# Changing these once values exist would change what the stored numbers mean.
FIXED_ONCE_REPORTED = ("kind", "frequency")
State = Submission.State


def _in_coalition(access: Access, *objects: Any) -> None:
    """Refuse objects of another coalition as if they did not exist."""
    for obj in objects:
        if obj is not None and getattr(obj, "coalition_id", access.coalition.pk) != access.coalition.pk:
            raise PermissionDenied


# --- Indicators, targets, categories -----------------------------------------------------------


def _check_indicator(indicator: Indicator, coalition: Coalition) -> None:
    indicator.full_clean(exclude=["coalition"])
    errors: dict[str, str] = {}
    if indicator.kind == Kind.MONEY and not indicator.currency:
        errors["currency"] = _("Choose the currency of this amount.")
    if indicator.kind == Kind.PERCENTAGE and indicator.time_aggregation == TimeAggregation.SUM:
        errors["time_aggregation"] = _("Percentages cannot be added up over time: choose average or latest.")
    if indicator.kind != Kind.MONEY and indicator.currency:
        errors["currency"] = _("Only money indicators have a currency.")
    if indicator.baseline_not_applicable and (indicator.baseline_value is not None or indicator.baseline_date):
        errors["baseline_value"] = _("Give a baseline or mark it not applicable, not both.")
    elif not indicator.baseline_not_applicable and (indicator.baseline_value is None) != (
        indicator.baseline_date is None
    ):
        errors["baseline_date"] = _("A baseline needs both a value and the date it was measured.")
    if indicator.ends_on and indicator.ends_on < indicator.starts_on:
        errors["ends_on"] = _("The end date is before the start date.")
    if (
        indicator.min_value is not None
        and indicator.max_value is not None
        and indicator.min_value > indicator.max_value
    ):
        errors["max_value"] = _("The highest allowed value is below the lowest.")
    if indicator.owner_organisation_id and indicator.owner_group_id:
        errors["owner_group"] = _("Choose a member organisation or a working group as owner, not both.")
    if indicator.is_shared:
        shared = Indicator.objects.filter(coalition=coalition, is_shared=True, is_archived=False)
        if shared.exclude(pk=indicator.pk).count() >= coalition.shared_indicator_limit:
            errors["is_shared"] = _(
                "The coalition already has %(n)s shared indicators, its agreed maximum. Unmark one first."
            ) % {"n": coalition.shared_indicator_limit}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def do_save_indicator(access: Access, *, indicator: Indicator | None = None, **fields: Any) -> Indicator:
    """Create an indicator, or change one. Type and frequency are fixed once values exist, and the
    indicator's life cannot shrink past reported periods."""
    access.require(Perm.DEFINE_INDICATORS)
    unknown = set(fields) - set(INDICATOR_FIELDS)
    if unknown:
        raise ValueError(f"not indicator fields: {sorted(unknown)}")
    _in_coalition(access, indicator, fields.get("owner_organisation"), fields.get("owner_group"))
    created = indicator is None
    indicator = indicator or Indicator(coalition=access.coalition)
    before = None if created else audit.snapshot(indicator, AUDITED_FIELDS)
    check_new_dates(access.coalition.date_window, indicator, fields, "starts_on", "ends_on", "baseline_date")
    for name, value in fields.items():
        setattr(indicator, name, value)
    if not created:
        values = DataValue.objects.filter(indicator=indicator)
        changed_fixed = [n for n in FIXED_ONCE_REPORTED if before and before[n] != getattr(indicator, n)]
        if changed_fixed and values.exists():
            raise ValidationError(
                _("Values have been reported, so the type and frequency can no longer change. Create a new indicator.")
            )
        outside = values.filter(period_start__lt=indicator.first_period)
        if indicator.last_period:
            outside |= values.filter(period_start__gt=indicator.last_period)
        if outside.exists():
            raise ValidationError(
                {"starts_on": _("Values have been reported for periods outside these dates. Keep them inside.")}
            )
    _check_indicator(indicator, access.coalition)
    indicator.save()
    data_changed(access.coalition.pk)
    audit.record(
        access.user,
        "indicator.created" if created else "indicator.updated",
        indicator,
        coalition=access.coalition,
        before=before,
        after=audit.snapshot(indicator, AUDITED_FIELDS),
    )
    return indicator


@transaction.atomic
def do_archive_indicator(access: Access, indicator: Indicator, *, archived: bool = True) -> Indicator:
    """Hide an indicator from entry and dashboards (or bring it back); its data is kept."""
    access.require(Perm.DEFINE_INDICATORS)
    _in_coalition(access, indicator)
    indicator.is_archived = archived
    if not archived:
        _check_indicator(indicator, access.coalition)  # a restored shared indicator still counts to the limit
    indicator.save(update_fields=["is_archived", "updated_at"])
    data_changed(access.coalition.pk)
    audit.record(
        access.user, "indicator.archived" if archived else "indicator.restored", indicator, coalition=access.coalition
    )
    return indicator


@transaction.atomic
def do_set_targets(access: Access, indicator: Indicator, targets: Mapping[dt.date, Decimal | None]) -> list[Target]:
    """Set (or, with ``None``, remove) the target of each given period; other periods are untouched."""
    access.require(Perm.DEFINE_INDICATORS)
    _in_coalition(access, indicator)
    errors = []
    for start in targets:
        if periods.start_of(indicator.frequency, start) != start or not indicator.in_life(start):
            errors.append(
                _("%(period)s is not a reporting period of this indicator.") % {"period": indicator.period_label(start)}
            )
    if errors:
        raise ValidationError(errors)
    indicator.__dict__.pop("target_by_period", None)  # read again after this change
    existing = {t.period_start: t for t in indicator.targets.all()}
    before = {indicator.period_label(p): str(t.value) for p, t in existing.items() if p in targets}
    saved = []
    for start, value in sorted(targets.items()):
        if value is None:
            if start in existing:
                existing[start].delete()
            continue
        target, _created = Target.objects.update_or_create(
            indicator=indicator, period_start=start, defaults={"value": value}
        )
        saved.append(target)
    data_changed(access.coalition.pk)
    audit.record(
        access.user,
        "indicator.targets_set",
        indicator,
        coalition=access.coalition,
        before=before,
        after={indicator.period_label(p): None if v is None else str(v) for p, v in targets.items()},
    )
    return saved


@transaction.atomic
def do_save_category(
    access: Access,
    *,
    category: DisaggregationCategory | None = None,
    name: str,
    options: Sequence[str] = (),
    order: int = 0,
) -> DisaggregationCategory:
    """Create a reusable disaggregation category (or rename it) and add any new options by name."""
    access.require(Perm.DEFINE_INDICATORS)
    _in_coalition(access, category)
    created = category is None
    category = category or DisaggregationCategory(coalition=access.coalition)
    before = None if created else {"name": category.name}
    category.name, category.order = name.strip(), order
    category.full_clean(exclude=["coalition"])
    if (
        DisaggregationCategory.objects.filter(coalition=access.coalition, name__iexact=category.name)
        .exclude(pk=category.pk)
        .exists()
    ):
        raise ValidationError({"name": _("There is already a category with this name.")})
    category.save()
    names = [o.strip() for o in options if o.strip()]
    if len({n.lower() for n in names}) != len(names):
        raise ValidationError({"options": _("An option is listed twice.")})
    known = {o.name.lower() for o in category.options.all()}
    start = category.options.count()
    CategoryOption.objects.bulk_create(
        [
            CategoryOption(category=category, name=n, order=start + i)
            for i, n in enumerate(n for n in names if n.lower() not in known)
        ]
    )
    data_changed(access.coalition.pk)
    audit.record(
        access.user,
        "category.created" if created else "category.updated",
        category,
        coalition=access.coalition,
        before=before,
        after={"name": category.name, "options": names},
    )
    return category


@transaction.atomic
def do_update_option(
    access: Access, option: CategoryOption, *, name: str | None = None, is_active: bool | None = None
) -> CategoryOption:
    """Rename an option or retire it. Retired options keep their data but take no new values; options
    are never deleted once values use them."""
    access.require(Perm.DEFINE_INDICATORS)
    _in_coalition(access, option.category)
    before = audit.snapshot(option, ["name", "is_active"])
    if name is not None:
        option.name = name.strip()
    if is_active is not None:
        option.is_active = is_active
    option.full_clean(exclude=["category"])
    option.save()
    data_changed(access.coalition.pk)
    audit.record(
        access.user,
        "category.option_updated",
        option,
        coalition=access.coalition,
        before=before,
        after=audit.snapshot(option, ["name", "is_active"]),
    )
    return option


@transaction.atomic
def do_set_indicator_categories(
    access: Access, indicator: Indicator, categories: Sequence[DisaggregationCategory]
) -> Indicator:
    """Choose the categories an indicator is broken down by.

    Once disaggregated values exist, the breakdown is fixed: adding or removing a category is refused
    with an explanation, because the stored cells would no longer add up to the same table. (Options
    may still be added to a category, or retired.) Values entered as a single total never block this.
    """
    access.require(Perm.DEFINE_INDICATORS)
    _in_coalition(access, indicator, *categories)
    wanted = list(dict.fromkeys(categories))
    current = list(indicator.categories.all())
    if {c.pk for c in wanted} == {c.pk for c in current}:
        return indicator
    broken_down = DataValue.objects.filter(indicator=indicator).exclude(combination__key="")
    count = broken_down.count()
    if count:
        raise ValidationError(
            _(
                "%(count)s values are already broken down by %(current)s. Changing the breakdown would make "
                "them incomparable with new values, so it is refused. Add options to a category instead, or "
                "create a new indicator for the new breakdown."
            )
            % {"count": count, "current": ", ".join(c.name for c in current) or _("no category")}
        )
    IndicatorCategory.objects.filter(indicator=indicator).delete()
    IndicatorCategory.objects.bulk_create(
        [IndicatorCategory(indicator=indicator, category=c, order=i) for i, c in enumerate(wanted)]
    )
    data_changed(access.coalition.pk)
    audit.record(
        access.user,
        "indicator.categories_set",
        indicator,
        coalition=access.coalition,
        before={"categories": [c.name for c in current]},
        after={"categories": [c.name for c in wanted]},
    )
    return indicator


# --- Option combinations ----------------------------------------------------------------------


def ensure_combinations(coalition: Coalition, option_sets: Iterable[Iterable[int]]) -> dict[str, int]:
    """Ids of the combination rows for these option sets (created if missing), keyed by normalised key."""
    wanted = {OptionCombination.key_for(list(s)): sorted(s) for s in option_sets}
    found = dict(OptionCombination.objects.filter(coalition=coalition, key__in=wanted).values_list("key", "pk"))
    missing = [k for k in wanted if k not in found]
    if missing:
        OptionCombination.objects.bulk_create(
            [OptionCombination(coalition=coalition, key=k) for k in missing], ignore_conflicts=True
        )
        created = dict(OptionCombination.objects.filter(coalition=coalition, key__in=missing).values_list("key", "pk"))
        through = OptionCombination.options.through
        through.objects.bulk_create(
            [through(optioncombination_id=created[k], categoryoption_id=o) for k in missing for o in wanted[k]],
            ignore_conflicts=True,
        )
        found.update(created)
        # No data_changed here: a combination without values shows nowhere, and the callers (entry,
        # import) raise the version as their last write; raising it now would hold its lock while
        # they write values, and two such writers could deadlock.
    return found


@dataclass(frozen=True)
class Layout:
    """Which option sets an indicator accepts: the total (empty set) or one option of every category."""

    categories: list[DisaggregationCategory]
    options: dict[int, CategoryOption]  # every option of those categories, retired ones too

    @classmethod
    def of(cls, indicator: Indicator) -> Layout:
        categories = list(indicator.categories.all().prefetch_related("options"))
        return cls(categories, {o.pk: o for c in categories for o in c.options.all()})

    def problem(self, option_ids: Sequence[int], *, allow_retired: bool = False) -> str | None:
        if not option_ids:
            return None
        chosen = [self.options.get(i) for i in option_ids]
        if any(o is None for o in chosen):
            return _("This option does not belong to the indicator's categories.")
        by_category = {o.category_id for o in chosen if o}
        if len(by_category) != len(chosen) or len(chosen) != len(self.categories):
            return _("Choose exactly one option of each category (%(names)s), or none for the total.") % {
                "names": ", ".join(c.name for c in self.categories)
            }
        if not allow_retired and any(o and not o.is_active for o in chosen):
            return _("This option is retired and takes no new values.")
        return None


# --- Data entry -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One cell of the entry grid: the options it is for (empty = total) and what was typed.

    Leaving ``value`` and ``numerator``/``denominator`` all empty removes a stored value.
    """

    options: tuple[int, ...] = ()
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None

    @property
    def key(self) -> str:
        return OptionCombination.key_for(self.options)

    @property
    def is_blank(self) -> bool:
        return self.value is None and self.numerator is None and self.denominator is None


class EntryErrors(ValidationError):
    """Problems of individual cells, keyed by combination key ("" is the total), plus general ones."""

    def __init__(self, *, cells: dict[str, list[str]] | None = None, general: Sequence[str] = ()) -> None:
        self.cells = cells or {}
        self.general = list(general)
        super().__init__([*self.general, *(m for ms in self.cells.values() for m in ms)])


@dataclass(frozen=True)
class EntryResult:
    created: int
    updated: int
    deleted: int
    unchanged: int
    submission: Submission


def submission_for(indicator: Indicator, organisation_id: int, period_start: dt.date) -> Submission | None:
    return Submission.objects.filter(
        indicator=indicator, organisation_id=organisation_id, period_start=period_start
    ).first()


def change_refused(access: Access, state: str) -> str | None:
    """The one review rule for changing a period's values, by the entry grid or an import: why the
    change is refused, or ``None``. Locked periods change only by a correction with a reason; a
    submitted or approved period only by those who enter data for any member (the hub)."""
    if state == State.LOCKED:
        return _("This period is locked. Ask the hub to correct it, giving a reason.")
    if state != State.DRAFT and not access.can(Perm.ENTER_ANY_DATA):
        return _("This period has been submitted; ask the hub to return it before changing it.")
    return None


def state_after_change(state: str) -> str:
    """A change to an approved period returns it for review: it is submitted again, not approved."""
    return State.SUBMITTED if state == State.APPROVED else state


def _may_enter(access: Access, organisation: Stakeholder) -> bool:
    """Whether the caller enters for ``organisation`` on its behalf; refuses if they may not at all."""
    if organisation.coalition_id != access.coalition.pk:
        raise PermissionDenied
    if access.can(Perm.ENTER_OWN_DATA) and organisation.pk == access.organisation_id:
        return False
    if access.can(Perm.ENTER_ANY_DATA):
        return organisation.pk != access.organisation_id
    raise PermissionDenied(_("You can only enter data for your own organisation."))


def _refuse_computed(indicator: Indicator) -> None:
    """Values of an indicator computed from records are the records' own: nobody types over them."""
    if indicator.computed_by:
        raise EntryErrors(
            general=[_("This indicator is computed from the coalition's records; its values cannot be typed in.")]
        )


def _check_period(indicator: Indicator, period_start: dt.date) -> None:
    if periods.start_of(indicator.frequency, period_start) != period_start or not indicator.in_life(period_start):
        raise EntryErrors(
            general=[
                _("%(period)s is outside the life of this indicator (%(first)s onwards).")
                % {
                    "period": indicator.period_label(period_start),
                    "first": indicator.period_label(indicator.first_period),
                }
            ]
        )


def _apply(
    access: Access,
    indicator: Indicator,
    organisation: Stakeholder,
    period_start: dt.date,
    entries: Sequence[Entry],
    *,
    on_behalf: bool,
    allow_retired: bool,
) -> tuple[EntryResult, dict[str, Any], dict[str, Any]]:
    """Validate every cell, then write them; returns the counts and before/after maps for the audit."""
    layout, rule = Layout.of(indicator), ValueRule.of(indicator)
    cells: dict[str, list[str]] = {}
    checked: dict[str, tuple[tuple[int, ...], tuple[Decimal, Decimal | None, Decimal | None] | None]] = {}
    for entry in entries:
        problem = layout.problem(entry.options, allow_retired=allow_retired or entry.is_blank)
        if problem:
            cells.setdefault(entry.key, []).append(problem)
            continue
        if entry.key in checked:
            cells.setdefault(entry.key, []).append(_("This cell is given twice."))
            continue
        try:
            checked[entry.key] = (
                entry.options,
                None if entry.is_blank else rule.check(entry.value, entry.numerator, entry.denominator),
            )
        except InvalidValue as exc:
            cells.setdefault(entry.key, []).append(exc.reason)
    if cells:
        raise EntryErrors(cells=cells)
    combos = ensure_combinations(access.coalition, [opts for opts, _v in checked.values()])
    existing = {
        v.combination.key: v
        for v in DataValue.objects.filter(
            indicator=indicator, organisation=organisation, period_start=period_start
        ).select_related("combination")
    }
    created = updated = deleted = unchanged = 0
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for key, (_opts, checked_value) in checked.items():
        current = existing.get(key)
        label = key or "total"
        if checked_value is None:
            if current is not None:
                before[label] = str(current.value)
                current.delete()
                deleted += 1
            continue
        value, numerator, denominator = checked_value
        if current is None:
            DataValue.objects.create(
                coalition=access.coalition,
                indicator=indicator,
                organisation=organisation,
                period_start=period_start,
                combination_id=combos[key],
                value=value,
                numerator=numerator,
                denominator=denominator,
                entered_by=access.user,
                on_behalf=on_behalf,
            )
            created += 1
            after[label] = str(value)
        elif (current.value, current.numerator, current.denominator) != (value, numerator, denominator):
            before[label] = str(current.value)
            current.value, current.numerator, current.denominator = value, numerator, denominator
            current.entered_by, current.on_behalf, current.import_batch = access.user, on_behalf, None
            current.save()
            updated += 1
            after[label] = str(value)
        else:
            unchanged += 1
    submission, _created = Submission.objects.get_or_create(
        indicator=indicator,
        organisation=organisation,
        period_start=period_start,
        defaults={"coalition": access.coalition},
    )
    data_changed(access.coalition.pk, {indicator.pk: ([period_start], [organisation.pk])})
    return EntryResult(created, updated, deleted, unchanged, submission), before, after


@transaction.atomic
def do_enter_values(
    access: Access, indicator: Indicator, organisation: Stakeholder, period_start: dt.date, entries: Sequence[Entry]
) -> EntryResult:
    """Save a member's values for one period (one grid). Members enter for their own organisation while
    the period is a draft; the hub may enter for any member (recorded as on its behalf) until the
    period is locked. Locked periods change only through ``do_correct_values`` with a reason."""
    _in_coalition(access, indicator)
    on_behalf = _may_enter(access, organisation)
    _refuse_computed(indicator)
    if indicator.is_archived:
        raise EntryErrors(general=[_("This indicator is archived and takes no new values.")])
    _check_period(indicator, period_start)
    current = submission_for(indicator, organisation.pk, period_start)
    state = current.state if current else State.DRAFT
    refused = change_refused(access, state)
    if refused:
        raise EntryErrors(general=[refused])
    result, before, after = _apply(
        access, indicator, organisation, period_start, entries, on_behalf=on_behalf, allow_retired=False
    )
    if before or after:
        if state_after_change(state) != state:
            _transition(access, result.submission, [state], state_after_change(state), _("returned for review"))
        audit.record(
            access.user,
            "values.entered_on_behalf" if on_behalf else "values.entered",
            result.submission,
            coalition=access.coalition,
            before={"period": indicator.period_label(period_start), **before},
            after={"period": indicator.period_label(period_start), **after},
        )
    return result


@transaction.atomic
def do_correct_values(
    access: Access,
    indicator: Indicator,
    organisation: Stakeholder,
    period_start: dt.date,
    entries: Sequence[Entry],
    *,
    reason: str,
) -> EntryResult:
    """Change values of a locked period. Only approvers may, and only with a reason, which is audited."""
    access.require(Perm.APPROVE_DATA)
    _in_coalition(access, indicator)
    if organisation.coalition_id != access.coalition.pk:
        raise PermissionDenied
    _refuse_computed(indicator)
    if not reason.strip():
        raise EntryErrors(general=[_("Say why this locked period is being corrected.")])
    current = submission_for(indicator, organisation.pk, period_start)
    if current is None or current.state != State.LOCKED:
        raise EntryErrors(general=[_("Only locked periods need a correction; edit this one directly.")])
    result, before, after = _apply(
        access,
        indicator,
        organisation,
        period_start,
        entries,
        on_behalf=organisation.pk != access.organisation_id,
        allow_retired=True,
    )
    audit.record(
        access.user,
        "values.corrected",
        result.submission,
        coalition=access.coalition,
        before={"period": indicator.period_label(period_start), **before},
        after={"period": indicator.period_label(period_start), **after},
        note=reason.strip(),
    )
    return result


# --- Review: submit, approve, return, lock -----------------------------------------------------


def _transition(
    access: Access, submission: Submission, allowed_from: Sequence[str], to: str, verb: str, note: str = ""
) -> Submission:
    _in_coalition(access, submission)
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.state not in allowed_from:
        raise ValidationError(
            _("This period is %(state)s, so it cannot be %(action)s.")
            % {"state": locked.get_state_display().lower(), "action": verb}
        )
    before = locked.state
    locked.state = to
    now = timezone.now()
    if to == State.SUBMITTED:
        locked.submitted_by, locked.submitted_at = access.user, now
    elif to in (State.APPROVED, State.LOCKED):
        locked.reviewed_by, locked.reviewed_at = access.user, now
    locked.save()
    data_changed(access.coalition.pk, {locked.indicator_id: ([locked.period_start], [locked.organisation_id])})
    audit.record(
        access.user,
        f"values.{to}" if to != State.DRAFT else "values.returned",
        locked,
        coalition=access.coalition,
        before={"state": before},
        after={"state": to},
        note=note,
    )
    return locked


@transaction.atomic
def do_submit_period(
    access: Access, indicator: Indicator, organisation: Stakeholder, period_start: dt.date
) -> Submission:
    """A member (or the hub on its behalf) hands in a period's values for review."""
    _in_coalition(access, indicator)
    _may_enter(access, organisation)
    if not DataValue.objects.filter(indicator=indicator, organisation=organisation, period_start=period_start).exists():
        raise ValidationError(_("Enter at least one value before submitting this period."))
    submission, _created = Submission.objects.get_or_create(  # imported values have no draft row yet
        indicator=indicator,
        organisation=organisation,
        period_start=period_start,
        defaults={"coalition": access.coalition},
    )
    return _transition(access, submission, [State.DRAFT], State.SUBMITTED, _("submitted"))


@transaction.atomic
def do_approve_period(access: Access, submission: Submission) -> Submission:
    access.require(Perm.APPROVE_DATA)
    approved = _transition(access, submission, [State.SUBMITTED], State.APPROVED, _("approved"))
    notices.review_decided(notices.DATA_APPROVED, approved)
    return approved


@transaction.atomic
def do_return_period(access: Access, submission: Submission, *, reason: str) -> Submission:
    """Send a submitted or approved period back to the member as a draft, saying why."""
    access.require(Perm.APPROVE_DATA)
    if not reason.strip():
        raise ValidationError(_("Say what the member should look at again."))
    returned = _transition(
        access, submission, [State.SUBMITTED, State.APPROVED], State.DRAFT, _("returned"), reason.strip()
    )
    notices.review_decided(notices.DATA_RETURNED, returned, reason.strip())
    return returned


@transaction.atomic
def do_lock_period(access: Access, submission: Submission) -> Submission:
    access.require(Perm.APPROVE_DATA)
    return _transition(access, submission, [State.APPROVED], State.LOCKED, _("locked"))


@transaction.atomic
def do_lock_approved(access: Access, indicator: Indicator, period_start: dt.date) -> int:
    """Lock every approved submission of one indicator's period; returns how many were locked."""
    access.require(Perm.APPROVE_DATA)
    _in_coalition(access, indicator)
    approved = list(  # all locked at once, before the first transition raises (and locks) the data version
        Submission.objects.select_for_update().filter(
            indicator=indicator, period_start=period_start, state=State.APPROVED
        )
    )
    for submission in approved:
        _transition(access, submission, [State.APPROVED], State.LOCKED, _("locked"))
    return len(approved)


# --- Indicators computed from records (see computed.py and docs/adr/0008-computed-indicators.md) ------------

RECORDS_ORGANISATION = "Coalition records (computed)"


def records_organisation(coalition: Coalition) -> Stakeholder:
    """The reporting organisation computed values are stored under: an archived stakeholder of the coalition
    (so it is in no list of stakeholders or of members expected to report), made on first use."""
    found = Stakeholder.objects.filter(coalition=coalition, name__iexact=RECORDS_ORGANISATION).first()
    if found is not None:
        return found
    return Stakeholder.objects.create(
        coalition=coalition,
        name=RECORDS_ORGANISATION,
        kind=Stakeholder.Kind.ORGANISATION,
        sector="civil_society",
        notes="Stands for the platform's own records: indicators computed from them are stored under it.",
        is_archived=True,
    )


def _computed_start(coalition: Coalition, frequency: str, today: dt.date) -> dt.date:
    """Where a new computed indicator's series starts: the coalition's start, else a year back."""
    start = coalition.starts_on or today - dt.timedelta(days=365)
    return periods.start_of(frequency, coalition.date_window.clamp(min(start, today)))


@transaction.atomic
def do_add_computed_indicator(
    coalition: Coalition,
    key: str,
    actor: Any,
    *,
    frequency: str = periods.QUARTERLY,
    today: dt.date | None = None,
) -> Indicator:
    """Offer a registered computation as an indicator of the coalition (at the cohesion level), and fill
    in its values. One indicator per computation: adding it again returns the existing one (restored if
    it was archived)."""
    found = computation(key)
    if found is None:
        raise ValidationError(_("Nothing is computed under the name %(key)s.") % {"key": key})
    existing = Indicator.objects.filter(coalition=coalition, computed_by=key).first()
    if existing is not None:
        if existing.is_archived:
            existing.is_archived = False
            existing.save(update_fields=["is_archived", "updated_at"])
        return existing
    today = today or timezone.localdate()
    name = str(found.label)
    if Indicator.objects.filter(coalition=coalition, name=name).exists():
        raise ValidationError(_("An indicator is already called “%(name)s”. Rename it first.") % {"name": name})
    indicator = Indicator(
        coalition=coalition,
        name=name,
        definition=str(found.definition),
        level="cohesion",
        kind=found.kind,
        unit=str(found.unit)[:60],
        direction=found.direction,
        time_aggregation=found.time_aggregation,
        member_aggregation="sum",
        frequency=frequency,
        data_source=str(_("Computed from the coalition's records")),
        baseline_not_applicable=True,
        starts_on=_computed_start(coalition, frequency, today),
        computed_by=key,
    )
    _check_indicator(indicator, coalition)
    indicator.save()
    audit.record(
        actor,
        "indicator.computed_added",
        indicator,
        coalition=coalition,
        after={"computed_by": key, **audit.snapshot(indicator, AUDITED_FIELDS)},
    )
    _refresh(coalition, [indicator], actor, today)
    return indicator


def _spans(indicator: Indicator, today: dt.date) -> list[tuple[dt.date, dt.date]]:
    return [(start, periods.end_of(indicator.frequency, start)) for start in indicator.period_starts(today)]


def _figure(indicator: Indicator, value: Decimal) -> tuple[Decimal, Decimal | None, Decimal | None]:
    """A computed figure as stored: percentages keep it as ``value`` / 100 so every rule reads it back."""
    value = value.quantize(Decimal("0.0001"))
    if indicator.kind == Kind.PERCENTAGE:
        return value, value, Decimal(100)
    return value, None, None


def _refresh(coalition: Coalition, indicators: Sequence[Indicator], actor: Any, today: dt.date) -> dict[int, int]:
    """Recompute and store every period of ``indicators`` (computed ones of one coalition); per indicator
    id, how many periods' values changed. Queries: one per computation's ``compute_many``, three to
    read and write the values, and the derived figures' refresh per changed indicator."""
    organisation = records_organisation(coalition)
    total = ensure_combinations(coalition, [()])[""]
    wanted: dict[tuple[int, dt.date], tuple[Decimal, Decimal | None, Decimal | None] | None] = {}
    for indicator in indicators:
        found = computation(indicator.computed_by)
        if found is None:  # its app is gone: keep the values it stored
            continue
        for start, value in found.series(coalition, _spans(indicator, today)).items():
            wanted[indicator.pk, start] = None if value is None else _figure(indicator, value)
    stored = {
        (v.indicator_id, v.period_start): v
        for v in DataValue.objects.filter(
            indicator__in=[i.pk for i in indicators], organisation=organisation, combination_id=total
        )
    }
    create: list[DataValue] = []
    update: list[DataValue] = []
    delete: list[int] = []
    changed: dict[int, list[dt.date]] = {}
    for (indicator_id, start), figure in wanted.items():
        current = stored.get((indicator_id, start))
        if figure is None:
            if current is not None:
                delete.append(current.pk)
                changed.setdefault(indicator_id, []).append(start)
            continue
        value, numerator, denominator = figure
        if current is None:
            create.append(
                DataValue(
                    coalition=coalition,
                    indicator_id=indicator_id,
                    organisation=organisation,
                    period_start=start,
                    combination_id=total,
                    value=value,
                    numerator=numerator,
                    denominator=denominator,
                    entered_by=None,
                )
            )
        elif (current.value, current.numerator, current.denominator) != figure:
            current.value, current.numerator, current.denominator = figure
            update.append(current)
        else:
            continue
        changed.setdefault(indicator_id, []).append(start)
    DataValue.objects.bulk_create(create)
    if update:
        DataValue.objects.bulk_update(update, ["value", "numerator", "denominator", "updated_at"])
    if delete:
        DataValue.objects.filter(pk__in=delete).delete()
    if changed:
        data_changed(coalition.pk, {i: (starts, [organisation.pk]) for i, starts in changed.items()})
        audit.record(
            actor,
            "indicator.computed_refreshed",
            coalition,
            coalition=coalition,
            after={str(i): len(starts) for i, starts in changed.items()},
        )
    return {i.pk: len(changed.get(i.pk, [])) for i in indicators}


@transaction.atomic
def do_refresh_computed(indicator: Indicator, actor: Any = None, *, today: dt.date | None = None) -> int:
    """Recompute one computed indicator's value of every period of its life so far; returns how many
    periods changed."""
    if not indicator.computed_by:
        raise ValidationError(_("This indicator is reported by members, not computed."))
    return _refresh(indicator.coalition, [indicator], actor, today or timezone.localdate())[indicator.pk]


@transaction.atomic
def do_refresh_all_computed(coalition: Coalition, actor: Any = None, *, today: dt.date | None = None) -> dict[int, int]:
    """Recompute every computed indicator of the coalition (archived ones keep their values)."""
    indicators = list(Indicator.objects.filter(coalition=coalition, is_archived=False).exclude(computed_by=""))
    if not indicators:
        return {}
    return _refresh(coalition, indicators, actor, today or timezone.localdate())
