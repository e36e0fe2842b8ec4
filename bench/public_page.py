"""The public page of the largest demo coalition: full page time, cold and from the cache.

Seeds the demo into a throwaway SQLite database (or the PostgreSQL database named by BENCH_DATABASE_URL), takes
the demo coalition with the most records behind its public page (data values, stakeholders, decisions), makes
sure its page is published with every section an app offers, and requests it as an anonymous visitor through
the Django test client. Prints:

    public_page_cold: N ms       median of BENCH_LOADS loads with the cache emptied before each (every section
                                 rendered, the shared indicators' figures computed and protected)
    public_page_cached: N ms     median of the following loads, served from the cache (the page row and one
                                 stamp per section are read to build the key)
    public_page_queries_cached: N  SQL statements per cached load
    public_page_bytes: N         size of the page
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
TMP = tempfile.mkdtemp(prefix="bench-public-")
os.environ["COALITION_VAR_DIR"] = TMP
os.environ.pop("DATABASE_URL", None)
if os.environ.get("BENCH_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coalition.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

LOADS = int(os.environ.get("BENCH_LOADS", "7"))


def largest_page() -> str:
    from coalition.coalitions.models import Coalition
    from coalition.core.extensions import public_sections
    from coalition.decisions.models import Poll
    from coalition.measurement.models import DataValue
    from coalition.public import actions
    from coalition.public.models import PublicPage
    from coalition.stakeholders.models import Stakeholder

    def size(coalition: Coalition) -> int:
        return (
            DataValue.objects.filter(coalition=coalition).count()
            + Stakeholder.objects.filter(coalition=coalition).count()
            + Poll.objects.filter(coalition=coalition).count()
        )

    coalition = max(Coalition.objects.order_by("pk"), key=size, default=None)
    assert coalition is not None  # noqa: S101 - the demo was seeded above
    page = PublicPage.objects.filter(coalition=coalition).first()
    if page is None or not page.is_published:
        page = actions.do_save_public_page(
            None, coalition, slug=actions.suggested_slug(coalition), sections=[s.key for s in public_sections()]
        )
        page = actions.do_publish_public_page(None, page)
    print(f"public_page_coalition: {coalition.name}", flush=True)
    return f"/p/{page.slug}/"


def timed(client: Client, url: str) -> tuple[float, int, int]:
    connection.queries_log.clear()  # the seed filled the log: counting needs room in it
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, response.status_code  # noqa: S101 - a benchmark of a working page
    return elapsed, len(queries), len(response.content)


def main() -> None:
    call_command("migrate", verbosity=0, interactive=False)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115 - the logins are not needed here
    url = largest_page()
    client = Client()
    timed(client, url)  # the first request also loads the URLconf and templates
    cold = []
    for _ in range(LOADS):
        cache.clear()
        cold.append(timed(client, url)[0])
    cached = [timed(client, url) for _ in range(LOADS)]
    print(f"public_page_cold: {statistics.median(cold):.1f} ms")
    print(f"public_page_cached: {statistics.median(c[0] for c in cached):.1f} ms")
    print(f"public_page_queries_cached: {cached[-1][1]}")
    print(f"public_page_bytes: {cached[-1][2]}")


if __name__ == "__main__":
    main()
