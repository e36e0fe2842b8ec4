"""Fail when the French or Spanish catalogue is not complete for the source as it is now (run by `make lint`).

The messages are extracted afresh, with the same makemessages command the catalogues are made with, in a
copy of the working tree, so the catalogues in the checkout are never rewritten. Every entry of the merged
copies that is untranslated or fuzzy is listed; a msgid in the source that a catalogue lacks comes out of the
merge untranslated, and a catalogue that does not exist yet comes out wholly untranslated, so both fail too.
Only gettext's own tools are used (msgattrib, beside the msgfmt that compilemessages needs).

Usage: .venv/bin/python scripts/untranslated.py [LOCALE ...]   (default: fr es)
"""

# ruff: noqa: S603, S607 - a developer tool running git and gettext with fixed arguments
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = Path("src/coalition/locale")
CHECKED = ("fr", "es")
DOMAINS = ("django",)
MAKEMESSAGES_OPTIONS = ("-i", ".venv", "-i", "var", "-i", "node_modules", "--no-obsolete")
SHOWN = 20  # problems listed per catalogue; the count says how many there are in all


def copy_working_tree(destination: Path) -> None:
    """The files git tracks or would track (so not .venv, var, caches), as they are on disk."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def extract(tree: Path, locales: list[str]) -> None:
    """makemessages in the copy: its own ``src`` comes first on the path, so its settings and locale dir are used."""
    env = {**os.environ, "PYTHONPATH": str(tree / "src"), "COALITION_VAR_DIR": str(tree / "var")}
    command = [sys.executable, "manage.py", "makemessages", *(f"--locale={code}" for code in locales)]
    subprocess.run([*command, *MAKEMESSAGES_OPTIONS], cwd=tree, env=env, check=True, capture_output=True)


def msgids(po_text: str) -> list[str]:
    """The msgids of a catalogue's entries, continuation lines joined; the header (empty msgid) left out."""
    found: list[str] = []
    current: list[str] | None = None
    for line in [*po_text.splitlines(), ""]:
        if line.startswith("msgid "):
            current = [line[len("msgid ") :].strip()[1:-1]]
        elif current is not None and line.startswith('"'):
            current.append(line.strip()[1:-1])
        elif current is not None:
            text = "".join(current)
            if text:
                found.append(text)
            current = None
    return found


def problems(catalogue: Path) -> list[str]:
    listed: list[str] = []
    for flag, kind in (("--untranslated", "untranslated"), ("--only-fuzzy", "fuzzy")):
        selected = subprocess.run(
            ["msgattrib", flag, "--no-obsolete", "--no-wrap", str(catalogue)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        listed += [f"{kind}: {msgid}" for msgid in msgids(selected)]
    return listed


def main(locales: list[str]) -> int:
    failed = False
    with tempfile.TemporaryDirectory(prefix="untranslated-") as scratch:
        tree = Path(scratch)
        copy_working_tree(tree)
        extract(tree, locales)
        for code in locales:
            for domain in DOMAINS:
                catalogue = LOCALE_DIR / code / "LC_MESSAGES" / f"{domain}.po"
                found = problems(tree / catalogue)
                if found:
                    failed = True
                    print(f"{catalogue}: {len(found)} entries to translate", file=sys.stderr)
                    for problem in found[:SHOWN]:
                        print(f"  {problem}", file=sys.stderr)
                    if len(found) > SHOWN:
                        print(f"  … and {len(found) - SHOWN} more", file=sys.stderr)
                else:
                    print(f"{catalogue}: complete")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or list(CHECKED)))
