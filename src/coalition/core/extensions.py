"""Links a higher app adds to a lower app's page, without the lower app importing it.

A page names a slot (``"planning.meeting_rhythm"``) and shows whatever ``links(slot, ...)`` returns; a higher app
registers a provider for that slot in its ``AppConfig.ready``. With no provider registered the page shows nothing
extra, so the lower app works on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    note: str = ""


LinkProvider = Callable[..., Iterable[Link]]
_PROVIDERS: dict[str, dict[str, LinkProvider]] = {}


def register_links(slot: str, name: str, provider: LinkProvider) -> None:
    """Let ``provider(*args)`` add links to ``slot``; registering the same name again replaces it."""
    _PROVIDERS.setdefault(slot, {})[name] = provider


def links(slot: str, *args: Any) -> list[Link]:
    """Every registered provider's links for ``slot``, providers in name order."""
    return [link for _name, provider in sorted(_PROVIDERS.get(slot, {}).items()) for link in provider(*args)]
