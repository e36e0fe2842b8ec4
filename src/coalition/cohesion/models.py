"""Health checks (eleven factors, member self-assessment beside evidence from records) and the
sustainability plan. Only ``actions.py`` writes these tables."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from coalition.cohesion.factors import BY_CODE
from coalition.core.models import TimeStampedModel


class HealthCheck(TimeStampedModel):
    class Status(models.TextChoices):
        OPEN = "open", _("Open for answers")
        CLOSED = "closed", _("Closed")

    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.CASCADE, related_name="health_checks")
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    held_on = models.DateField(_("held on"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Frozen at closing: factor code → {"mean": str | None, "answers": int, "evidence": {...}}.
    results = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class HealthAnswer(models.Model):
    """One member's score of one factor in one check (1 to 5)."""

    health_check = models.ForeignKey(HealthCheck, on_delete=models.CASCADE, related_name="answers")
    membership = models.ForeignKey("coalitions.Membership", on_delete=models.CASCADE, related_name="+")
    factor = models.CharField(max_length=30)
    score = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["health_check", "membership", "factor"], name="health_answer_once"),
            models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=5), name="health_score_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.health_check_id} {self.factor}: {self.score}"


# --- Sustainability plan ------------------------------------------------------------------------------

# Written once: the decision form, the action's saved and audited fields and the version snapshot use these.
DECISION_FIELDS = ("decision", "reasons", "continues", "review_on")
ITEM_FIELDS = ("part", "what", "responsible", "resources", "milestone", "due_on", "status", "factor")


class SustainabilityPlan(TimeStampedModel):
    """The coalition's answer to "should this coalition last, and what of it?", then its plan. One per coalition;
    every change adds a ``PlanVersion``, so earlier answers and plans are kept."""

    class Decision(models.TextChoices):
        CONTINUE = "continue", _("Continue as we are")
        TRANSFORM = "transform", _("Continue in a new form")
        HAND_OVER = "hand_over", _("Hand the work over to others")
        CLOSE_WELL = "close_well", _("Close well once the work is done")

    coalition = models.OneToOneField(
        "coalitions.Coalition", on_delete=models.CASCADE, related_name="sustainability_plan"
    )
    decision = models.CharField(_("should the coalition continue?"), max_length=20, choices=Decision.choices)
    reasons = models.TextField(_("why"))
    continues = models.TextField(_("what should continue"), blank=True)
    review_on = models.DateField(_("review the answer and the plan on"))
    version = models.PositiveIntegerField(default=0, editable=False)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self) -> str:
        return f"{self.get_decision_display()} (v{self.version})"


class Readiness(models.TextChoices):
    READY = "ready", _("Ready")
    PARTLY = "partly", _("Partly")
    NOT_YET = "not_yet", _("Not yet")


@dataclass(frozen=True)
class ReadinessQuestion:
    code: str
    label: str | Promise
    question: str | Promise

    # The names of its rating and note, in the decision form and in the action's errors.
    @property
    def rating_key(self) -> str:
        return f"{self.code}_rating"

    @property
    def note_key(self) -> str:
        return f"{self.code}_note"


# Written once: the questions a coalition answers with each "should it continue?" answer (the decision form's
# rows, the action's validation and audit, the Sustain page and every version's history).
READINESS_QUESTIONS: tuple[ReadinessQuestion, ...] = (
    ReadinessQuestion("voices", _("Diversity of voices"),
                      _("Are the voices the problem needs at the table, those most affected among them?")),
    ReadinessQuestion("processes", _("Working processes"),
                      _("Do our ways of meeting, deciding and sharing work serve the members?")),
    ReadinessQuestion("follow_through", _("Follow-through"), _("Do members do what they promise, on time?")),
    ReadinessQuestion("networks", _("Expanding networks"),
                      _("Are members' own networks growing and open to the coalition?")),
    ReadinessQuestion("trust", _("Trust and buy-in"),
                      _("Do members trust each other and those who decide, and do they back the coalition?")),
    ReadinessQuestion("hub_skills", _("Hub skills"),
                      _("Does the hub have the skills and time to hold the coalition together?")),
    ReadinessQuestion("membership", _("Who to add or drop"),
                      _("Is the membership right, or whom should we invite and whom let go?")),
)  # fmt: skip
READINESS_BY_CODE = {q.code: q for q in READINESS_QUESTIONS}
NOTE_LENGTH = 500


class PlanItem(TimeStampedModel):
    """One thing that continues, in the organisational, activity or financial part of the plan: who answers for
    it, what it needs and from where, and the milestone that shows it is done."""

    class Part(models.TextChoices):
        ORGANISATIONAL = "organisational", _("Organisational")
        ACTIVITY = "activity", _("Activities")
        FINANCIAL = "financial", _("Financial")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        UNDER_WAY = "under_way", _("Under way")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(SustainabilityPlan, on_delete=models.CASCADE, related_name="items")
    part = models.CharField(_("part of the plan"), max_length=20, choices=Part.choices)
    what = models.CharField(_("what continues"), max_length=300)
    responsible = models.CharField(_("who is responsible"), max_length=200)
    resources = models.TextField(_("resources needed and where they come from"), blank=True)
    milestone = models.CharField(_("milestone"), max_length=300)
    due_on = models.DateField(_("milestone date"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    factor = models.CharField(_("health-check factor it answers"), max_length=30, blank=True)
    # The joint action the line became (made from it, or an existing one linked): its lead owns the work and
    # its status shows on the plan.
    action = models.OneToOneField(
        "joint_action.Action",
        verbose_name=_("joint action"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sustainability_line",
    )

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.what

    @property
    def factor_label(self) -> str | Promise:
        found = BY_CODE.get(self.factor)
        return "" if found is None else found.label


class PlanVersion(models.Model):
    """The whole plan as it stood after one change (plain JSON), numbered from 1."""

    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(SustainabilityPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    change = models.CharField(max_length=40)  # the audit verb of the change that made this version
    snapshot = models.JSONField(default=dict)
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    saved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_version_once")]

    def __str__(self) -> str:
        return f"v{self.number}"


class ReadinessAnswer(models.Model):
    """The answer to one readiness question given with one "should it continue?" answer: kept with the plan's
    version that answer made, so each revisit keeps its own set."""

    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="readiness")
    question = models.CharField(max_length=30)
    rating = models.CharField(_("rating"), max_length=10, choices=Readiness.choices)
    note = models.CharField(_("note"), max_length=NOTE_LENGTH, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "question"], name="readiness_answer_once")]

    def __str__(self) -> str:
        return f"{self.question}: {self.rating}"

    @property
    def label(self) -> str | Promise:
        found = READINESS_BY_CODE.get(self.question)
        return self.question if found is None else found.label
