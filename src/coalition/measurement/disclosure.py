"""Disclosure control of figures shared beyond the hub, audited by linear programming (docs/adr/0007).

Everything shared about an indicator is a ``Release``: a vector of unknown whole-number **cells** ≥ 0
(the counts of a breakdown, or each member's value per period) and a list of **entries**, each a linear
combination of cells (a breakdown cell, a marginal total, a member's contribution, a period's value,
the running value to date). An entry is *shown* in some table (unless hidden) or never printed at all
(a member's value per period); it may also be *known* because it is published elsewhere whatever the
tables hide (the grand total and the latest value on the scorecard and the brief).

``protect_release`` hides every shown entry from 1 to ``threshold - 1`` (primary suppression), then
hides further entries (secondary suppression) until the audit proves that, for every hidden entry and
for every small never-printed entry, the range an attacker can work out is at least ``width`` wide.
The attacker knows every shown and known entry; that cells are whole numbers ≥ 0; that zeros are
always shown, so a hidden whole-number entry is ≥ 1 (one mark, the same for every hidden entry
whatever its reason, so the mark says nothing more).

The audit (``Attacker``) is one HiGHS linear programme over the cells, built once: hiding an entry
changes only its row's bounds, and each min or max is solved from the previous optimal basis. Every
solution is a point the attacker cannot rule out, so the range of every other entry is at least the
spread of its values over the points seen so far: an entry whose seen spread is already wide enough
needs no programme of its own. Bounds are rounded inwards to whole numbers for whole-number entries.

Secondary suppression is a greedy guided by the audit: for an entry whose range is too narrow, the
shown entries whose equations bind its min or max (non-zero duals) are the ones that pin it; the
cheapest of them (values at least ``width`` first, then the smallest value) is hidden, and the entry
audited again. Hiding only removes a constraint, so entries that passed stay passed. A last pass
shows again, largest first, every complementary entry that the audit finds was not needed. If no
single entry helps, every non-zero entry is hidden; if even that fails (a small table whose total is
published elsewhere), the release is withheld.

``protect`` is the same for one hypercube table with all its marginal totals, addressed by ``Key``:
one index per dimension, ``None`` where the entry is the total over that dimension.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from itertools import product
from typing import Any

import highspy
import numpy as np
from scipy.sparse import csr_array

Key = tuple[int | None, ...]
MARK = "x"  # one mark for every hidden entry, whatever the reason
EPSILON = 1e-6


@dataclass(frozen=True, eq=False)
class Release:
    """What some tables publish about whole-number cells: entry ``n`` is ``matrix[n] · cells``."""

    labels: tuple[Hashable, ...]  # one per entry
    matrix: csr_array  # entries × cells
    truth: np.ndarray  # the cells' true values
    shown: np.ndarray  # per entry: printed unless hidden (False: never printed, such as a member's period value)
    known: np.ndarray  # per entry: published elsewhere, so the attacker knows it whatever is hidden here

    @cached_property
    def values(self) -> np.ndarray:
        return np.asarray(self.matrix @ self.truth, dtype=float)

    @cached_property
    def whole(self) -> np.ndarray:
        """Entries that are whole numbers whatever the cells (whole coefficients): their bounds round."""
        m = self.matrix
        fractional = (np.abs(m.data - np.round(m.data)) > EPSILON).astype(float)
        return np.asarray(csr_array((fractional, m.indices, m.indptr), shape=m.shape).sum(axis=1)).ravel() == 0

    def fingerprint(self) -> tuple[Any, ...]:
        """A hashable summary of everything ``protect_release`` reads (for memoising)."""
        m = self.matrix
        return (
            self.labels,
            m.shape,
            m.indptr.tobytes(),
            m.indices.tobytes(),
            m.data.tobytes(),
            self.truth.tobytes(),
            self.shown.tobytes(),
            self.known.tobytes(),
        )


def release_of(
    labels: Sequence[Hashable],
    rows: Sequence[Mapping[int, float]],
    truth: Sequence[float],
    shown: Iterable[bool],
    known: Iterable[bool],
) -> Release:
    """A ``Release`` from sparse rows (cell index → coefficient)."""
    indptr, indices, data = [0], [], []
    for row in rows:
        for column, coefficient in sorted(row.items()):
            indices.append(column)
            data.append(float(coefficient))
        indptr.append(len(indices))
    matrix = csr_array(
        (np.array(data, dtype=float), np.array(indices, dtype=np.int32), np.array(indptr, dtype=np.int32)),
        shape=(len(rows), len(truth)),
    )
    return Release(
        tuple(labels),
        matrix,
        np.array(truth, dtype=float),
        np.fromiter(shown, dtype=bool, count=len(rows)),
        np.fromiter(known, dtype=bool, count=len(rows)),
    )


# --- The attacker --------------------------------------------------------------------------------


class Attacker:
    """The range an attacker can prove for entries of a release, given which entries are hidden.

    One HiGHS model: columns are the cells (≥ 0), rows the entries (shown or known: equal to their
    value; hidden: at least 1, or above 0 when not a whole number; never printed: free)."""

    def __init__(self, release: Release, hidden: Iterable[int] = ()) -> None:
        self.release = release
        self.hidden: set[int] = set()
        self.solves = 0
        values = release.values
        self.low, self.high = values.copy(), values.copy()  # each entry's spread over the points seen
        self.seen: list[np.ndarray] = [values]  # every entry's value at each point seen
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("presolve", "off")  # keep the basis from one solve to the next
        cells = release.truth.size
        h.addVars(cells, np.zeros(cells), np.full(cells, highspy.kHighsInf))
        lower, upper = self._bounds_all()
        m = release.matrix
        h.addRows(len(release.labels), lower, upper, m.nnz, m.indptr[:-1], m.indices, m.data)
        self.highs = h
        self._costed: np.ndarray = np.array([], dtype=np.int32)
        for entry in hidden:
            self.hide(entry)

    def _bounds_all(self) -> tuple[np.ndarray, np.ndarray]:
        r = self.release
        lower = np.where(r.shown | r.known, r.values, -highspy.kHighsInf)
        return lower, lower.copy()

    def hide(self, entry: int) -> None:
        r = self.release
        self.hidden.add(entry)
        if r.known[entry] or not r.shown[entry]:
            return  # the attacker knows it anyway / never saw it
        self.highs.changeRowBounds(entry, 1.0 if r.whole[entry] else 0.0, highspy.kHighsInf)

    def show(self, entry: int) -> None:
        """Undo ``hide``: points seen that do not give the entry its value are forgotten."""
        r = self.release
        self.hidden.discard(entry)
        if r.known[entry] or not r.shown[entry]:
            return
        value = r.values[entry]
        self.highs.changeRowBounds(entry, value, value)
        self.seen = [s for s in self.seen if abs(s[entry] - value) <= EPSILON * max(1.0, abs(value))]
        seen = np.column_stack(self.seen)
        self.low, self.high = seen.min(axis=1), seen.max(axis=1)

    def _solve(self, entry: int, sign: float) -> tuple[float, np.ndarray | None]:
        """min (sign 1) or max (sign -1) of an entry: the optimum (``±inf`` when unbounded) and the
        rows' duals."""
        h, m = self.highs, self.release.matrix
        start, end = m.indptr[entry], m.indptr[entry + 1]
        columns, coefficients = m.indices[start:end], m.data[start:end]
        if self._costed.size:
            h.changeColsCost(self._costed.size, self._costed, np.zeros(self._costed.size))
        h.changeColsCost(columns.size, columns, sign * coefficients)
        self._costed = columns.copy()
        h.run()
        self.solves += 1
        status = h.getModelStatus()
        if status == highspy.HighsModelStatus.kUnbounded:
            return -sign * math.inf, None
        if status != highspy.HighsModelStatus.kOptimal:  # cannot happen: the true cells are a solution
            raise RuntimeError(f"disclosure audit: solver status {status}")
        solution = h.getSolution()
        seen = np.asarray(m @ np.array(solution.col_value))
        self.seen.append(seen)
        np.minimum(self.low, seen, out=self.low)
        np.maximum(self.high, seen, out=self.high)
        return float(seen[entry]), np.array(solution.row_dual)

    def _rounded(self, entry: int, low: float, high: float) -> tuple[float, float]:
        if not self.release.whole[entry]:
            return low, high
        return math.ceil(low - EPSILON), (math.floor(high + EPSILON) if high != math.inf else high)

    def spread(self, entry: int) -> float:
        """The width already proven by the points seen (no programme solved)."""
        low, high = self._rounded(entry, float(self.low[entry]), float(self.high[entry]))
        return high - low

    def range(self, entry: int) -> tuple[float, float]:
        """The min and max an attacker can prove for the entry (rounded inwards for whole entries)."""
        low, _d = self._solve(entry, 1.0)
        high, _d = self._solve(entry, -1.0)
        return self._rounded(entry, low, high)

    def check(self, entry: int, width: float) -> tuple[bool, set[int]]:
        """Whether the entry's range is at least ``width``; if not, the rows that bind it (non-zero duals)."""
        if self.spread(entry) >= width:
            return True, set()
        binding: set[int] = set()
        for sign in (-1.0, 1.0):
            _optimum, duals = self._solve(entry, sign)
            if self.spread(entry) >= width:
                return True, set()
            if duals is not None:
                binding.update(int(i) for i in np.flatnonzero(np.abs(duals) > EPSILON))
        binding.discard(entry)
        return False, binding


# --- Protection ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Protection:
    """A release after disclosure control: the indexes of hidden entries, and whether it is withheld."""

    hidden: frozenset[int]
    primary: frozenset[int]
    withheld: bool = False
    solves: int = field(default=0, compare=False)  # linear programmes solved


def _sensitive(release: Release, hidden: Iterable[int], threshold: int) -> list[int]:
    """Entries whose range must be wide: hidden ones the attacker does not know, and never-printed
    ones from 1 to ``threshold - 1``."""
    values = release.values
    found = {e for e in hidden if not release.known[e]}
    found |= {
        int(e) for e in np.flatnonzero(~release.shown & ~release.known & (values > EPSILON) & (values < threshold))
    }
    return sorted(found, key=lambda e: (values[e], e))


def _open(release: Release, hidden: set[int]) -> np.ndarray:
    """Entries that may still be hidden: shown, not known, non-zero, not hidden yet."""
    mask = release.shown & ~release.known & (release.values > EPSILON)
    mask[list(hidden)] = False
    return mask


def protect_release(release: Release, threshold: int, width: int) -> Protection:
    """Primary and secondary suppression of a release, audited (see the module's docstring)."""
    values = release.values
    primary = frozenset(
        int(e) for e in np.flatnonzero(release.shown & (values > EPSILON) & (values < threshold - EPSILON))
    )
    attacker = Attacker(release, primary)
    pending = _sensitive(release, primary, threshold)
    while pending:
        target = pending.pop(0)
        wide, binding = attacker.check(target, width)
        if wide:
            continue
        choice = _complement(release, attacker.hidden, target, binding, width)
        if choice is None:
            return _fallback(release, attacker, threshold, width, primary)
        attacker.hide(choice)
        pending[:0] = [target]
        pending.append(choice)
    _prune(release, attacker, primary, threshold, width)
    return Protection(frozenset(attacker.hidden), primary, solves=attacker.solves)


def _complement(release: Release, hidden: set[int], target: int, binding: set[int], width: int) -> int | None:
    """The entry to hide next for ``target``: the cheapest open entry among those binding its range,
    else among those sharing a cell with it, else any open one (values of at least ``width`` first,
    then the smallest)."""
    open_ = _open(release, hidden)
    values = release.values

    def sharing() -> list[int]:
        m = release.matrix
        return np.flatnonzero(np.asarray((m @ m[[target], :].T).todense()).ravel() != 0).tolist()

    for pool in (lambda: binding, sharing, lambda: range(len(values))):
        candidates = [e for e in pool() if open_[e]]
        if candidates:
            return min(candidates, key=lambda e: (values[e] < width, values[e], e))
    return None


def _prune(release: Release, attacker: Attacker, primary: frozenset[int], threshold: int, width: int) -> None:
    """Show again each complementary entry (largest first) without which every range stays wide enough."""
    values = release.values
    for entry in sorted(attacker.hidden - primary, key=lambda e: (-values[e], e)):
        attacker.show(entry)
        if all(attacker.check(e, width)[0] for e in _sensitive(release, attacker.hidden, threshold)):
            continue
        attacker.hide(entry)


def _fallback(release: Release, attacker: Attacker, threshold: int, width: int, primary: frozenset[int]) -> Protection:
    """Hide every non-zero shown entry; if even that leaves a range too narrow, withhold everything."""
    for entry in np.flatnonzero(_open(release, attacker.hidden)):
        attacker.hide(int(entry))
    withheld = not all(attacker.check(e, width)[0] for e in _sensitive(release, attacker.hidden, threshold))
    hidden = set(np.flatnonzero(release.shown).tolist()) if withheld else attacker.hidden
    return Protection(frozenset(int(e) for e in hidden), primary, withheld, attacker.solves)


def protect_release_cached(release: Release, threshold: int, width: int) -> Protection:
    """``protect_release``, remembered per process for the same release: a dashboard reloaded after a
    save to one indicator audits only that indicator's tables again."""
    key = (release.fingerprint(), threshold, width)
    found = _MEMO.get(key)
    if found is None:
        found = protect_release(release, threshold, width)
        if len(_MEMO) >= MEMO_SIZE:
            _MEMO.pop(next(iter(_MEMO)))  # the oldest
        _MEMO[key] = found
    return found


MEMO_SIZE = 1024
_MEMO: dict[tuple[Any, ...], Protection] = {}


# --- One hypercube table with its marginal totals ---------------------------------------------------


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


def cube_release(values: Mapping[Key, Decimal], shape: Sequence[int], known: Iterable[Key] = ()) -> Release:
    """A hypercube table as a release: its cells are the unknowns, every entry (cells and totals) is shown."""
    cells = list(product(*[range(n) for n in shape]))
    column = {key: n for n, key in enumerate(cells)}
    labels = keys_of(shape)
    rows = [
        {column[c]: 1.0 for c in product(*[range(n) if i is None else [i] for i, n in zip(key, shape, strict=True)])}
        for key in labels
    ]
    known_set = set(known)
    return release_of(
        labels, rows, [float(values[c]) for c in cells], [True] * len(labels), [k in known_set for k in labels]
    )


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


def protect(
    values: Mapping[Key, Decimal], shape: Sequence[int], threshold: int, width: int, *, known: Iterable[Key] = ()
) -> Protected:
    """Primary and secondary suppression of a table (all its entries, cells and marginals), audited."""
    return _protected(protect_release(cube_release(values, shape, known), threshold, width), values, shape)


def protect_cached(
    values: Mapping[Key, Decimal], shape: Sequence[int], threshold: int, width: int, *, known: Iterable[Key] = ()
) -> Protected:
    """``protect``, remembered per process for the same table."""
    return _protected(protect_release_cached(cube_release(values, shape, known), threshold, width), values, shape)


def _protected(result: Protection, values: Mapping[Key, Decimal], shape: Sequence[int]) -> Protected:
    labels = keys_of(shape)
    return Protected(
        tuple(shape),
        dict(values),
        frozenset(labels[e] for e in result.hidden),
        frozenset(labels[e] for e in result.primary),
        result.withheld,
        result.solves,
    )
