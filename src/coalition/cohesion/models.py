"""Health checks (eleven factors, member self-assessment beside evidence from records) and the
sustainability plan. Only ``actions.py`` writes these tables."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

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
