"""Small badges used on every row of the list: simple tags rather than includes, so 25 rows render fast."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def engagement_badge(stakeholder: Any) -> SafeString:
    return format_html(
        '<span class="badge engagement engagement-{}">{}</span>',
        stakeholder.engagement,
        stakeholder.get_engagement_display(),
    )


@register.simple_tag
def flag_badges(stakeholder: Any) -> SafeString:
    flags = (
        ("brings_stake", "", _("stake")),
        ("brings_power", "", _("power")),
        ("brings_knowledge", "", _("knowledge")),
        ("lived_experience", " badge-good", _("lived experience")),
        ("marginalised_group", " badge-warn", _("marginalised group")),
    )
    badges = format_html_join(
        " ",
        '<span class="badge{}">{}</span>',
        ((extra, label) for name, extra, label in flags if getattr(stakeholder, name)),
    )
    return format_html('<span class="flags">{}</span>', badges)
