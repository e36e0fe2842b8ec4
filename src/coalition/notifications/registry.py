"""Declared event types: the one place that says, for each kind of message, who receives it, how it is
delivered by default and whether a person may turn it off.

Apps declare their types in their ``AppConfig.ready`` (``declare(EventType(...))``); this module imports no
app. Security messages (``may_turn_off=False``) are always sent at once, whatever a person chose.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Payload = Mapping[str, Any]
RecipientResolver = Callable[[Payload], Iterable[int]]
# (file name, content, MIME type) of a file sent with a message.
Attachment = tuple[str, str, str]
# Files for one outbox row, made when it is sent: (the row's event key, its recipient's user id) -> files.
AttachmentResolver = Callable[[str, int], Sequence[Attachment]]


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediately")
    DIGEST = "digest", _("In a weekly digest")
    NEVER = "never", _("Never")


@dataclass(frozen=True)
class EventType:
    """A kind of message. ``subject`` and ``body`` are translatable texts formatted with the payload
    (``%(name)s``); ``recipients`` turns the payload into the ids of the users to tell; ``attachments`` (if any)
    gives the files sent with an immediate message (a digest lists, it attaches nothing)."""

    name: str
    label: Promise | str
    subject: Promise | str
    body: Promise | str
    recipients: RecipientResolver
    default: Delivery = Delivery.IMMEDIATE
    may_turn_off: bool = True
    attachments: AttachmentResolver | None = None

    def render(self, payload: Payload) -> tuple[str, str]:
        values = dict(payload)
        return str(self.subject) % values, str(self.body) % values


_TYPES: dict[str, EventType] = {}


def declare(event_type: EventType) -> EventType:
    """Register ``event_type``; declaring the same name twice with a different definition is an error."""
    existing = _TYPES.get(event_type.name)
    if existing is not None and existing != event_type:
        raise ValueError(f"event type {event_type.name!r} is already declared")
    _TYPES[event_type.name] = event_type
    return event_type


def get(name: str) -> EventType:
    return _TYPES[name]


def attachments_for(name: str, key: str, recipient_id: int) -> Sequence[Attachment]:
    """The files the declared type ``name`` sends with this row (none for an undeclared or plain type)."""
    event_type = _TYPES.get(name)
    if event_type is None or event_type.attachments is None:
        return ()
    return event_type.attachments(key, recipient_id)


def all_types() -> list[EventType]:
    return sorted(_TYPES.values(), key=lambda t: t.name)


def adjustable_types() -> list[EventType]:
    return [t for t in all_types() if t.may_turn_off]
