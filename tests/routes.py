"""The coalition-scoped routes of the URLconf and the URL-keyword factories of ``tests/<app>/isolation.py``,
shared by the generated isolation tests and the generated authorisation matrix."""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, reverse

APPS = (
    "core",
    "accounts",
    "coalitions",
    "stakeholders",
    "measurement",
    "network",
    "planning",
    "joint_action",
    "meetings",
    "decisions",
    "feedback",
    "learning",
    "funding",
    "cohesion",
    "public",
    "api",
)


@dataclass(frozen=True)
class Route:
    name: str
    route: str
    kwargs: dict[str, str]  # keyword -> converter class name
    callback: Callable[..., Any]

    def __str__(self) -> str:
        return self.name

    @property
    def object_kwargs(self) -> list[str]:
        return [k for k in self.kwargs if k != "coalition_id"]

    def url(self, coalition_id: int, values: dict[str, Any]) -> str:
        return reverse(self.name, kwargs={"coalition_id": coalition_id, **values})


def _walk(
    patterns: list[Any], prefix: str = "", namespace: str = "", converters: dict[str, str] | None = None
) -> Iterator[Route]:
    converters = converters or {}
    for entry in patterns:
        found = {**converters, **{k: type(v).__name__ for k, v in getattr(entry.pattern, "converters", {}).items()}}
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, route, ns, found)
        elif isinstance(entry, URLPattern) and entry.name and "coalition_id" in found:
            yield Route(namespace + entry.name, route, found, entry.callback)


ROUTES = sorted(_walk(get_resolver().url_patterns), key=lambda r: r.name)


def _merged(attribute: str) -> dict[str, Any]:
    """One app's entries never replace another's: a keyword two apps use goes in ``ROUTE_FACTORIES``."""
    merged: dict[str, Any] = {}
    for app in APPS:
        module = f"tests.{app}.isolation"
        if importlib.util.find_spec(module) is not None:
            entries = getattr(importlib.import_module(module), attribute, {})
            if clash := merged.keys() & entries.keys():
                raise LookupError(f"{module}.{attribute} redefines {sorted(clash)}: give them per route")
            merged.update(entries)
    return merged


# URL keyword -> fn(coalition) giving an object of that coalition.
FACTORIES: dict[str, Callable[[Any], Any]] = _merged("FACTORIES")
# Route name -> {keyword: fn(coalition)} where one route needs a particular object (e.g. a former member).
ROUTE_FACTORIES: dict[str, dict[str, Callable[[Any], Any]]] = _merged("ROUTE_FACTORIES")
# Route name -> fn(coalition) giving a POST body that would be accepted (used to show a refusal changes nothing).
POST_DATA: dict[str, Callable[[Any], dict[str, Any]]] = _merged("POST_DATA")
