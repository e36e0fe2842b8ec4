"""Run by ``test_replica`` in a subprocess whose ``DATABASE_URL`` is a PostgreSQL primary and whose
``DATABASE_REPLICA_URL`` is a real streaming replica of it (``scripts/replica.sh``). Prints, as JSON, what each
reader saw while the replica applies changes 30 seconds late."""

from __future__ import annotations

import json
import time

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from coalition.core import routing  # noqa: E402
from coalition.stakeholders.models import Stakeholder  # noqa: E402
from tests import factories  # noqa: E402
from tests.stakeholders.test_views import VALID  # noqa: E402


def _on_replica(sql: str) -> None:
    with connections["replica"].cursor() as cursor:
        cursor.execute(sql)


def _wait_for_replica_to_have(pk: int) -> None:
    for _ in range(300):
        if Stakeholder.objects.using("replica").filter(pk=pk).exists():
            return
        time.sleep(0.1)
    raise SystemExit("the replica never caught up")


def _list(client: Client, url: str) -> tuple[str, int]:
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        page = client.get(url).content.decode()
    return page, len(on_replica.captured_queries)


def main() -> dict[str, object]:
    call_command("migrate", verbosity=0)
    hub = factories.make_user("hub")
    coalition = factories.make_coalition("Replica Coalition", hub=hub)
    _wait_for_replica_to_have(factories.make_stakeholder(coalition, "Caught Up Org").pk)
    url = reverse("stakeholders:list", args=[coalition.pk])
    settings.REPLICA_MAX_LAG_SECONDS = 3600.0
    routing.forget_lag()
    seen: dict[str, object] = {}

    browser = Client()
    browser.force_login(hub)
    page, replica_queries = _list(browser, url)
    seen["caught_up_read"] = {"shows": "Caught Up Org" in page, "replica_queries": replica_queries}

    _on_replica("ALTER SYSTEM SET recovery_min_apply_delay = '30s'")
    _on_replica("SELECT pg_reload_conf()")
    time.sleep(1)
    try:
        saved = browser.post(reverse("stakeholders:create", args=[coalition.pk]), {**VALID, "name": "Saved Just Now"})
        after_save, replica_queries = _list(browser, url)
        seen["same_browser_after_saving"] = {
            "status": saved.status_code,
            "shows": "Saved Just Now" in after_save,
            "replica_queries": replica_queries,
        }

        other = Client()
        other.force_login(hub)
        page, replica_queries = _list(other, url)
        seen["other_browser_stale_replica"] = {"shows": "Saved Just Now" in page, "replica_queries": replica_queries}

        @routing.replica_reads
        def write_then_read(request: object) -> bool:
            made = factories.make_stakeholder(coalition, "Written In Request")
            return Stakeholder.objects.filter(pk=made.pk).exists()

        seen["write_then_read_in_one_request"] = write_then_read(type("Request", (), {"method": "GET", "COOKIES": {}})())

        settings.REPLICA_MAX_LAG_SECONDS = 5.0
        routing.forget_lag()
        time.sleep(6)  # the replica's last replayed change is now older than the allowed lag
        page, replica_queries = _list(other, url)
        seen["other_browser_lag_fallback"] = {"shows": "Saved Just Now" in page, "replica_queries": replica_queries}
    finally:
        _on_replica("ALTER SYSTEM RESET recovery_min_apply_delay")
        _on_replica("SELECT pg_reload_conf()")
    return seen


if __name__ == "__main__":
    print(json.dumps(main()))
