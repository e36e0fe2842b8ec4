"""The port through which the lowest apps (accounts, coalitions) raise notification events.

``notifications`` sits above them in the layers, so they cannot import it. They call ``raise_event`` here
instead, inside their action's transaction; ``NotificationsConfig.ready`` installs the real raiser (the
outbox writer, ``notifications.events.raise_event``), which declares these names' event types. The names
live here so both sides spell them once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol

PASSWORD_CHANGED = "security.password_changed"  # noqa: S105 - an event name, not a password
TWO_STEP_SET = "security.two_step_set"
INVITATION_ACCEPTED = "coalitions.invitation_accepted"


class Raiser(Protocol):
    def __call__(
        self,
        name: str,
        *,
        key: str,
        payload: Mapping[str, Any],
        coalition_id: int | None = None,
        url: str = "",
        recipients: Iterable[int] | None = None,
    ) -> int: ...


_raiser: list[Raiser] = []


def install(raiser: Raiser) -> None:
    """Called once by the notifications app; installing again replaces the raiser."""
    _raiser[:] = [raiser]


def raise_event(
    name: str,
    *,
    key: str,
    payload: Mapping[str, Any],
    coalition_id: int | None = None,
    url: str = "",
    recipients: Iterable[int] | None = None,
) -> int:
    """Raise event ``name`` through the installed raiser (see ``notifications.events.raise_event``); it is an
    error to raise one before the notifications app is ready."""
    if not _raiser:
        raise RuntimeError("no event raiser installed: is coalition.notifications in INSTALLED_APPS?")
    return _raiser[0](name, key=key, payload=payload, coalition_id=coalition_id, url=url, recipients=recipients)
