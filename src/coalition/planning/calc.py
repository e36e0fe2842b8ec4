"""Pure functions for dot voting: checking one voter's allocation and counting a vote."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _


def allocation_error(allocation: Mapping[int, int], budget: int, ballot_ids: Collection[int]) -> str | None:
    """Why ``allocation`` (priority id -> dots) is not a valid ballot, or None if it is.

    Several dots on one priority are allowed; the total never exceeds ``budget``.
    """
    if any(dots < 0 for dots in allocation.values()):
        return _("Dots cannot be negative.")
    if any(pk not in ballot_ids for pk, dots in allocation.items() if dots):
        return _("You can only place dots on priorities on this ballot.")
    spent = sum(allocation.values())
    if spent > budget:
        return _("You placed %(spent)d dots but have only %(budget)d.") % {"spent": spent, "budget": budget}
    return None


@dataclass(frozen=True)
class Ranked:
    priority_id: int
    dots: int
    voters: int
    rank: int


def tally(ballots: Iterable[Mapping[int, int]], ballot_ids: Iterable[int]) -> list[Ranked]:
    """Rank every priority on the ballot by dots received (ties share a rank: 1, 2, 2, 4).

    Among equal dots, more distinct voters come first, then the lower id, so the order is stable.
    """
    dots: dict[int, int] = dict.fromkeys(ballot_ids, 0)
    voters: dict[int, int] = dict.fromkeys(dots, 0)
    for ballot in ballots:
        for pk, count in ballot.items():
            if count > 0 and pk in dots:
                dots[pk] += count
                voters[pk] += 1
    order = sorted(dots, key=lambda pk: (-dots[pk], -voters[pk], pk))
    ranked: list[Ranked] = []
    for position, pk in enumerate(order, start=1):
        tied = ranked and ranked[-1].dots == dots[pk]
        ranked.append(Ranked(pk, dots[pk], voters[pk], ranked[-1].rank if tied else position))
    return ranked
