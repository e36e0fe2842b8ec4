"""Bulk writes through PostgreSQL's ``COPY``: the engine's fastest way in, many times quicker than
row-by-row statements (each of which the driver escapes and sends on its own).

* ``copy_rows(cursor, table, columns, rows)`` copies rows straight into a table (seeding scale data);
* ``insert_objects(model, objects)`` writes unsaved model instances (ids set by the caller, see
  ``reserve_ids``) with ``COPY`` on PostgreSQL and ``bulk_create`` elsewhere (seeding scale data);
* ``stage_rows(cursor, name, columns, rows)`` makes a temporary table ``name`` holding the rows, dropped
  at commit, for one ``INSERT … SELECT … ON CONFLICT`` to upsert from (imports).

``columns`` is a sequence of ``(name, PostgreSQL type)``; the copy is binary, so each value is sent as
its type (``int8``, ``date``, ``numeric``, ``bool``, ``timestamptz``, ``text``…) without text round
trips. ``cursor`` is Django's cursor on a PostgreSQL connection, used inside a transaction. Callers
check the rows first: COPY applies the table's constraints but none of the application's rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models

Columns = Sequence[tuple[str, str]]


def copy_rows(cursor: Any, table: str, columns: Columns, rows: Iterable[Sequence[Any]]) -> None:
    """Binary ``COPY`` of ``rows`` (tuples in the order of ``columns``) into ``table``."""
    names = ", ".join(name for name, _type in columns)
    # Django's cursor wrapper has no copy(); its ``cursor`` is the driver's (psycopg 3).
    with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN (FORMAT BINARY)") as copy:
        copy.set_types([kind for _name, kind in columns])
        write = copy.write_row
        for row in rows:
            write(row)


def stage_rows(cursor: Any, name: str, columns: Columns, rows: Iterable[Sequence[Any]]) -> None:
    """A temporary table ``name`` with these columns, filled with ``rows``; it is dropped at commit
    (drop it sooner to stage under the same name again in the same transaction)."""
    definition = ", ".join(f"{column} {kind}" for column, kind in columns)
    cursor.execute(f"CREATE TEMPORARY TABLE {name} ({definition}) ON COMMIT DROP")
    copy_rows(cursor, name, columns, rows)


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` fresh primary keys of ``model``'s table, so rows written in bulk can refer to each other.
    PostgreSQL draws them from the table's sequence; elsewhere (SQLite, a single writer inside the
    caller's transaction) they follow the largest id."""
    table, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT nextval(pg_get_serial_sequence('{table}', '{pk}')) FROM generate_series(1, %s)", [count]  # noqa: S608 - the model's own table and column
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT MAX({pk}) FROM {table}")  # noqa: S608 - the model's own table and column
        start = (cursor.fetchone()[0] or 0) + 1
        return list(range(start, start + count))


def insert_objects(model: type[models.Model], objects: Sequence[models.Model]) -> None:
    """Write unsaved instances of ``model`` with their ids set: a binary ``COPY`` of every concrete column
    on PostgreSQL (values prepared as ``bulk_create`` would: defaults, ``auto_now``), else ``bulk_create``."""
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(objects, batch_size=2000)
        return
    wrapper = connections[DEFAULT_DB_ALIAS]  # not the proxy: it is read once per value
    fields = [f for f in model._meta.concrete_fields if f.column]
    # "varchar(150)", "numeric(18, 6)": psycopg knows a type by its name without the modifiers.
    columns = [(str(f.column), re.sub(r"\(.*\)", "", f.db_type(connection) or "").strip()) for f in fields]
    rows = ([f.get_db_prep_save(_value(f, obj), wrapper) for f in fields] for obj in objects)
    with connection.cursor() as cursor:
        copy_rows(cursor, model._meta.db_table, columns, rows)


def _value(field: Any, obj: models.Model) -> Any:
    """What ``bulk_create`` would save in ``field``: a relation to an object given its id after it was
    assigned takes that id; ``auto_now`` and defaults as on saving."""
    if field.is_relation and getattr(obj, field.attname) is None and field.is_cached(obj):
        related = field.get_cached_value(obj)
        setattr(obj, field.attname, None if related is None else related.pk)
    return field.pre_save(obj, add=True)
