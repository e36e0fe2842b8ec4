"""Writing audit events. Every action calls ``record`` explicitly (no signals)."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable
from typing import Any

from django.db import models

from coalition.core.models import AuditEvent


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime, dt.time, decimal.Decimal)):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The audited values of ``obj``: its concrete fields (foreign keys as ids) or the named ones."""
    names = list(fields) if fields is not None else [f.attname for f in obj._meta.concrete_fields]
    return {name: _jsonable(getattr(obj, name)) for name in names}


def changed(before: dict[str, Any] | None, after: dict[str, Any] | None) -> tuple[dict, dict]:
    """Reduce two snapshots to the keys whose values differ."""
    before, after = before or {}, after or {}
    keys = [k for k in {*before, *after} if before.get(k) != after.get(k) and k != "updated_at"]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def event(
    actor: Any,
    verb: str,
    obj: models.Model,
    *,
    coalition: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
) -> AuditEvent:
    """An unsaved audit event; ``record`` saves one, ``record_many`` saves a batch (bulk imports)."""
    if before is not None and after is not None:
        before, after = changed(before, after)
    return AuditEvent(
        coalition=coalition,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        verb=verb,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk or ""),
        object_repr=str(obj)[:255],
        before=before,
        after=after,
        note=note[:500],
    )


def record(
    actor: Any,
    verb: str,
    obj: models.Model,
    *,
    coalition: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
) -> AuditEvent:
    """Store one audit event. ``before``/``after`` are snapshots; only differing keys are kept."""
    stored = event(actor, verb, obj, coalition=coalition, before=before, after=after, note=note)
    stored.save()
    return stored


def record_many(events: Iterable[AuditEvent]) -> None:
    """Store many events built with ``event`` in a few queries."""
    AuditEvent.objects.bulk_create(list(events), batch_size=500)
