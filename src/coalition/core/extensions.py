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


# --- Sections of the public page ----------------------------------------------------------------------------------
# The public page (``coalition.public``) sits above every app whose results it shows. An app offers a section by
# registering it here in its ``AppConfig.ready``; the page shows only registered sections the hub opted in to. An app
# that publishes something (a story, an award) calls ``public_content_changed`` in that action's transaction, so the
# cached page is rebuilt on the next visit.


@dataclass(frozen=True)
class PublicUpdate:
    """One entry of the public page's Atom feed: ``key`` is stable and unique within the section."""

    key: str
    title: str
    published: Any  # a timezone-aware datetime
    summary: str = ""


@dataclass(frozen=True)
class PublicSection:
    """``render(coalition)`` returns the section's HTML (escaped, no script, readable without styles), or ``""``
    when there is nothing published to show; it must show only what is final or published, and nothing a member
    has not agreed to make public. ``stamp(coalition)``, if given, is a cheap value that changes whenever what the
    section shows changes (part of the cache key); ``updates(coalition)`` gives its entries of the Atom feed."""

    key: str
    label: Any  # translatable (lazy) text: the section's heading
    render: Callable[[Any], str]
    order: int = 100
    description: Any = ""  # what opting in publishes, shown to the hub beside the switch
    stamp: Callable[[Any], Any] | None = None
    updates: Callable[[Any], Iterable[PublicUpdate]] | None = None


_PUBLIC_SECTIONS: dict[str, PublicSection] = {}
_PUBLIC_CHANGED: dict[str, Callable[[int], None]] = {}


def register_public_section(section: PublicSection) -> None:
    """Offer a section of the public page; registering the same key again replaces it."""
    _PUBLIC_SECTIONS[section.key] = section


def public_sections() -> list[PublicSection]:
    """Every registered section, in page order (``order``, then key)."""
    return sorted(_PUBLIC_SECTIONS.values(), key=lambda s: (s.order, s.key))


def unregister_public_section(key: str) -> None:
    """Take a section away (tests)."""
    _PUBLIC_SECTIONS.pop(key, None)


def on_public_content_changed(name: str, callback: Callable[[int], None]) -> None:
    """Called by ``coalition.public``: ``callback(coalition_id)`` runs whenever an app reports a change."""
    _PUBLIC_CHANGED[name] = callback


def public_content_changed(coalition_id: int) -> None:
    """Something a public section shows changed (published, withdrawn, corrected): the page is rebuilt."""
    for _name, callback in sorted(_PUBLIC_CHANGED.items()):
        callback(coalition_id)
