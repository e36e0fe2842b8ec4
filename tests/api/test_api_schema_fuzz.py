"""Security checklist item 24: Schemathesis sends generated requests to every API operation (as a signed-in
hub coordinator, as an outsider and anonymously) and runs all its checks: no 5xx, every answer as the
OpenAPI schema says."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from schemathesis.specs.openapi.checks import ignored_auth, negative_data_rejection

from coalition.wsgi import application


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """Calls go straight to the WSGI application: keep Django from closing the test's database connection
    after each one (its test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


def _cookies(user: Any) -> dict[str, str]:
    client = Client()
    client.force_login(user)
    return {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}


# Small by default, so the three runs over every operation stay near a minute; set API_FUZZ_EXAMPLES (e.g. 200)
# for a deeper run. The hub's run also gets Schemathesis's coverage cases (each parameter's boundaries, explicit
# examples); outsiders and anonymous callers meet the same 404/401 before any parameter is read, so a few
# generated cases cover them.
EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "6"))
FUZZ = hypothesis_settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
FUZZ_REFUSED = hypothesis_settings(FUZZ, max_examples=max(1, EXAMPLES // 3), phases=[Phase.generate])


# A signed-in caller's cookie is added to every generated request, including those Schemathesis meant to
# send without one: the checks that expect those to be refused run in the anonymous test instead.
SIGNED_IN = {"excluded_checks": [ignored_auth, negative_data_rejection]}


@schema.parametrize()
@FUZZ
def test_a_hub_coordinator_gets_answers_as_the_schema_says(case: Any, world: Any) -> None:
    case.call_and_validate(cookies=_cookies(world.hub), **SIGNED_IN)


@schema.parametrize()
@FUZZ_REFUSED
def test_an_outsider_gets_answers_as_the_schema_says(case: Any, world: Any) -> None:
    case.call_and_validate(cookies=_cookies(world.outsider), **SIGNED_IN)


@schema.parametrize()
@FUZZ_REFUSED
def test_an_anonymous_caller_gets_answers_as_the_schema_says(case: Any, db: Any) -> None:
    case.call_and_validate()
