"""Security checklist item 20: a backup is restored somewhere new, checked, and its row counts match."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from coalition.core import backups

pytestmark = pytest.mark.django_db(transaction=True)  # the backup reads what is committed


@pytest.fixture
def folder(settings: Any, tmp_path: Path) -> Path:
    settings.BACKUP_DIR = tmp_path / "backups"
    return settings.BACKUP_DIR


def test_a_backup_restores_with_every_row(folder: Path, world: Any) -> None:
    made = backups.create()
    assert made.path.parent == folder and made.path.exists() and made.manifest.exists()
    assert made.counts["coalitions_coalition"] == 2 and made.counts["auth_user"] >= 5
    assert json.loads(made.manifest.read_text())["counts"] == made.counts
    report = backups.drill(made.path)
    assert report.ok, report.problems
    assert (report.tables, report.rows) == (len(made.counts), sum(made.counts.values()))
    assert backups.latest() == made.path


def test_a_damaged_backup_fails_the_drill(folder: Path, world: Any) -> None:
    made = backups.create()
    data = made.path.read_bytes()
    made.path.write_bytes(data[: len(data) // 2])
    report = backups.drill(made.path)
    assert not report.ok and report.problems


def test_a_restore_that_lost_rows_is_named(folder: Path, world: Any) -> None:
    made = backups.create()
    manifest = json.loads(made.manifest.read_text())
    manifest["counts"]["auth_user"] += 1
    made.manifest.write_text(json.dumps(manifest))
    report = backups.drill(made.path)
    users = made.counts["auth_user"]
    assert report.problems == [f"auth_user: {users} rows restored, {users + 1} backed up"]
    made.manifest.unlink()
    assert backups.drill(made.path).problems[0].startswith("manifest unreadable")


def test_only_the_newest_backups_are_kept(folder: Path, settings: Any, db: Any) -> None:
    settings.BACKUP_KEEP = 2
    start = dt.datetime(2026, 11, 1, 2, 0, tzinfo=dt.UTC)
    made = [backups.create(start + dt.timedelta(days=n)).path for n in range(3)]
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [made[1].name, made[2].name, made[1].name + ".json", made[2].name + ".json"]
    )


def test_the_nightly_command_backs_up_then_drills(folder: Path, world: Any, capsys: Any) -> None:
    call_command("backup_db")
    out = capsys.readouterr().out
    assert "backup: " in out and "restore drill: ok" in out
    damaged = backups.latest()
    damaged.write_bytes(b"not a backup at all")
    with pytest.raises(CommandError, match="restore drill failed"):
        call_command("backup_db", drill_only=damaged)
