"""Shared base models and the audit trail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One change to a shared record: who did what to which object, when, with before/after values."""

    coalition = models.ForeignKey(
        "coalitions.Coalition", null=True, blank=True, on_delete=models.CASCADE, related_name="audit_events"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    verb = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["coalition", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.verb} {self.object_type} {self.object_repr}"


class WorkerHeartbeat(models.Model):
    """The background worker's pulse, one row: when a heartbeat was last asked for and when the worker ran it."""

    requested_at = models.DateTimeField(null=True)
    beat_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"heartbeat at {self.beat_at}"


class FailedTask(models.Model):
    """A background task that failed on its last attempt (``core.tasks.retried``), kept for the operator:
    the health endpoint counts the recent ones. The error's kind and its first line (cut short) are kept,
    never the traceback or the task's arguments."""

    task = models.CharField(_("task"), max_length=200)
    attempts = models.PositiveSmallIntegerField(_("attempts"))
    error = models.CharField(_("error"), max_length=200)
    message = models.CharField(_("message"), max_length=500, blank=True)
    failed_at = models.DateTimeField(_("failed at"), db_index=True)

    class Meta:
        ordering = ["-failed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.task} failed after {self.attempts} attempts: {self.error}"
