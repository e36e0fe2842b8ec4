"""Joint action: plans with objectives, actions that member organisations lead and contribute to (with the
resources they commit), members' own activities (for the who-does-what-where picture) and the 90-day
launch workplan."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from coalition.core.models import TimeStampedModel


class ActivityType(TimeStampedModel):
    """A coalition's own words for kinds of activity (reading club, homework help, sports, outreach…)."""

    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.CASCADE, related_name="activity_types")
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), "coalition", name="activity_type_name_unique")]

    def __str__(self) -> str:
        return self.name


class JointActionPlan(TimeStampedModel):
    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.CASCADE, related_name="joint_plans")
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("what the plan sets out to do"), blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    is_archived = models.BooleanField(_("archived"), default=False)

    class Meta:
        ordering = ["is_archived", "-starts_on", "title"]
        constraints = [models.UniqueConstraint(Lower("title"), "coalition", name="joint_plan_title_unique")]

    def __str__(self) -> str:
        return self.title


class Objective(TimeStampedModel):
    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(JointActionPlan, on_delete=models.CASCADE, related_name="objectives")
    text = models.CharField(_("objective"), max_length=300)
    priority = models.ForeignKey(
        "planning.Priority",
        verbose_name=_("priority"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="joint_objectives",
        help_text=_("The co-design priority this objective serves."),
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class Action(TimeStampedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        UNDER_WAY = "under_way", _("Under way")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.CASCADE, related_name="joint_actions")
    plan = models.ForeignKey(JointActionPlan, on_delete=models.CASCADE, related_name="actions")
    objective = models.ForeignKey(
        Objective, verbose_name=_("objective"), null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    title = models.CharField(_("action"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    activity_type = models.ForeignKey(
        ActivityType, verbose_name=_("activity type"), on_delete=models.RESTRICT, related_name="actions"
    )
    place = models.CharField(_("place"), max_length=200)
    lead = models.ForeignKey(
        "stakeholders.Stakeholder", verbose_name=_("lead member"), on_delete=models.RESTRICT, related_name="led_actions"
    )
    starts_on = models.DateField(_("starts on"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    dropped_reason = models.TextField(_("why it was dropped"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["due_on", "title", "id"]
        indexes = [
            models.Index(fields=["coalition", "activity_type", "place"]),
            models.Index(fields=["coalition", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("starts_on")), name="action_due_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(status="done", completed_on__isnull=False)
                | (~models.Q(status="done") & models.Q(completed_on__isnull=True)),
                name="action_completed_on_iff_done",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="dropped") | ~models.Q(dropped_reason=""), name="action_dropped_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: dt.date) -> bool:
        return self.status in (self.Status.PLANNED, self.Status.UNDER_WAY) and self.due_on < today

    @property
    def done_on_time(self) -> bool:
        return self.status == self.Status.DONE and self.completed_on is not None and self.completed_on <= self.due_on


class Contribution(TimeStampedModel):
    """What one member organisation commits to an action: money (Decimal + ISO currency), in kind, or both."""

    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.CASCADE, related_name="+")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="contributions")
    member = models.ForeignKey(
        "stakeholders.Stakeholder", verbose_name=_("member"), on_delete=models.RESTRICT, related_name="contributions"
    )
    amount = models.DecimalField(
        _("money committed"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True, help_text=_("ISO code, e.g. EUR, USD, KES."))
    in_kind = models.CharField(_("in kind"), max_length=300, blank=True, help_text=_("Staff time, rooms, materials…"))

    class Meta:
        ordering = ["member__name"]
        constraints = [
            models.UniqueConstraint(fields=["action", "member"], name="one_contribution_per_member_per_action"),
            models.CheckConstraint(
                condition=(models.Q(amount__isnull=True) & models.Q(currency=""))
                | (models.Q(amount__isnull=False) & ~models.Q(currency="")),
                name="contribution_amount_has_currency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.action}"


class MemberActivity(TimeStampedModel):
    """Something a member organisation runs on its own, recorded so the coalition can see who does what where."""

    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.CASCADE, related_name="member_activities")
    member = models.ForeignKey(
        "stakeholders.Stakeholder", verbose_name=_("member"), on_delete=models.RESTRICT, related_name="own_activities"
    )
    title = models.CharField(_("activity"), max_length=200)
    activity_type = models.ForeignKey(
        ActivityType, verbose_name=_("activity type"), on_delete=models.RESTRICT, related_name="member_activities"
    )
    place = models.CharField(_("place"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True, help_text=_("Leave empty if it is ongoing."))
    notes = models.TextField(_("notes"), blank=True)
    is_archived = models.BooleanField(_("archived"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["starts_on", "title", "id"]
        verbose_name_plural = _("member activities")
        indexes = [models.Index(fields=["coalition", "activity_type", "place"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="member_activity_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class LaunchWorkplan(TimeStampedModel):
    """The coalition's 90-day launch checklist; its tasks are dated from ``starts_on``."""

    coalition = models.OneToOneField("coalitions.Coalition", on_delete=models.CASCADE, related_name="launch_workplan")
    starts_on = models.DateField(_("day 1 of the launch"))

    def __str__(self) -> str:
        return f"{self.coalition} launch workplan"


class WorkplanTask(TimeStampedModel):
    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.CASCADE, related_name="+")
    workplan = models.ForeignKey(LaunchWorkplan, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    starts_on = models.DateField(_("starts on"))
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    is_removed = models.BooleanField(_("removed"), default=False)

    class Meta:
        ordering = ["starts_on", "due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("starts_on")), name="workplan_task_due_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_on is not None
