"""Models hold data and field rules only; every write is in actions.py, every read with logic in queries.py."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from coalition.core.models import TimeStampedModel

# The fields a person edits, written once: the form, the actions, the audit snapshot and any export derive from it.
NOTE_FIELDS = ("title", "body")


class Note(TimeStampedModel):
    # Every coalition-scoped model points at its coalition; scoped_get() filters on it.
    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.CASCADE, related_name="notes")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    is_archived = models.BooleanField(_("archived"), default=False)

    class Meta:
        ordering = ["title"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")

    def __str__(self) -> str:
        return self.title
