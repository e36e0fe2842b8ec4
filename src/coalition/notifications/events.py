"""Raising an event: called by actions inside their transaction.

The outbox rows are written in the action's own transaction (they commit or roll back with its data), and
delivery is queued with ``transaction.on_commit``. Queuing never raises into the request: a broken task
queue or mail server leaves the rows pending for the next delivery run.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone, translation

from coalition.accounts import language
from coalition.notifications import registry
from coalition.notifications.models import Notification, Preference
from coalition.notifications.registry import Delivery

logger = logging.getLogger(__name__)


def choices_for(user_ids: Iterable[int], event_type: registry.EventType) -> dict[int, str]:
    """Each user's delivery for ``event_type`` (their choice, or the type's default)."""
    ids = list(user_ids)
    chosen = dict(
        Preference.objects.filter(user_id__in=ids, event_type=event_type.name).values_list("user_id", "delivery")
    )
    if not event_type.may_turn_off:
        return dict.fromkeys(ids, Delivery.IMMEDIATE.value)
    return {uid: chosen.get(uid, event_type.default.value) for uid in ids}


def _render(event_type: registry.EventType, payloads: Mapping[int, Mapping[str, Any]]) -> dict[int, tuple[str, str]]:
    """Each recipient's subject and body (user id -> payload), written in the recipient's language. A payload value
    may be a lazy translation: it is written in that language too."""
    languages = language.of_each(payloads)
    messages = {}
    for uid, payload in sorted(payloads.items()):
        with translation.override(languages[uid]):
            messages[uid] = event_type.render(payload)
    return messages


def _rows(
    event_type: registry.EventType,
    key: str,
    messages: Mapping[int, tuple[str, str]],
    coalition_id: int | None,
    url: str,
) -> int:
    """Write the outbox rows of ``messages`` (user id -> subject, body), their choices permitting; queue delivery."""
    now = timezone.now()
    rows = [
        Notification(
            event_type=event_type.name,
            key=key[:200],
            recipient_id=uid,
            coalition_id=coalition_id,
            subject=messages[uid][0][:300],
            body=messages[uid][1],
            url=url[:500],
            status=Notification.Status.DIGEST if choice == Delivery.DIGEST else Notification.Status.PENDING,
            next_attempt_at=now,
            created_at=now,
        )
        for uid, choice in choices_for(messages, event_type).items()
        if choice != Delivery.NEVER
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    if any(row.status == Notification.Status.PENDING for row in rows):
        transaction.on_commit(queue_delivery, robust=True)
    return len(rows)


def raise_event(
    name: str,
    *,
    key: str,
    payload: Mapping[str, Any],
    coalition_id: int | None = None,
    url: str = "",
    recipients: Iterable[int] | None = None,
) -> int:
    """Write one outbox row per recipient of event ``name`` (their choice permitting) and queue delivery
    after commit. ``key`` identifies the event: raising it again adds nothing. Returns the rows written."""
    event_type = registry.get(name)
    user_ids = sorted(set(recipients if recipients is not None else event_type.recipients(payload)))
    return _rows(event_type, key, _render(event_type, dict.fromkeys(user_ids, payload)), coalition_id, url)


def raise_event_each(
    name: str, *, key: str, payloads: Mapping[int, Mapping[str, Any]], coalition_id: int | None = None, url: str = ""
) -> int:
    """Like ``raise_event`` with a payload of its own for each recipient (user id -> payload), for a message whose
    text differs per person; the same few queries whatever the number of recipients."""
    event_type = registry.get(name)
    return _rows(event_type, key, _render(event_type, payloads), coalition_id, url)


def queue_delivery() -> None:
    """Ask the task queue to deliver pending rows; a failure is logged, never raised."""
    from coalition.notifications.tasks import deliver_notifications

    try:
        deliver_notifications.enqueue()
    except Exception as error:  # noqa: BLE001 - the rows stay pending for the next run
        logger.warning("notification delivery could not be queued: %s", type(error).__name__)
