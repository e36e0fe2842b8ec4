""" "What needs me": to-dos computed from records, never stored.

Each app registers, in its ``AppConfig.ready``, a provider that answers for all of a person's coalitions at
once with a fixed number of queries (one or two), whatever the number of coalitions or to-dos; the home page
therefore costs the same few queries for 5 or 500 to-dos. A to-do links to the screen that completes it and
is gone once the record says the work is done. Apps also register the steps of the cycle they can tell are
done (``Step``), so the coalition overview shows where the coalition stands. This module imports no app.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class Seat:
    """A person's active membership in one coalition, as the providers need it."""

    coalition_id: int
    coalition_name: str
    membership_id: int
    organisation_id: int | None
    perms: frozenset[str]

    def can(self, perm: str) -> bool:
        return perm in self.perms


@dataclass(frozen=True)
class Todo:
    coalition_id: int
    kind: str
    label: str
    url: str
    due_on: dt.date | None = None
    overdue: bool = False

    @property
    def sort_key(self) -> tuple[int, dt.date, str]:
        return (0 if self.overdue else 1, self.due_on or dt.date.max, self.label)


@dataclass(frozen=True)
class Step:
    """One milestone of a stage of the cycle, done or not, with the screen where it is done."""

    stage: str
    label: str
    done: bool
    url: str


TodoProvider = Callable[[Any, Sequence[Seat], dt.date], Iterable[Todo]]
StepProvider = Callable[[int], Iterable[Step]]
_TODOS: dict[str, TodoProvider] = {}
_STEPS: dict[str, StepProvider] = {}


def register_todos(name: str, provider: TodoProvider) -> None:
    _TODOS[name] = provider


def register_steps(name: str, provider: StepProvider) -> None:
    _STEPS[name] = provider


def seats_with(seats: Sequence[Seat], perm: str) -> list[Seat]:
    return [seat for seat in seats if seat.can(perm)]


def count_per_coalition(queryset: QuerySet[Any], kind: str, label: Promise, url_name: str) -> list[Todo]:
    """One to-do per coalition with rows in ``queryset`` (one query): ``label`` is formatted with their
    ``count``, the link is ``url_name`` of the coalition."""
    rows = (
        queryset.values("coalition_id")
        .annotate(n=Count("pk"))
        .values_list("coalition_id", "n")
        .order_by("coalition_id")
    )
    return [
        Todo(
            coalition_id,
            kind,
            str(label) % {"count": count},
            reverse(url_name, kwargs={"coalition_id": coalition_id}),
        )
        for coalition_id, count in rows
    ]


_MARK = 2**63 - 1  # the largest id: no real row takes it, so it marks where an id goes in a reversed path


def url_stamper(url_name: str, key: str) -> Callable[..., str]:
    """A fast ``reverse`` for many rows: ``url(obj_id, coalition_id=...)`` equals ``reverse(url_name,
    kwargs={"coalition_id": ..., key: obj_id})`` but resolves the route once per coalition (a home page
    with 500 to-dos would otherwise spend most of its provider time in ``reverse``)."""
    parts: dict[int, tuple[str, str]] = {}

    def url(obj_id: int, *, coalition_id: int) -> str:
        if coalition_id not in parts:
            path = reverse(url_name, kwargs={"coalition_id": coalition_id, key: _MARK})
            head, _mark, tail = path.rpartition(str(_MARK))
            parts[coalition_id] = (head, tail)
        head, tail = parts[coalition_id]
        return f"{head}{obj_id}{tail}"

    return url


def collect(user: Any, seats: Sequence[Seat], today: dt.date) -> list[Todo]:
    """Every to-do of ``user`` in ``seats``, overdue first, then by due date."""
    if not seats:
        return []
    found = [todo for _name, provider in sorted(_TODOS.items()) for todo in provider(user, seats, today)]
    return sorted(found, key=lambda todo: todo.sort_key)


def steps(coalition_id: int, stage_order: Sequence[str]) -> list[tuple[str, list[Step]]]:
    """The registered steps grouped by stage, in the cycle's order (stages with none are left out)."""
    grouped: dict[str, list[Step]] = defaultdict(list)
    for _name, provider in sorted(_STEPS.items()):
        for step in provider(coalition_id):
            grouped[step.stage].append(step)
    return [(stage, grouped[stage]) for stage in stage_order if grouped.get(stage)]


def cycle_progress(coalition_id: int) -> dict[str, Any]:
    """Where the coalition stands: per stage of the cycle, the milestones the apps can tell from records, and
    the first one not yet reached (what comes next)."""
    from coalition.core.navigation import CYCLE

    labels = {stage.slug: stage.label for stage in CYCLE}
    grouped = steps(coalition_id, [stage.slug for stage in CYCLE])
    stages = [
        {"slug": slug, "label": labels[slug], "steps": found, "done": sum(s.done for s in found), "total": len(found)}
        for slug, found in grouped
    ]
    upcoming = next((step for _slug, found in grouped for step in found if not step.done), None)
    return {"stages": stages, "next": upcoming}
