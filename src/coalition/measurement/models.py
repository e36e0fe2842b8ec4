"""Shared measurement: indicators, targets, disaggregation categories, data values and their review.

Identity of a value: (indicator, period start, reporting organisation, option combination). A period is
stored as the date it starts (see ``periods.py``); an option combination is a row of
``OptionCombination`` whose ``key`` is the sorted option ids joined by dots (the empty key is the
undisaggregated total). Only ``actions.py`` and ``imports.py`` write these tables.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TypedDict

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.functional import cached_property  # the kind prefetch_related(to_attr=...) recognises
from django.utils.translation import gettext_lazy as _

from coalition.core.models import TimeStampedModel
from coalition.measurement import deadlines, periods


class DecimalSize(TypedDict):
    """The size of a DecimalField, typed so that ``**AMOUNT`` reaches its two keyword arguments."""

    max_digits: int
    decimal_places: int


AMOUNT: DecimalSize = {"max_digits": 20, "decimal_places": 4}


class Level(models.TextChoices):
    OUTPUT = "output", _("Output")
    OUTCOME = "outcome", _("Outcome")
    PROCESS = "process", _("Process")
    COHESION = "cohesion", _("Cohesion")
    EQUITY = "equity", _("Equity")


class Kind(models.TextChoices):
    COUNT = "count", _("Count")
    PERCENTAGE = "percentage", _("Percentage (numerator / denominator)")
    YES_NO = "yes_no", _("Yes / no")
    MONEY = "money", _("Amount of money")
    SCORE = "score", _("Average / score")


class Direction(models.TextChoices):
    INCREASE = "increase", _("Should increase")
    DECREASE = "decrease", _("Should decrease")


class TimeAggregation(models.TextChoices):
    SUM = "sum", _("Sum over periods")
    AVERAGE = "average", _("Average over periods")
    LATEST = "latest", _("Latest value (snapshot / cumulative)")


class MemberAggregation(models.TextChoices):
    SUM = "sum", _("Sum across members")
    AVERAGE = "average", _("Average across members")
    MAX = "max", _("Highest member value (same people, no double counting)")


class Frequency(models.TextChoices):
    WEEKLY = periods.WEEKLY, _("Weekly")
    FORTNIGHTLY = periods.FORTNIGHTLY, _("Every two weeks")
    MONTHLY = periods.MONTHLY, _("Monthly")
    QUARTERLY = periods.QUARTERLY, _("Quarterly")
    ANNUAL = periods.ANNUAL, _("Annual")


class Indicator(TimeStampedModel):
    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("name"), max_length=200)
    definition = models.TextField(_("definition"), blank=True, help_text=_("What is counted, and how."))
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.OUTPUT)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.COUNT)
    unit = models.CharField(_("unit"), max_length=60, blank=True, help_text=_("For example: children, hours, %."))
    currency = models.CharField(_("currency"), max_length=3, blank=True, help_text=_("ISO code, for money only."))
    direction = models.CharField(_("desired direction"), max_length=10, choices=Direction.choices, default="increase")
    time_aggregation = models.CharField(
        _("over time"), max_length=10, choices=TimeAggregation.choices, default=TimeAggregation.SUM
    )
    member_aggregation = models.CharField(
        _("across members"), max_length=10, choices=MemberAggregation.choices, default=MemberAggregation.SUM
    )
    frequency = models.CharField(
        _("reporting frequency"), max_length=12, choices=Frequency.choices, default="quarterly"
    )
    due_days = models.PositiveSmallIntegerField(
        _("days to report after a period ends"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(deadlines.MAX_DUE_DAYS)],
        help_text=_("Leave empty for the usual number of days for the reporting frequency."),
    )
    data_source = models.CharField(_("data source"), max_length=300, blank=True)
    owner_organisation = models.ForeignKey(
        "stakeholders.Stakeholder",
        verbose_name=_("owner (member organisation)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_indicators",
    )
    owner_group = models.ForeignKey(
        "coalitions.WorkingGroup",
        verbose_name=_("owner (working group)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_indicators",
    )
    baseline_value = models.DecimalField(_("baseline value"), null=True, blank=True, **AMOUNT)
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    baseline_not_applicable = models.BooleanField(_("no baseline (not applicable)"), default=False)
    min_value = models.DecimalField(_("lowest allowed value"), null=True, blank=True, **AMOUNT)
    max_value = models.DecimalField(_("highest allowed value"), null=True, blank=True, **AMOUNT)
    is_shared = models.BooleanField(_("shared indicator"), default=False)
    order = models.PositiveIntegerField(_("order"), default=0)
    starts_on = models.DateField(_("first period starts on"))
    ends_on = models.DateField(_("last period ends on"), null=True, blank=True)
    is_archived = models.BooleanField(_("archived"), default=False)
    # The key of the ``computed.Computation`` that fills this indicator from the platform's records
    # (empty: members report it). Computed values are written by ``actions.do_refresh_computed`` only.
    computed_by = models.CharField(_("computed from records"), max_length=100, blank=True, default="", editable=False)
    categories: models.ManyToManyField[DisaggregationCategory, IndicatorCategory] = models.ManyToManyField(
        "DisaggregationCategory", through="IndicatorCategory", blank=True, related_name="indicators"
    )

    class Meta:
        ordering = ["-is_shared", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["coalition", "name"], name="indicator_name_unique_per_coalition"),
            models.UniqueConstraint(
                fields=["coalition", "computed_by"],
                condition=~models.Q(computed_by=""),
                name="one_indicator_per_computation",
            ),
            models.CheckConstraint(
                condition=models.Q(owner_organisation__isnull=True) | models.Q(owner_group__isnull=True),
                name="indicator_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @cached_property
    def target_by_period(self) -> dict[dt.date, Decimal]:
        """Period start → target, oldest first (one query; ``queries.active_indicators`` fills it in
        for many indicators at once)."""
        return dict(self.targets.order_by("period_start").values_list("period_start", "value"))

    @cached_property
    def breakdown(self) -> list[DisaggregationCategory]:
        """The categories the indicator is broken down by, in display order (``queries.active_indicators``
        fills this in, with each category's ``option_list``, for many indicators at once)."""
        return list(self.categories.all())

    @property
    def is_computed(self) -> bool:
        return bool(self.computed_by)

    @property
    def is_percentage(self) -> bool:
        return self.kind == Kind.PERCENTAGE

    @property
    def first_period(self) -> dt.date:
        return periods.start_of(self.frequency, self.starts_on)

    @property
    def last_period(self) -> dt.date | None:
        return periods.start_of(self.frequency, self.ends_on) if self.ends_on else None

    @property
    def days_to_report(self) -> int:
        """Days after a period ends by which its data is due (the indicator's own rule or its frequency's)."""
        return deadlines.due_days(self.frequency, self.due_days)

    def due_on(self, start: dt.date) -> dt.date:
        return deadlines.due_date(self.frequency, start, self.due_days)

    def period_label(self, start: dt.date) -> str:
        return periods.label(self.frequency, start)

    def period_starts(self, until: dt.date) -> list[dt.date]:
        """Every period of the indicator's life up to the one containing ``until`` (or its end)."""
        last = min(until, self.ends_on) if self.ends_on else until
        return list(periods.between(self.frequency, self.starts_on, last)) if last >= self.starts_on else []

    def in_life(self, start: dt.date) -> bool:
        return start >= self.first_period and (self.last_period is None or start <= self.last_period)

    @property
    def owner(self) -> object | None:
        return self.owner_organisation or self.owner_group


class Target(TimeStampedModel):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    period_start = models.DateField(_("period"))
    value = models.DecimalField(_("target"), **AMOUNT)

    class Meta:
        ordering = ["indicator", "period_start"]
        constraints = [models.UniqueConstraint(fields=["indicator", "period_start"], name="one_target_per_period")]

    def __str__(self) -> str:
        return f"{self.indicator} {self.indicator.period_label(self.period_start)}: {self.value}"


class DisaggregationCategory(TimeStampedModel):
    """A reusable breakdown such as sex, age band, place or population group."""

    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = _("disaggregation categories")
        constraints = [models.UniqueConstraint(fields=["coalition", "name"], name="category_name_unique")]

    def __str__(self) -> str:
        return self.name

    @cached_property
    def option_list(self) -> list[CategoryOption]:
        """The options in display order, as a list that a bulk fetch can fill in (see ``Indicator.breakdown``)."""
        return list(self.options.all())


class CategoryOption(TimeStampedModel):
    category = models.ForeignKey(DisaggregationCategory, on_delete=models.CASCADE, related_name="options")
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(
        _("in use"), default=True, help_text=_("Retired options keep their data but are not offered for new values.")
    )

    class Meta:
        ordering = ["category", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["category", "name"], name="option_name_unique")]

    def __str__(self) -> str:
        return self.name


class IndicatorCategory(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="category_links")
    category = models.ForeignKey(DisaggregationCategory, on_delete=models.PROTECT, related_name="indicator_links")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "category__order", "category__name"]
        constraints = [models.UniqueConstraint(fields=["indicator", "category"], name="category_once_per_indicator")]

    def __str__(self) -> str:
        return f"{self.indicator} × {self.category}"


class OptionCombination(models.Model):
    """A set of category options (at most one per category) a value is reported for.

    ``key`` is the normalised identity: sorted option ids joined by ``.``; ``""`` is the total.
    """

    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    options = models.ManyToManyField(CategoryOption, related_name="combinations")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["coalition", "key"], name="combination_key_unique")]

    def __str__(self) -> str:
        return self.key or "total"

    @staticmethod
    def key_for(option_ids: list[int] | tuple[int, ...] | set[int]) -> str:
        return ".".join(str(i) for i in sorted(option_ids))


class ImportBatch(models.Model):
    """One confirmed import of a file: who, when, which file and what it changed."""

    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.CASCADE, related_name="import_batches")
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    filename = models.CharField(_("file"), max_length=255, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.created_at:%Y-%m-%d %H:%M})"


class DataValue(models.Model):
    """One figure a member reported.

    Every index and database-checked reference slows each of the millions of inserts an import makes
    (an index on the organisation alone cost a fifth of the import's time). So the only index is the
    identity, which also serves every lookup by indicator; the other references are searched only when
    an organisation, coalition, user, batch or combination is deleted, rarely enough to afford a scan.
    No reference is checked by the database either (Django applies their ``on_delete``): PostgreSQL
    checks a foreign key with one lookup per inserted row at commit, which cost two thirds of a
    million-value import. Indicators, organisations and option combinations are never deleted by the
    application (they are archived or retired), and an import locks the rows it refers to and checks
    they exist once per distinct row (``imports._lock_references``)."""

    coalition = models.ForeignKey(
        "coalitions.Coalition", on_delete=models.CASCADE, db_index=False, db_constraint=False, related_name="+"
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, db_index=False, db_constraint=False, related_name="values"
    )
    period_start = models.DateField(_("period"))
    organisation = models.ForeignKey(
        "stakeholders.Stakeholder",
        verbose_name=_("reporting organisation"),
        on_delete=models.PROTECT,
        db_index=False,
        db_constraint=False,
        related_name="indicator_values",
    )
    combination = models.ForeignKey(
        OptionCombination, on_delete=models.PROTECT, db_index=False, db_constraint=False, related_name="values"
    )
    value = models.DecimalField(_("value"), **AMOUNT)
    numerator = models.DecimalField(_("numerator"), null=True, blank=True, **AMOUNT)
    denominator = models.DecimalField(_("denominator"), null=True, blank=True, **AMOUNT)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_index=False,
        db_constraint=False,
        related_name="+",
    )
    on_behalf = models.BooleanField(_("entered by the hub on the member's behalf"), default=False)
    import_batch = models.ForeignKey(
        ImportBatch,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_index=False,
        db_constraint=False,
        related_name="values",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["indicator", "period_start", "organisation", "combination"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_start", "organisation", "combination"], name="one_value_per_identity"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.period_start} {self.organisation_id}: {self.value}"


# Sums of many values need more digits than one value; member percentages keep their decimals.
FIGURE: DecimalSize = {"max_digits": 40, "decimal_places": 12}


class MemberPeriodValue(models.Model):
    """One member's value of one indicator for one period, as the first aggregation rule makes it from
    its stored values (its direct total, else the sum of its cells; percentages from the summed
    numerator and denominator). Derived data, kept by ``rollups.refresh`` only."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, db_index=False, db_constraint=False, related_name="+"
    )
    period_start = models.DateField()
    # Rows exist only beside values, which protect the organisation: nothing to do on delete.
    organisation = models.ForeignKey(
        "stakeholders.Stakeholder", on_delete=models.DO_NOTHING, db_index=False, db_constraint=False, related_name="+"
    )
    value = models.DecimalField(null=True, **FIGURE)
    numerator = models.DecimalField(null=True, **FIGURE)
    denominator = models.DecimalField(null=True, **FIGURE)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_start", "organisation"], name="one_member_value_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period_start} {self.organisation_id}: {self.value}"


class PeriodFigure(models.Model):
    """Per indicator and period, across members: how many member rows, the count, sum and maximum of
    their values, and the summed numerator and denominator, from which every across-member rule is
    read. ``cell`` 0 holds the member values; any other ``cell`` is an option combination id and holds
    that disaggregated cell. Each exists twice: over all data and over reviewed data only
    (``approved_only``). Derived data, kept by ``rollups.refresh`` only."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, db_index=False, db_constraint=False, related_name="+"
    )
    period_start = models.DateField()
    approved_only = models.BooleanField()
    cell = models.PositiveBigIntegerField()
    members = models.PositiveIntegerField()
    value_sum = models.DecimalField(null=True, **FIGURE)
    value_count = models.PositiveIntegerField()
    value_max = models.DecimalField(null=True, **FIGURE)
    numerator_sum = models.DecimalField(null=True, **FIGURE)
    denominator_sum = models.DecimalField(null=True, **FIGURE)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "approved_only", "cell", "period_start"], name="one_figure_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period_start} cell {self.cell}: {self.value_sum}"


class MemberFigure(models.Model):
    """Per indicator and member, over all its periods: its first and last period with a value, that
    value, and the sum and count of its values, from which each rule over time is read. Over all data and over
    reviewed data only (``approved_only``). Derived data, kept by ``rollups.refresh`` only."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, db_index=False, db_constraint=False, related_name="+"
    )
    organisation = models.ForeignKey(
        "stakeholders.Stakeholder", on_delete=models.DO_NOTHING, db_index=False, db_constraint=False, related_name="+"
    )
    approved_only = models.BooleanField()
    latest_period = models.DateField()
    first_period = models.DateField(null=True)  # None: not derived yet (rows from before it existed)
    latest_value = models.DecimalField(null=True, **FIGURE)
    value_sum = models.DecimalField(null=True, **FIGURE)
    value_count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "approved_only", "organisation"], name="one_member_figure_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.organisation_id}: {self.latest_value}"


class Submission(TimeStampedModel):
    """The review state of one member's values for one indicator and period."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        LOCKED = "locked", _("Locked")

    # References unchecked by the database, as a value's (see ``DataValue``): an import submits a period
    # for each member and month it brings, and each checked reference cost a lookup per period at commit.
    # Likewise each index costs every inserted period a descent: the indicator is the identity's prefix
    # (its own index would be redundant) and the people are searched only when a user is deleted.
    coalition = models.ForeignKey(
        "coalitions.Coalition", on_delete=models.CASCADE, db_constraint=False, related_name="+"
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, db_index=False, db_constraint=False, related_name="submissions"
    )
    organisation = models.ForeignKey(
        "stakeholders.Stakeholder", on_delete=models.PROTECT, db_constraint=False, related_name="+"
    )
    period_start = models.DateField(_("period"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_index=False,
        db_constraint=False,
        related_name="+",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_index=False,
        db_constraint=False,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["indicator", "period_start", "organisation"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "organisation", "period_start"], name="one_submission_each")
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.period_start} {self.organisation_id}: {self.state}"


class DataVersion(models.Model):
    """A counter per coalition that every measurement write raises (``freshness.data_changed``), in the
    writing transaction: cached dashboard figures are keyed by it, so a saved value shows on the next
    load, in every process, with no cache to clear."""

    coalition = models.OneToOneField(
        "coalitions.Coalition", primary_key=True, on_delete=models.CASCADE, related_name="measurement_version"
    )
    version = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.coalition_id}: {self.version}"
