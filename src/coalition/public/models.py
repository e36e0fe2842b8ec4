"""The coalition's public page: its address, whether it is published and which sections the hub opted in to.

What each section shows is not stored here: it is read, when the page is built, from the app that owns it (only
what that app calls published or final), through the section registry in ``coalition.core.extensions``.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from coalition.core.models import TimeStampedModel

# What the hub edits on the settings screen, written once: the form, the action and the audit derive from it.
PAGE_FIELDS = ("slug", "introduction", "sections", "decisions_shown")
DEFAULT_DECISIONS_SHOWN = 10


class PublicPage(TimeStampedModel):
    coalition = models.OneToOneField("coalitions.Coalition", on_delete=models.CASCADE, related_name="public_page")
    slug = models.SlugField(
        _("web address"),
        max_length=60,
        unique=True,
        help_text=_("Letters, digits and hyphens: the page is at /p/<address>/."),
    )
    introduction = models.TextField(_("introduction"), blank=True, max_length=2000)
    # Keys of the opted-in sections (``core.extensions.PublicSection.key``); keys no app registers are ignored.
    sections = models.JSONField(_("sections shown"), default=list, blank=True)
    decisions_shown = models.PositiveSmallIntegerField(
        _("decisions shown"),
        default=DEFAULT_DECISIONS_SHOWN,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_("The most recent final decisions listed on the page (1 to 50)."),
    )
    is_published = models.BooleanField(_("published"), default=False, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    # Raised by every change of the page and every ``public_content_changed``: part of the cache key.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("public page")
        verbose_name_plural = _("public pages")

    def __str__(self) -> str:
        return self.slug
