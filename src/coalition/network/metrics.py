"""Network measures as pure functions over plain data (node ids and directed ties).

A *tie* is one respondent saying they relate to another actor (directed, ``source → target``).
Structural measures (density, centralisation, components, betweenness, reach, communities) treat two
actors as connected when either of them reported the tie; in-degree and reciprocity keep direction.
igraph (C) computes betweenness and communities so 2,000 actors and 20,000 ties take well under a
second; NetworkX serves the layout and the cross-checks in the tests.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from statistics import fmean

import igraph as ig

Node = Hashable
Pair = frozenset


@dataclass(frozen=True)
class Report:
    """One answer reduced to what the measures need."""

    source: Node
    target: Node
    types: frozenset[str]
    trust: float | None = None  # mean of the three trust ratings given, if any
    value: float | None = None  # mean of the three value ratings given, if any


@dataclass
class NetworkMetrics:
    size: int
    ties: int  # connected pairs (either direction)
    reported_ties: int  # directed reports
    density: float
    reciprocity: float
    centralisation: float
    components: int
    largest_component_share: float
    isolates: list[Node]
    degree: dict[Node, int]
    in_degree: dict[Node, int]
    betweenness: dict[Node, float]
    reach: dict[Node, float]
    average_reach: float
    communities: list[list[Node]]
    average_degree: float = 0.0
    extra: dict[str, object] = field(default_factory=dict)


def select_ties(reports: Iterable[Report], relation: str | None = None, excluded: Collection[Node] = ()) -> set:
    """Directed ties ``(source, target)`` of one relationship type (any type when ``relation`` is None),
    leaving out self-ties and every tie touching an ``excluded`` actor (those who opted out)."""
    return {
        (r.source, r.target)
        for r in reports
        if r.source != r.target
        and r.source not in excluded
        and r.target not in excluded
        and r.types
        and (relation is None or relation in r.types)
    }


def undirected_pairs(ties: Iterable[tuple[Node, Node]]) -> set[Pair]:
    return {frozenset(t) for t in ties if t[0] != t[1]}


def density(size: int, pair_count: int) -> float:
    """Connected pairs divided by the pairs that could be connected: ``ties / (n(n−1)/2)``."""
    possible = size * (size - 1) / 2
    return pair_count / possible if possible else 0.0


def reciprocity(ties: Collection[tuple[Node, Node]]) -> float:
    """Share of reported ties that the other actor reported back."""
    if not ties:
        return 0.0
    tie_set = set(ties)
    return sum(1 for s, t in tie_set if (t, s) in tie_set) / len(tie_set)


def freeman_centralisation(degrees: Sequence[int]) -> float:
    """Freeman's degree centralisation: ``Σ(max − dᵢ) / ((n−1)(n−2))``.

    1 for a star (everything goes through one actor), 0 when every actor has the same degree
    (a cycle, a complete network). Fewer than three actors cannot be centralised: 0.
    """
    n = len(degrees)
    if n < 3:
        return 0.0
    top = max(degrees)
    return sum(top - d for d in degrees) / ((n - 1) * (n - 2))


def _graph(nodes: Sequence[Node], pairs: Iterable[Pair]) -> tuple[ig.Graph, dict[Node, int]]:
    index = {node: i for i, node in enumerate(nodes)}
    edges = [tuple(index[n] for n in pair) for pair in pairs]
    return ig.Graph(n=len(nodes), edges=edges, directed=False), index


def compute(nodes: Sequence[Node], ties: Collection[tuple[Node, Node]]) -> NetworkMetrics:
    """Every measure for one network. ``ties`` are directed; nodes not in ``nodes`` are ignored."""
    nodes = list(dict.fromkeys(nodes))
    known = set(nodes)
    ties = {(s, t) for s, t in ties if s in known and t in known and s != t}
    pairs = undirected_pairs(ties)
    n = len(nodes)
    graph, _index = _graph(nodes, pairs)

    degree_list = graph.degree()
    degree = dict(zip(nodes, degree_list, strict=True))
    in_counts = Counter(t for _s, t in ties)
    in_degree = {node: in_counts.get(node, 0) for node in nodes}

    scale = (n - 1) * (n - 2) / 2
    raw_betweenness = graph.betweenness(directed=False) if n else []
    betweenness = {node: (b / scale if scale else 0.0) for node, b in zip(nodes, raw_betweenness, strict=True)}

    within_two = graph.neighborhood_size(order=2) if n else []
    reach = {node: ((size - 1) / (n - 1) if n > 1 else 0.0) for node, size in zip(nodes, within_two, strict=True)}

    components = graph.connected_components() if n else []
    largest = max((len(c) for c in components), default=0)

    return NetworkMetrics(
        size=n,
        ties=len(pairs),
        reported_ties=len(ties),
        density=density(n, len(pairs)),
        reciprocity=reciprocity(ties),
        centralisation=freeman_centralisation(degree_list),
        components=len(components),
        largest_component_share=largest / n if n else 0.0,
        isolates=[node for node, d in degree.items() if d == 0],
        degree=degree,
        in_degree=in_degree,
        betweenness=betweenness,
        reach=reach,
        average_reach=fmean(reach.values()) if reach else 0.0,
        communities=communities(graph, nodes),
        average_degree=2 * len(pairs) / n if n else 0.0,
    )


def communities(graph: ig.Graph, nodes: Sequence[Node]) -> list[list[Node]]:
    """Groups more tied among themselves than to the rest (Louvain, seeded so results are stable).

    Only groups of two or more actors are returned, largest first.
    """
    if graph.ecount() == 0:
        return []
    ig.set_random_number_generator(random.Random(2026))  # noqa: S311 - reproducible clustering, not security
    clustering = graph.community_multilevel()
    groups = [[nodes[i] for i in members] for members in clustering if len(members) > 1]
    return sorted(groups, key=lambda g: (-len(g), str(g[0])))


@dataclass(frozen=True)
class Ratings:
    trust: dict[Node, float]  # average trust others gave each actor
    value: dict[Node, float]
    raters: dict[Node, int]  # how many respondents rated each actor
    network_trust: float | None  # average over all rated ties
    network_value: float | None

    @staticmethod
    def percent(score: float | None, scale_max: int = 4) -> float | None:
        """Score as a share of the maximum on the 1–``scale_max`` scale (4 of 4 → 100 %)."""
        return None if score is None else 100 * score / scale_max


def ratings(reports: Iterable[Report], excluded: Collection[Node] = ()) -> Ratings:
    """Actors' trust and value scores: the averages of what others rated them."""
    trust: dict[Node, list[float]] = {}
    value: dict[Node, list[float]] = {}
    raters: Counter = Counter()
    for r in reports:
        if r.source == r.target or r.source in excluded or r.target in excluded:
            continue
        if r.trust is not None:
            trust.setdefault(r.target, []).append(r.trust)
        if r.value is not None:
            value.setdefault(r.target, []).append(r.value)
        if r.trust is not None or r.value is not None:
            raters[r.target] += 1
    all_trust = [x for xs in trust.values() for x in xs]
    all_value = [x for xs in value.values() for x in xs]
    return Ratings(
        trust={k: fmean(v) for k, v in trust.items()},
        value={k: fmean(v) for k, v in value.items()},
        raters=dict(raters),
        network_trust=fmean(all_trust) if all_trust else None,
        network_value=fmean(all_value) if all_value else None,
    )


def sector_gaps(sectors: Mapping[Node, str], ties: Iterable[tuple[Node, Node]]) -> list[tuple[str, str]]:
    """Pairs of sectors present in the network with no tie between any of their actors."""
    present = sorted(set(sectors.values()))
    linked = {frozenset((sectors[s], sectors[t])) for s, t in ties if s in sectors and t in sectors}
    return [(a, b) for a, b in combinations(present, 2) if frozenset((a, b)) not in linked]


@dataclass(frozen=True)
class Comparison:
    density_change: float
    centralisation_change: float
    isolates_change: int
    new_ties: int
    lost_ties: int
    kept_ties: int


def compare(
    before: NetworkMetrics, after: NetworkMetrics, before_pairs: set[Pair], after_pairs: set[Pair]
) -> Comparison:
    """What changed between two rounds. Pairs must use keys that mean the same actor in both rounds."""
    return Comparison(
        density_change=after.density - before.density,
        centralisation_change=after.centralisation - before.centralisation,
        isolates_change=len(after.isolates) - len(before.isolates),
        new_ties=len(after_pairs - before_pairs),
        lost_ties=len(before_pairs - after_pairs),
        kept_ties=len(after_pairs & before_pairs),
    )
