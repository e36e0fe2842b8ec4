"""Bulk writes through PostgreSQL's ``COPY``: the engine's fastest way in, many times quicker than
row-by-row statements (each of which the driver escapes and sends on its own).

* ``copy_rows(cursor, table, columns, rows)`` copies rows straight into a table (seeding scale data);
* ``stage_rows(cursor, name, columns, rows)`` makes a temporary table ``name`` holding the rows, dropped
  at commit, for one ``INSERT … SELECT … ON CONFLICT`` to upsert from (imports).

``columns`` is a sequence of ``(name, PostgreSQL type)``; the copy is binary, so each value is sent as
its type (``int8``, ``date``, ``numeric``, ``bool``, ``timestamptz``, ``text``…) without text round
trips. ``cursor`` is Django's cursor on a PostgreSQL connection, used inside a transaction. Callers
check the rows first: COPY applies the table's constraints but none of the application's rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

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
