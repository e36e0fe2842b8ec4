"""Database backups and the restore drill (security checklist item 20).

``create()`` writes a consistent copy of the database into ``settings.BACKUP_DIR`` with a manifest of every
table's row count taken from the same snapshot: SQLite's online backup API (the counts are read from the
copy), or ``pg_dump`` in the snapshot of a transaction that counts the rows first. ``drill()`` restores a
backup somewhere new (a copied file; a throwaway PostgreSQL database), checks it (``PRAGMA integrity_check``
on SQLite; an error-free ``pg_restore`` on PostgreSQL) and compares every table's row count with the
manifest. ``manage.py backup_db`` does both, nightly from cron (see README).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

SUFFIX = {"sqlite": ".sqlite3", "postgresql": ".pgdump"}


@dataclass(frozen=True)
class Backup:
    path: Path
    counts: dict[str, int]

    @property
    def manifest(self) -> Path:
        return manifest_of(self.path)


@dataclass
class DrillReport:
    backup: Path
    problems: list[str] = field(default_factory=list)
    tables: int = 0
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def manifest_of(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def create(now: datetime | None = None) -> Backup:
    """Write a backup and its manifest; keep the newest ``settings.BACKUP_KEEP``."""
    folder = Path(settings.BACKUP_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = (now or timezone.now()).strftime("%Y%m%dT%H%M%SZ")
    path = folder / f"coalition-{stamp}{SUFFIX[connection.vendor]}"
    counts = _backup_sqlite(path) if connection.vendor == "sqlite" else _backup_postgresql(path)
    manifest_of(path).write_text(json.dumps({"counts": counts}, indent=1, sort_keys=True))
    _prune(folder)
    return Backup(path, counts)


def latest() -> Path | None:
    found = sorted(Path(settings.BACKUP_DIR).glob(f"coalition-*{SUFFIX[connection.vendor]}"))
    return found[-1] if found else None


def drill(path: Path) -> DrillReport:
    """Restore ``path`` into a new place and check it against its manifest."""
    report = DrillReport(path)
    try:
        expected = json.loads(manifest_of(path).read_text())["counts"]
    except (OSError, ValueError, KeyError) as error:
        report.problems.append(f"manifest unreadable: {error}")
        return report
    try:
        restored = _drill_sqlite(path, report) if path.suffix == SUFFIX["sqlite"] else _drill_postgresql(path, report)
    except subprocess.CalledProcessError as error:
        said = (error.stderr or b"").decode(errors="replace").strip()
        report.problems.append(f"restore failed: {said[:500] or error}")
        return report
    except (OSError, sqlite3.Error) as error:
        report.problems.append(f"restore failed: {error}")
        return report
    for table in sorted(set(expected) | set(restored)):
        if expected.get(table) != restored.get(table):
            report.problems.append(f"{table}: {restored.get(table)} rows restored, {expected.get(table)} backed up")
    report.tables, report.rows = len(restored), sum(restored.values())
    return report


# --- SQLite ---------------------------------------------------------------------------------------


def _sqlite_counts(db: sqlite3.Connection) -> dict[str, int]:
    tables = [
        name
        for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    ]
    return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in sorted(tables)}  # noqa: S608 - names from the catalogue


def _backup_sqlite(path: Path) -> dict[str, int]:
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    try:
        connection.connection.backup(copy)  # a consistent copy, even while others write
        return _sqlite_counts(copy)
    finally:
        copy.close()


def _drill_sqlite(path: Path, report: DrillReport) -> dict[str, int]:
    with tempfile.TemporaryDirectory() as folder:
        restored = Path(folder) / "restored.sqlite3"
        shutil.copyfile(path, restored)  # restoring a SQLite backup is putting the file in place
        db = sqlite3.connect(restored)
        try:
            verdict = [row[0] for row in db.execute("PRAGMA integrity_check")]
            if verdict != ["ok"]:
                report.problems.append("integrity_check: " + "; ".join(verdict[:5]))
            return _sqlite_counts(db)
        finally:
            db.close()


# --- PostgreSQL -------------------------------------------------------------------------------------


def _pg_tool(program: str, *args: str, check: bool = True) -> None:
    """Run a PostgreSQL client program against the configured server (the arguments are ours, not input)."""
    db: dict[str, Any] = connection.settings_dict
    server = ["--host", str(db.get("HOST") or "127.0.0.1"), "--port", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        server += ["--username", str(db["USER"])]
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    executable = shutil.which(program)
    if executable is None:
        raise OSError(f"{program} is not installed (the PostgreSQL client programs are needed)")
    subprocess.run([executable, *server, *args], env=env, check=check, capture_output=True)  # noqa: S603


def _pg_connect(database: str) -> Any:
    import psycopg

    db: dict[str, Any] = connection.settings_dict
    return psycopg.connect(
        dbname=database,
        host=db.get("HOST") or "127.0.0.1",
        port=db.get("PORT") or 5432,
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
    )


def _pg_counts(cursor: Any) -> dict[str, int]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    counts = {}
    for (table,) in cursor.fetchall():
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - names from the catalogue
        counts[table] = cursor.fetchone()[0]
    return counts


def _backup_postgresql(path: Path) -> dict[str, int]:
    import psycopg

    db_name = str(connection.settings_dict["NAME"])
    with _pg_connect(db_name) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        with conn.transaction(), conn.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = _pg_counts(cursor)  # in the snapshot pg_dump is about to read
            _pg_tool("pg_dump", "--format=custom", f"--snapshot={snapshot}", "--file", str(path), db_name)
    return counts


def _drill_postgresql(path: Path, report: DrillReport) -> dict[str, int]:
    name = f"coalition_drill_{os.getpid()}"
    _pg_tool("dropdb", "--if-exists", name)
    _pg_tool("createdb", name)
    try:
        _pg_tool("pg_restore", "--exit-on-error", "--no-owner", "--dbname", name, str(path))
        with _pg_connect(name) as conn, conn.cursor() as cursor:
            return _pg_counts(cursor)
    finally:
        _pg_tool("dropdb", "--if-exists", name, check=False)


def _prune(folder: Path) -> None:
    found = sorted(folder.glob("coalition-*"))
    backups = [p for p in found if p.suffix in SUFFIX.values()]
    for old in backups[: max(0, len(backups) - settings.BACKUP_KEEP)]:
        old.unlink(missing_ok=True)
        manifest_of(old).unlink(missing_ok=True)
