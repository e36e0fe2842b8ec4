"""Meetings: series that recur, their occurrences (and one-off meetings), agenda items with papers,
attendance, minutes, decisions and action items (each one a joint-action commitment)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from coalition.core.models import TimeStampedModel

MAX_MINUTES = 8 * 60


class Forum(models.TextChoices):
    COALITION = "coalition", _("Whole coalition")
    STEERING = "steering", _("Steering committee")
    WORKING_GROUP = "working_group", _("Working group")
    CODESIGN = "codesign", _("Co-design group")


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Every week")
    BIWEEKLY = "biweekly", _("Every two weeks")
    MONTHLY = "monthly", _("Monthly, on the n-th weekday")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class WeekOfMonth(models.IntegerChoices):
    FIRST = 1, _("first")
    SECOND = 2, _("second")
    THIRD = 3, _("third")
    FOURTH = 4, _("fourth")
    FIFTH = 5, _("fifth (months that have one)")
    LAST = -1, _("last")


class MeetingSettings(models.Model):
    """A coalition's meeting rules where its charter does not give them in a form the platform can read."""

    coalition = models.OneToOneField("coalitions.Coalition", on_delete=models.CASCADE, related_name="meeting_settings")
    quorum_share = models.PositiveSmallIntegerField(
        # xgettext:no-python-format
        _("quorum (% of invitees present)"),
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    attending_share = models.PositiveSmallIntegerField(
        # xgettext:no-python-format
        _("consistent attendance (% of meetings)"),
        default=75,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("A member organisation attending at least this share of its meetings counts as consistent."),
    )
    agenda_days_ahead = models.PositiveSmallIntegerField(
        _("publish agendas at least this many days ahead"),
        default=5,
        validators=[MinValueValidator(0), MaxValueValidator(60)],
    )

    def __str__(self) -> str:
        return f"meeting settings of {self.coalition_id}"


SETTINGS_FIELDS = ("quorum_share", "attending_share", "agenda_days_ahead")


class Venue(models.Model):
    """Where and how people meet: shared by series and meetings."""

    forum = models.CharField(_("forum"), max_length=20, choices=Forum.choices, default=Forum.COALITION)
    working_group = models.ForeignKey(
        "coalitions.WorkingGroup",
        verbose_name=_("working group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    timezone = models.CharField(_("time zone"), max_length=64, default="UTC")
    duration_minutes = models.PositiveSmallIntegerField(
        _("length (minutes)"), default=90, validators=[MinValueValidator(5), MaxValueValidator(MAX_MINUTES)]
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    call_link = models.URLField(_("call link"), max_length=500, blank=True)

    class Meta:
        abstract = True

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


SERIES_FIELDS = (
    "title",
    "forum",
    "working_group",
    "frequency",
    "weekday",
    "week_of_month",
    "first_date",
    "until",
    "start_time",
    "duration_minutes",
    "timezone",
    "place",
    "call_link",
)


class MeetingSeries(Venue, TimeStampedModel):
    """A regular meeting. ``rrule`` is built from the form's choices (never typed) and generates occurrences
    in the series' own time zone, so a daylight-saving change keeps the wall-clock time."""

    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.CASCADE, related_name="meeting_series")
    title = models.CharField(_("title"), max_length=200)
    frequency = models.CharField(_("repeats"), max_length=10, choices=Frequency.choices, default=Frequency.BIWEEKLY)
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices, default=Weekday.TUESDAY)
    week_of_month = models.SmallIntegerField(
        _("which one in the month"), choices=WeekOfMonth.choices, null=True, blank=True
    )
    first_date = models.DateField(_("from"))
    until = models.DateField(_("until"), null=True, blank=True, help_text=_("Leave empty to keep going."))
    start_time = models.TimeField(_("starts at (local time)"))
    rrule = models.CharField(max_length=200, editable=False)
    is_archived = models.BooleanField(_("ended"), default=False)

    class Meta:
        ordering = ["title"]
        verbose_name_plural = _("meeting series")

    def __str__(self) -> str:
        return self.title


MEETING_FIELDS = ("title", "forum", "working_group", "starts_at", "duration_minutes", "timezone", "place", "call_link")


class Meeting(Venue, TimeStampedModel):
    """One meeting: a one-off, or an occurrence of a series. ``original_start`` is the occurrence the series
    generated; the meeting may be moved (``starts_at``) or cancelled and still be that occurrence."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.CASCADE, related_name="meetings")
    series = models.ForeignKey(MeetingSeries, null=True, blank=True, on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    original_start = models.DateTimeField(null=True, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    proposals_close_at = models.DateTimeField(_("proposals close at"), null=True, blank=True)
    agenda_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)  # iCalendar SEQUENCE: bumped on changes
    minutes_approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    minutes_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["coalition", "starts_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "original_start"],
                condition=models.Q(series__isnull=False),
                name="one_meeting_per_occurrence",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.local_start:%Y-%m-%d %H:%M})"

    @property
    def local_start(self) -> dt.datetime:
        return self.starts_at.astimezone(self.zone)

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.duration_minutes)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_published(self) -> bool:
        return self.agenda_published_at is not None

    @property
    def is_moved(self) -> bool:
        return self.original_start is not None and self.original_start != self.starts_at


class Purpose(models.TextChoices):
    INFORM = "inform", _("To inform")
    DISCUSS = "discuss", _("To discuss")
    DECIDE = "decide", _("To decide")


ITEM_FIELDS = ("title", "purpose", "minutes_needed", "description")


class AgendaItem(TimeStampedModel):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        DEFERRED = "deferred", _("Deferred")

    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    title = models.CharField(_("item"), max_length=200)
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices, default=Purpose.DISCUSS)
    minutes_needed = models.PositiveSmallIntegerField(
        _("time needed (minutes)"), default=10, validators=[MinValueValidator(1), MaxValueValidator(MAX_MINUTES)]
    )
    description = models.TextField(_("what it is about"), blank=True, max_length=5000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    position = models.PositiveSmallIntegerField(_("order"), default=0, validators=[MaxValueValidator(999)])
    proposed_by = models.ForeignKey(
        "coalitions.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    minutes = models.TextField(_("minutes"), blank=True, max_length=20000)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Paper(models.Model):
    """A document attached to an agenda item. Kept in the database (bounded by ``uploads.read_upload``) so it is
    backed up with everything else and only ever served through the meeting's access rules."""

    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="papers")
    filename = models.CharField(max_length=100)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    data = models.BinaryField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["filename", "id"]

    def __str__(self) -> str:
        return self.filename


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        EXCUSED = "excused", _("Excused")
        ABSENT = "absent", _("Absent")

    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    membership = models.ForeignKey("coalitions.Membership", on_delete=models.PROTECT, related_name="attendance")
    status = models.CharField(_("attendance"), max_length=10, choices=Status.choices)
    organisation = models.ForeignKey(
        "stakeholders.Stakeholder",
        verbose_name=_("organisation represented"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["membership_id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "membership"], name="attendance_once_per_person")]

    def __str__(self) -> str:
        return f"{self.membership_id}: {self.status}"


class DecisionRule(models.TextChoices):
    CONSENT = "consent", _("Consent")
    CONSENSUS = "consensus", _("Consensus")
    MAJORITY = "majority", _("Simple majority")
    QUALIFIED = "qualified", _("Qualified majority")
    OTHER = "other", _("Other (see reasoning)")


DECISION_FIELDS = ("item", "text", "rule", "result", "reasoning")


class MeetingDecision(TimeStampedModel):
    class Result(models.TextChoices):
        ADOPTED = "adopted", _("Adopted")
        REJECTED = "rejected", _("Rejected")
        POSTPONED = "postponed", _("Postponed")

    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    item = models.ForeignKey(
        AgendaItem, verbose_name=_("agenda item"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.CharField(_("decision"), max_length=500)
    rule = models.CharField(_("rule used"), max_length=12, choices=DecisionRule.choices)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices)
    reasoning = models.TextField(_("reasoning"), blank=True, max_length=5000)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text


class ActionItem(models.Model):
    """An action agreed in a meeting. It IS a joint-action commitment: ``action`` is the one record the owner's
    commitments, reminders and follow-through rate count; this row only says which meeting agreed it."""

    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    action = models.OneToOneField("joint_action.Action", on_delete=models.PROTECT, related_name="meeting_item")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"meeting {self.meeting_id}: action {self.action_id}"


class FeedKey(models.Model):
    """How many times a person has revoked their calendar feed address: the address is signed with this
    generation, so revoking (a new generation) stops every older address."""

    membership = models.OneToOneField("coalitions.Membership", on_delete=models.CASCADE, related_name="feed_key")
    generation = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"feed key {self.generation} of {self.membership_id}"
