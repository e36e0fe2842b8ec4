"""Learning and adapting: pauses with a frozen evidence snapshot, the adaptations they agree, stories of change
(most significant change) with per-use consent, selection rounds, and harvested outcomes.

Models hold data and field rules only; every write is in actions.py, every read with rules in queries.py."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from coalition.core.models import TimeStampedModel

PAUSE_FIELDS = ("period_start", "period_end", "held_on", "expected", "happened", "why_different", "keep", "change")
STORY_FIELDS = ("domain_id", "title", "text", "storyteller", "told_on")
CONSENT_FIELDS = ("consent_internal", "consent_public", "consent_named")
OUTCOME_FIELDS = (
    "description",
    "social_actor",
    "happened_on",
    "place",
    "significance",
    "contribution",
    "sources",
    "substantiated_by",
    "substantiation",
)


class LearningSettings(models.Model):
    coalition = models.OneToOneField("coalitions.Coalition", on_delete=models.CASCADE, related_name="learning_settings")
    interval_weeks = models.PositiveSmallIntegerField(
        _("weeks between learning pauses"), default=8, validators=[MinValueValidator(2), MaxValueValidator(26)]
    )

    def __str__(self) -> str:
        return f"learning settings of {self.coalition_id}"


class Pause(TimeStampedModel):
    """A learning pause as held: the period it reviewed, the evidence as it stood that day (``evidence``, a
    frozen JSON snapshot, never recomputed), the after-action answers and who took part."""

    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.CASCADE, related_name="learning_pauses")
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    held_on = models.DateField(_("held on"))
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("held as meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="learning_pauses",
    )
    evidence = models.JSONField(_("evidence reviewed"), default=dict, editable=False)
    expected = models.TextField(_("what we expected"), blank=True)
    happened = models.TextField(_("what happened"), blank=True)
    why_different = models.TextField(_("why they differ"), blank=True)
    keep = models.TextField(_("what we keep"), blank=True)
    change = models.TextField(_("what we change"), blank=True)
    participants = models.ManyToManyField(
        "coalitions.Membership", verbose_name=_("who took part"), blank=True, related_name="learning_pauses"
    )
    held_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    share_token = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    class Meta:
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")), name="pause_period")
        ]

    def __str__(self) -> str:
        return f"{self.period_start:%Y-%m-%d} – {self.period_end:%Y-%m-%d}"


class Adaptation(TimeStampedModel):
    """A change a pause agreed, applied through the owning app's action; ``before``/``after`` keep what the
    target looked like either side of it."""

    class Kind(models.TextChoices):
        ACTION_DATES = "action_dates", _("An action's dates")
        ACTION_STATUS = "action_status", _("An action's status")
        ACTION_LEAD = "action_lead", _("An action's lead")
        INDICATOR_TARGET = "indicator_target", _("An indicator's target")
        MEETING_RHYTHM = "meeting_rhythm", _("A meeting rhythm")
        PRIORITY = "priority", _("A priority")
        COMMON_AGENDA = "common_agenda", _("The common agenda")

    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.CASCADE, related_name="adaptations")
    pause = models.ForeignKey(Pause, on_delete=models.CASCADE, related_name="adaptations")
    kind = models.CharField(_("what it changes"), max_length=20, choices=Kind.choices)
    target = models.CharField(_("target"), max_length=300)
    reason = models.TextField(_("why"))
    resources = models.TextField(_("how resources were used"), blank=True)
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)
    applied_at = models.DateTimeField(_("applied"))
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-applied_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.target}"


class StoryDomain(TimeStampedModel):
    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.CASCADE, related_name="story_domains")
    name = models.CharField(_("domain"), max_length=200)
    description = models.TextField(_("what belongs here"), blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["coalition", "name"], name="story_domain_unique")]

    def __str__(self) -> str:
        return self.name


class StoryQuerySet(models.QuerySet["Story"]):
    def for_use(self, use: str) -> StoryQuerySet:
        """The only way any view, export or API answer reads stories: those whose storyteller consents to
        ``use`` ("internal" for the coalition's own pages, "public" for anything beyond). Withdrawing a
        consent takes the story out of every such reading at once."""
        if use == "public":
            return self.filter(consent_public=True, consent_internal=True)
        if use == "internal":
            return self.filter(consent_internal=True)
        raise ValueError(f"unknown use: {use}")


class Story(TimeStampedModel):
    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.CASCADE, related_name="stories")
    domain = models.ForeignKey(StoryDomain, verbose_name=_("domain"), on_delete=models.PROTECT, related_name="stories")
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("the story"))
    storyteller = models.CharField(_("storyteller"), max_length=200)
    told_on = models.DateField(_("told on"))
    consent_internal = models.BooleanField(_("may be read inside the coalition"), default=True)
    consent_public = models.BooleanField(_("may be shared publicly"), default=False)
    consent_named = models.BooleanField(_("may name the storyteller"), default=False)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = StoryQuerySet.as_manager()

    class Meta:
        ordering = ["-told_on", "-id"]
        verbose_name_plural = _("stories")

    def __str__(self) -> str:
        return self.title

    @property
    def shown_name(self) -> str:
        return self.storyteller if self.consent_named else str(_("Anonymous"))


class SelectionRound(TimeStampedModel):
    """A panel reads the stories of a period and picks the most significant one per domain, saying why."""

    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.CASCADE, related_name="selection_rounds")
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("held on"))
    panel = models.TextField(_("panel"), help_text=_("Who sat on the panel."))

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Selection(models.Model):
    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="selections")
    domain = models.ForeignKey(StoryDomain, on_delete=models.CASCADE, related_name="+")
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="selections")
    reason = models.TextField(_("why this story"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "domain"], name="one_selection_per_domain")]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.story_id}"


class Outcome(TimeStampedModel):
    """An outcome harvested: an observed change in a social actor, and how the coalition contributed."""

    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.CASCADE, related_name="outcomes")
    description = models.TextField(_("what changed"))
    social_actor = models.CharField(_("who changed (social actor)"), max_length=200)
    happened_on = models.DateField(_("when"))
    place = models.CharField(_("where"), max_length=200, blank=True)
    significance = models.TextField(_("why it matters"), blank=True)
    contribution = models.TextField(_("how the coalition contributed"))
    sources = models.TextField(_("sources"), blank=True)
    substantiated_by = models.CharField(_("confirmed by"), max_length=200, blank=True)
    substantiation = models.TextField(_("how it was confirmed"), blank=True)
    priorities = models.ManyToManyField("planning.Priority", verbose_name=_("priorities"), blank=True, related_name="+")
    indicators = models.ManyToManyField(
        "measurement.Indicator", verbose_name=_("indicators"), blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-happened_on", "-id"]

    def __str__(self) -> str:
        return self.social_actor
