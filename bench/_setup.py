"""Set-up shared by the page benchmarks: a throwaway SQLite database in a temporary directory (never the demo
database), Django configured for it, a median timer and the clean-up.

Import it before anything from Django: ``workdir = _setup.start("coalition-bench-x-")``.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUESTS = 15


def start(prefix: str) -> str:
    """Point Django at a new temporary directory (SQLite, production settings without debug) and set it up."""
    sys.path.insert(0, str(ROOT / "src"))
    workdir = tempfile.mkdtemp(prefix=prefix)
    os.environ["COALITION_VAR_DIR"] = workdir
    os.environ["DJANGO_SETTINGS_MODULE"] = "coalition.settings"
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    return workdir


def median_ms(run: Callable[[], object], repeat: int = REQUESTS) -> float:
    """The median of ``repeat`` timed runs, after three to warm caches and connections."""
    for _ in range(3):
        run()
    samples = []
    for _ in range(repeat):
        begin = time.perf_counter()
        run()
        samples.append((time.perf_counter() - begin) * 1000)
    return statistics.median(samples)


def finish(workdir: str) -> None:
    from django.db import connection

    connection.close()
    shutil.rmtree(workdir, ignore_errors=True)
