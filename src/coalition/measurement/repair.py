"""Setting aside figures stored before every input was checked.

Until the numeric checks covered every path (issue 12), a raw upsert could store a value too large for its
field, or an infinite one. PostgreSQL refused those; SQLite kept them as floats, and reading such a row back
fails, so the pages that show it could not open and its member could not correct it. The migration that
ships the checks calls ``set_aside_out_of_limit_figures`` once: each such value is removed (its member enters
it again), a target is removed, a bound or baseline is cleared, and the original is kept, as stored, in the
audit log. The derived figures of the indicators concerned are then rebuilt.
"""

from __future__ import annotations

from typing import Any

from django.db import connection

from coalition.core.models import AuditEvent
from coalition.measurement import rollups
from coalition.measurement.models import AMOUNT, DataValue, Indicator, Target

# The smallest magnitude a DecimalField(20, 4) cannot hold; infinities compare above it too.
LIMIT = 10 ** (AMOUNT["max_digits"] - AMOUNT["decimal_places"])
VERB = "figure.set_aside"


def _out_of_limits(model: Any, columns: tuple[str, ...], extra: str) -> list[tuple[Any, ...]]:
    table = model._meta.db_table
    where = " OR ".join(f"ABS({column}) >= %s" for column in columns)
    selected = ", ".join(f"CAST({column} AS TEXT)" for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {extra}, {selected} FROM {table} WHERE {where}", [LIMIT] * len(columns))  # noqa: S608 - names from the model
        return list(cursor.fetchall())


def _event(coalition_id: int, model: Any, pk: int, stored: dict[str, Any]) -> AuditEvent:
    return AuditEvent(
        coalition_id=coalition_id,
        verb=VERB,
        object_type=model._meta.model_name,
        object_id=str(pk),
        before=stored,
        note="Stored outside the field's limits before inputs were checked; set aside so pages open again.",
    )


def set_aside_out_of_limit_figures() -> int:
    """Remove or clear every stored figure outside its field's limits; return how many rows were touched."""
    if connection.vendor != "sqlite":  # the column types of other engines never stored one
        return 0
    events: list[AuditEvent] = []
    indicators: set[int] = set()
    value_columns = ("value", "numerator", "denominator")
    values = _out_of_limits(DataValue, value_columns, "coalition_id, indicator_id, organisation_id, period_start")
    for pk, coalition_id, indicator_id, organisation_id, period_start, *stored in values:
        figures = dict(zip(value_columns, stored, strict=True))
        events.append(
            _event(
                coalition_id, DataValue, pk, {**figures, "organisation": organisation_id, "period": str(period_start)}
            )
        )
        indicators.add(indicator_id)
    DataValue.objects.filter(pk__in=[row[0] for row in values]).delete()

    targets = _out_of_limits(Target, ("value",), "indicator_id, period_start")
    owners = dict(Indicator.objects.filter(pk__in={row[1] for row in targets}).values_list("pk", "coalition_id"))
    for pk, indicator_id, period_start, stored in targets:
        events.append(_event(owners[indicator_id], Target, pk, {"value": stored, "period": str(period_start)}))
    Target.objects.filter(pk__in=[row[0] for row in targets]).delete()

    bound_columns = ("baseline_value", "min_value", "max_value")
    for pk, coalition_id, *stored in _out_of_limits(Indicator, bound_columns, "coalition_id"):
        cleared = {
            column: text
            for column, text in zip(bound_columns, stored, strict=True)
            if text is not None and abs(float(text)) >= LIMIT
        }
        Indicator.objects.filter(pk=pk).update(**dict.fromkeys(cleared))
        events.append(_event(coalition_id, Indicator, pk, cleared))
        indicators.add(pk)
    AuditEvent.objects.bulk_create(events)
    rollups.rebuild(indicators)
    return len(events)
