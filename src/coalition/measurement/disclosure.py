"""Disclosure control of tables shared beyond the hub, audited by linear programming (docs/adr/0007).

A table is a hypercube of whole-number counts with every marginal total. Its entries are addressed by
a ``Key``: one index per dimension, ``None`` where the entry is the total over that dimension (so
``(None, None)`` is the grand total of a two-way table). Every entry with a ``None`` is the sum of its
children along each such dimension: those are the equations an attacker knows.

``protect`` hides every entry from 1 to ``threshold - 1`` (primary suppression), then hides further
entries (secondary suppression) until ``audit`` proves that, for every hidden entry, the range an
attacker can work out from everything shown is at least ``width`` wide. The attacker knows:

* every shown entry, and the equations;
* that entries are whole numbers ≥ 0, that zeros are always shown, so a hidden entry is ≥ 1 (one mark,
  the same for every hidden entry whatever its reason, so the mark says nothing more);
* entries published elsewhere (``known``: for example the grand total on the scorecard) even when
  this table hides them;
* entries that are not published at all (``unpublished``, for example each member's value per period
  behind the members and period tables) are unknowns with a lower bound of 0 that need protection only
  when they are small.

The audit solves, for each hidden entry, min and max of it under those constraints with HiGHS
(``scipy.optimize.linprog``); bounds are rounded inwards to whole numbers. Adding a suppression never
narrows another entry's range (it only removes a constraint), so entries that passed stay passed and
only failing ones are audited again. If no single further suppression helps, every non-zero entry is
hidden; if even that fails (a small table whose total is published elsewhere), the table is withheld.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from itertools import product
from typing import Any

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_array

Key = tuple[int | None, ...]
MARK = "x"  # one mark for every hidden entry, whatever the reason
EPSILON = 1e-6


def keys_of(shape: Sequence[int]) -> list[Key]:
    """Every entry of a table of this shape, cells first, then the marginals."""
    return list(product(*[[*range(n), None] for n in shape]))


def cube(cells: Mapping[Key, Decimal | int], shape: Sequence[int]) -> dict[Key, Decimal]:
    """The table with all its marginal totals, from its cells (keys without ``None``; missing ones are 0)."""
    values: dict[Key, Decimal] = {}
    for key in keys_of(shape):
        ranges: list[Sequence[int | None]] = [range(n) if i is None else [i] for i, n in zip(key, shape, strict=True)]
        values[key] = sum((Decimal(cells.get(tuple(k), 0)) for k in product(*ranges)), Decimal(0))
    return values


def equations(shape: Sequence[int]) -> list[tuple[Key, list[Key]]]:
    """(total, its parts) for every entry with a ``None`` and each dimension it totals over."""
    found = []
    for key in keys_of(shape):
        for d, index in enumerate(key):
            if index is None:
                found.append((key, [(*key[:d], i, *key[d + 1 :]) for i in range(shape[d])]))
    return found


@dataclass(frozen=True)
class Problem:
    """What the attacker knows about a table: its equations, the shown values, the hidden unknowns."""

    shape: tuple[int, ...]
    values: Mapping[Key, Decimal]
    hidden: frozenset[Key]
    known: frozenset[Key] = frozenset()  # published elsewhere: known even when hidden here
    unpublished: frozenset[Key] = frozenset()  # never shown; lower bound 0 (a reported zero)

    def unknowns(self) -> list[Key]:
        return sorted((self.hidden | self.unpublished) - self.known, key=_order)


def _order(key: Key) -> tuple[tuple[int, int], ...]:
    return tuple((1, 0) if i is None else (0, i) for i in key)


def _system(problem: Problem) -> tuple[dict[Key, int], Any, Any, list[tuple[float, None]]]:
    """The attacker's linear system over the unknown entries: index, A_eq, b_eq and bounds."""
    unknowns = problem.unknowns()
    index = {k: n for n, k in enumerate(unknowns)}
    rows, rhs = [], []
    for total, parts in equations(problem.shape):
        row = np.zeros(len(unknowns))
        constant = 0.0
        for key, sign in [(total, -1.0), *((p, 1.0) for p in parts)]:
            if key in index:
                row[index[key]] += sign
            else:
                constant += sign * float(problem.values[key])
        if row.any():
            rows.append(row)
            rhs.append(-constant)
    a_eq = csr_array(np.array(rows)) if rows else None
    b_eq = np.array(rhs) if rows else None
    bounds = [(0.0 if k in problem.unpublished else 1.0, None) for k in unknowns]
    return index, a_eq, b_eq, bounds


def _solve(sign: float, position: int, system: tuple[dict[Key, int], Any, Any, list[tuple[float, None]]]) -> float:
    """min (sign 1) or max (sign -1) of one unknown; ``inf`` when unbounded."""
    index, a_eq, b_eq, bounds = system
    objective = np.zeros(len(index))
    objective[position] = sign
    result = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
    if result.status == 3:  # unbounded
        return math.inf
    if result.status != 0:  # infeasible cannot happen with the true values; be safe: assume nothing known
        return bounds[position][0] if sign > 0 else math.inf
    return float(result.fun) * sign


def ranges(
    problem: Problem, which: Iterable[Key] | None = None, width: int | None = None
) -> dict[Key, tuple[float, float]]:
    """For each unknown entry (or those in ``which``), the min and max an attacker can prove, rounded
    inwards to whole numbers. With ``width``, the minimum is only solved when the maximum alone does
    not settle whether the range is wide enough (it is then reported as the lower bound)."""
    system = _system(problem)
    index, _a, _b, bounds = system
    found: dict[Key, tuple[float, float]] = {}
    for key in index if which is None else [k for k in which if k in index]:
        position = index[key]
        hi = _solve(-1.0, position, system)
        hi = math.floor(hi + EPSILON) if hi != math.inf else math.inf
        floor = bounds[position][0]
        if width is not None and (hi == math.inf or hi - floor < width):
            found[key] = (floor, hi)
            continue
        found[key] = (math.ceil(_solve(1.0, position, system) - EPSILON), hi)
    return found


def too_narrow(problem: Problem, width: int, which: Iterable[Key] | None = None, small: int = 0) -> list[Key]:
    """Entries whose proven range is narrower than ``width``: every hidden entry, and unpublished ones
    below ``small`` (the threshold), narrowest first."""
    wanted = set(problem.hidden - problem.known) | {k for k in problem.unpublished if 0 < problem.values[k] < small}
    checked = ranges(problem, wanted if which is None else wanted & set(which), width)
    failing = [k for k, (lo, hi) in checked.items() if hi - lo < width]
    return sorted(failing, key=lambda k: (checked[k][1] - checked[k][0], _order(k)))


@dataclass(frozen=True)
class Protected:
    """A table after disclosure control: which entries are hidden, and whether it is withheld."""

    shape: tuple[int, ...]
    values: dict[Key, Decimal]
    hidden: frozenset[Key]
    primary: frozenset[Key]
    withheld: bool = False
    audits: int = field(default=0, compare=False)  # linear programmes solved

    def shown(self, key: Key) -> Decimal | str:
        return MARK if key in self.hidden else self.values[key]


def _neighbours(key: Key, shape: Sequence[int]) -> set[Key]:
    """Entries that share an equation with ``key``."""
    near: set[Key] = set()
    for total, parts in equations(shape):
        group = [total, *parts]
        if key in group:
            near.update(group)
    near.discard(key)
    return near


def protect(
    values: Mapping[Key, Decimal],
    shape: Sequence[int],
    threshold: int,
    width: int,
    *,
    known: Iterable[Key] = (),
    unpublished: Iterable[Key] = (),
) -> Protected:
    """Primary and secondary suppression of a table (all its entries, cells and marginals), audited."""
    shape = tuple(shape)
    known_set, unpublished_set = frozenset(known), frozenset(unpublished)
    primary = frozenset(k for k in values if k not in unpublished_set and 0 < values[k] < threshold)
    problem = Problem(shape, values, primary, known_set, unpublished_set)
    pending = too_narrow(problem, width, small=threshold)
    audits = 1
    while pending:
        target = pending[0]
        if not too_narrow(problem, width, [target], small=threshold):
            pending.pop(0)  # a range only widens as more is hidden: it stays wide enough
            continue
        # First the corners of the cheapest sub-cube through the target (the hypercube pattern: a
        # change of +d, -d around it keeps every total), then, if that was not enough, one entry.
        cube_keys = _hypercube(problem, target, shape, width) - problem.hidden
        if not cube_keys:
            choice = _complement(problem, target, shape, width)
            if choice is None:
                return _fallback(problem, width, threshold, primary, audits)
            cube_keys = {choice}
        problem = Problem(shape, values, problem.hidden | cube_keys, known_set, unpublished_set)
        pending.extend(sorted(cube_keys, key=_order))
        audits += 1
    return Protected(shape, dict(values), problem.hidden, primary, audits=audits)


def _hypercube(problem: Problem, target: Key, shape: Sequence[int], width: int) -> set[Key]:
    """Corners of the sub-cube through ``target`` whose other corners are shown, non-zero and published,
    with the least total value among those whose corners are all at least ``width`` when there are any
    (empty if there is no such sub-cube)."""
    choices = [[i for i in [*range(n), None] if i != target[d]] for d, n in enumerate(shape)]
    best: tuple[tuple[bool, Decimal], set[Key]] | None = None
    for other in product(*choices):
        corners = {tuple(pair) for pair in product(*[(t, o) for t, o in zip(target, other, strict=True)])}
        new = corners - problem.hidden
        if any(k in problem.unpublished or k in problem.known or problem.values[k] <= 0 for k in new):
            continue
        cost = (any(problem.values[k] < width for k in new), sum((problem.values[k] for k in new), Decimal(0)))
        if best is None or cost < best[0]:
            best = (cost, corners)
    return best[1] if best else set()


def _complement(problem: Problem, target: Key, shape: Sequence[int], width: int) -> Key | None:
    """The entry to hide next for ``target``: a shown, non-zero entry sharing an equation with it (cells
    before totals, then the smallest that is at least ``width``, then smaller ones); failing that, any
    shown non-zero entry."""

    def open_(key: Key) -> bool:
        return key not in problem.hidden and key not in problem.unpublished and problem.values[key] > 0

    def cost(key: Key) -> tuple[int, bool, Decimal, tuple[tuple[int, int], ...]]:
        value = problem.values[key]
        return (sum(i is None for i in key), value < width, value, _order(key))

    near = [k for k in _neighbours(target, shape) if open_(k)]
    if target in problem.unpublished:  # an unpublished small entry: hide what pins it down
        near = near or [k for k in problem.values if open_(k)]
    candidates = near or [k for k in problem.values if open_(k)]
    return min(candidates, key=cost) if candidates else None


def _fallback(problem: Problem, width: int, threshold: int, primary: frozenset[Key], audits: int) -> Protected:
    """Hide every non-zero shown entry; if even that leaves a range too narrow, withhold the table."""
    everything = frozenset(k for k in problem.values if k not in problem.unpublished and problem.values[k] > 0)
    hidden = Problem(problem.shape, problem.values, everything, problem.known, problem.unpublished)
    withheld = bool(too_narrow(hidden, width, small=threshold))
    all_entries = frozenset(k for k in problem.values if k not in problem.unpublished)
    return Protected(
        problem.shape, dict(problem.values), all_entries if withheld else everything, primary, withheld, audits + 1
    )


@lru_cache(maxsize=4096)
def _protect_frozen(
    items: tuple[tuple[Key, Decimal], ...], shape: tuple[int, ...], threshold: int, width: int, known: tuple[Key, ...]
) -> Protected:
    return protect(dict(items), shape, threshold, width, known=known)


def protect_cached(
    values: Mapping[Key, Decimal], shape: Sequence[int], threshold: int, width: int, *, known: Iterable[Key] = ()
) -> Protected:
    """``protect``, remembered per process for the same table: a dashboard reloaded after a save to one
    indicator audits only that indicator's tables again."""
    items = tuple(sorted(values.items(), key=lambda item: _order(item[0])))
    return _protect_frozen(items, tuple(shape), threshold, width, tuple(sorted(known, key=_order)))
