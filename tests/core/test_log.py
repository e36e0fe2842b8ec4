"""Log lines carry the request id, the actor and the coalition, as JSON in production, and nothing of the body."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from coalition.core.log import JsonFormatter, RequestContextFilter
from tests.conftest import World


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    """Every record of the ``django.request`` logger and ours, formatted as production formats them."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestContextFilter())
    handler.setFormatter(JsonFormatter())
    loggers = [logging.getLogger("django.request"), logging.getLogger("coalition")]
    for logger in loggers:
        logger.addHandler(handler)
    yield stream
    for logger in loggers:
        logger.removeHandler(handler)


def _records(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_every_answer_carries_a_request_id(db: Any) -> None:
    first = Client().get("/healthz")["X-Request-ID"]
    second = Client().get("/healthz")["X-Request-ID"]
    assert len(first) == 32 and first != second


def test_a_well_formed_id_from_the_proxy_is_kept_and_a_malformed_one_replaced(db: Any) -> None:
    assert Client().get("/healthz", HTTP_X_REQUEST_ID="proxy-1234abcd")["X-Request-ID"] == "proxy-1234abcd"
    replaced = Client().get("/healthz", HTTP_X_REQUEST_ID="bad id\nwith newline")["X-Request-ID"]
    assert replaced != "bad id\nwith newline" and len(replaced) == 32


def test_a_denied_request_logs_its_request_id_actor_and_coalition(world: World, json_lines: io.StringIO) -> None:
    url = reverse("coalitions:settings", args=[world.coalition.pk])
    response = world.client_for(world.member).post(
        url, {"name": "secret-value-in-the-body"}, HTTP_X_REQUEST_ID="req-00000001"
    )
    assert response.status_code == 403
    records = [r for r in _records(json_lines) if r["request_id"] == "req-00000001"]
    assert records, json_lines.getvalue()
    assert records[0]["actor"] == str(world.member.pk)
    assert records[0]["coalition"] == str(world.coalition.pk)
    assert records[0]["level"] == "WARNING"
    assert "secret-value-in-the-body" not in json_lines.getvalue()


def test_outside_a_request_the_context_is_a_dash() -> None:
    record = logging.LogRecord("coalition", logging.INFO, __file__, 1, "hello %s", ("world",), None)
    RequestContextFilter().filter(record)
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "hello world"
    assert (entry["request_id"], entry["actor"], entry["coalition"]) == ("-", "-", "-")
    assert entry["time"].endswith("+00:00")
