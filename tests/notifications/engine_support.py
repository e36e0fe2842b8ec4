"""A test event type and mail backends that fail on demand."""

from __future__ import annotations

from typing import Any

from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from coalition.notifications.registry import Delivery, EventType, Payload, declare


def _listed(payload: Payload) -> list[int]:
    return [int(uid) for uid in payload["to"]]


HELLO = declare(
    EventType(
        name="test.hello",
        label="Test greeting",
        subject="Hello %(what)s",
        body="Body about %(what)s, secret-body-text",
        recipients=_listed,
        default=Delivery.IMMEDIATE,
    )
)


class BrokenBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages: Any) -> int:
        raise ConnectionRefusedError("mail server down")


class WorkerKilled(BaseException):  # noqa: N818 - stands for the process being killed, not an error
    """Not an ``Exception``: like a SIGKILL, nothing in the delivery loop catches it."""


class DiesOnThirdBackend(BaseEmailBackend):
    """Delivers two messages to the outbox, then the worker process is killed."""

    calls = 0

    def send_messages(self, email_messages: Any) -> int:
        type(self).calls += 1
        if type(self).calls == 3:
            raise WorkerKilled
        mail.outbox.extend(email_messages)
        return len(email_messages)
