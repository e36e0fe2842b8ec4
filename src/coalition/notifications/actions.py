"""Writes of the notifications app: a person's choices and read marks (each with an audit event)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.core import audit
from coalition.notifications import registry
from coalition.notifications.models import Notification, Preference
from coalition.notifications.registry import Delivery
from coalition.notifications.tokens import ALL_TYPES


def _current(user: Any) -> dict[str, str]:
    return dict(Preference.objects.filter(user=user).values_list("event_type", "delivery"))


@transaction.atomic
def do_set_notification_choices(actor: Any, choices: Mapping[str, str]) -> dict[str, str]:
    """Store ``actor``'s delivery per event type. Unknown types and security types are refused."""
    adjustable = {t.name: t for t in registry.adjustable_types()}
    for name, delivery in choices.items():
        if name not in adjustable:
            raise ValidationError(_("This kind of message cannot be changed."))
        if delivery not in Delivery.values:
            raise ValidationError(_("Choose immediately, weekly digest or never."))
    before = _current(actor)
    for name, delivery in choices.items():
        Preference.objects.update_or_create(user=actor, event_type=name, defaults={"delivery": delivery})
    after = _current(actor)
    audit.record(actor, "notifications.choices_changed", actor, before=before, after=after)
    return after


def do_unsubscribe(user: Any, event_type: str) -> list[str]:
    """The one-click unsubscribe: ``event_type`` (or, for the digest's link, every adjustable type) set to
    never. Returns the names turned off; a security type cannot be."""
    names = [t.name for t in registry.adjustable_types()] if event_type == ALL_TYPES else [event_type]
    if event_type != ALL_TYPES and event_type not in {t.name for t in registry.adjustable_types()}:
        raise ValidationError(_("This kind of message cannot be turned off."))
    do_set_notification_choices(user, dict.fromkeys(names, Delivery.NEVER.value))
    return names


@transaction.atomic
def do_open_notification(user: Any, notification: Notification) -> str:
    """Mark one of ``user``'s notifications read (opening it); returns where it leads."""
    if notification.recipient_id != user.pk:
        raise ValidationError(_("This message is not yours."))
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())
        audit.record(user, "notifications.read", notification)
    return notification.url


@transaction.atomic
def do_mark_all_read(user: Any) -> int:
    """Mark every unread notification of ``user`` read; returns how many."""
    marked = Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).update(read_at=timezone.now())
    if marked:
        audit.record(user, "notifications.all_read", user, after={"marked": marked})
    return marked
