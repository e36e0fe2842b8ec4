"""Coalitions, the people who belong to them (with roles) and their working groups."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from coalition.core import dates
from coalition.core.models import TimeStampedModel
from coalition.core.permissions import Role


class Coalition(TimeStampedModel):
    class Scope(models.TextChoices):
        LOCAL = "local", _("Local")
        SUBNATIONAL = "subnational", _("Sub-national")
        NATIONAL = "national", _("National")
        CROSS_BORDER = "cross_border", _("Cross-border")

    class Phase(models.TextChoices):
        PREPARING = "preparing", _("Preparing")
        LAUNCHING = "launching", _("Launching")
        OPERATING = "operating", _("Operating")
        SUSTAINING = "sustaining", _("Sustaining")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=200)
    problem_statement = models.TextField(_("shared problem statement"), blank=True)
    common_purpose = models.TextField(_("common purpose"), blank=True)
    scope = models.CharField(_("geographic scope"), max_length=20, choices=Scope.choices, default=Scope.LOCAL)
    places = models.CharField(
        _("places"),
        max_length=500,
        blank=True,
        help_text=_("Neighbourhoods, towns or regions covered, comma separated."),
    )
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, default=Phase.PREPARING)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    # Shared-measurement settings (used by the measurement app).
    small_cell_threshold = models.PositiveSmallIntegerField(
        _("small-cell threshold"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_("Disaggregated counts below this are hidden in views shared beyond the hub."),
    )
    protection_width = models.PositiveSmallIntegerField(
        _("protection width"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "In shared tables, the range anyone can work out for a hidden count is at least this wide. "
            "Empty: the small-cell threshold."
        ),
    )
    complete_share = models.PositiveSmallIntegerField(
        # xgettext:no-python-format
        _("complete period (% of expected reporters)"),
        default=100,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "A period counts as complete when at least this share of the expected members has reported. "
            "Sums and averages compare complete periods only."
        ),
    )
    on_track_margin = models.DecimalField(
        _("on-track margin (%)"),
        max_digits=5,
        decimal_places=2,
        default=15,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("An indicator within this percentage of its target counts as on track."),
    )
    shared_indicator_limit = models.PositiveSmallIntegerField(
        _("number of shared indicators"), default=3, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    # The window every date entered in this coalition must fall in (see ``core.dates``).
    first_year = models.PositiveSmallIntegerField(
        _("earliest year for dates"),
        default=dates.default_first_year,
        validators=[MinValueValidator(dates.EARLIEST_YEAR), MaxValueValidator(dates.LATEST_YEAR)],
        help_text=_("Dates entered anywhere in this coalition (plans, tasks, indicators…) must fall in this span."),
    )
    last_year = models.PositiveSmallIntegerField(
        _("latest year for dates"),
        default=dates.default_last_year,
        validators=[MinValueValidator(dates.EARLIEST_YEAR), MaxValueValidator(dates.LATEST_YEAR)],
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def protection(self) -> int:
        """The protection width of shared tables (the small-cell threshold unless set)."""
        return self.protection_width or self.small_cell_threshold

    @property
    def date_window(self) -> dates.DateWindow:
        return dates.DateWindow.for_years(self.first_year, self.last_year)

    def clean(self) -> None:
        errors = dates.check_years(self.first_year, self.last_year)
        if errors:
            raise ValidationError(errors)
        dates.check_dates(self.date_window, starts_on=self.starts_on, ends_on=self.ends_on)

    @property
    def place_list(self) -> list[str]:
        return [p.strip() for p in self.places.split(",") if p.strip()]


class Membership(TimeStampedModel):
    """A person's place in one coalition, optionally on behalf of an organisation, with roles."""

    coalition = models.ForeignKey(Coalition, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        "stakeholders.Stakeholder",
        verbose_name=_("organisation represented"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="memberships",
    )
    title = models.CharField(_("title or position"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["user__last_name", "user__first_name", "user__username"]
        constraints = [models.UniqueConstraint(fields=["coalition", "user"], name="one_membership_per_person")]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.coalition})"

    @property
    def display_name(self) -> str:
        return self.user.get_full_name() or self.user.username

    @property
    def role_codes(self) -> list[str]:
        return sorted(r.role for r in self.roles.all())

    @property
    def role_labels(self) -> list[str]:
        return [str(Role(code).label) for code in self.role_codes]


class MembershipRole(models.Model):
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["membership", "role"], name="role_once_per_membership")]

    def __str__(self) -> str:
        return self.get_role_display()


class WorkingGroup(TimeStampedModel):
    coalition = models.ForeignKey(Coalition, on_delete=models.CASCADE, related_name="working_groups")
    name = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(_("purpose"), blank=True)
    is_codesign_group = models.BooleanField(
        _("co-design group"), default=False, help_text=_("Its members may edit the common agenda.")
    )
    members = models.ManyToManyField(Membership, blank=True, related_name="working_groups", verbose_name=_("members"))

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["coalition", "name"], name="working_group_name_unique")]

    def __str__(self) -> str:
        return self.name
