"""Property tests for the network measures (pure functions, no database)."""

from __future__ import annotations

import math

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coalition.network import metrics
from coalition.network.metrics import Report

# The machine is shared: timings vary, so no per-example deadline.
relaxed = settings(deadline=None, max_examples=60)
TYPES = ("information", "cooperation", "resources", "problem_solving")


@st.composite
def networks(draw: st.DrawFn, max_nodes: int = 14) -> tuple[list[int], set[tuple[int, int]]]:
    n = draw(st.integers(min_value=0, max_value=max_nodes))
    nodes = list(range(n))
    if n < 2:
        return nodes, set()
    pairs = st.tuples(st.sampled_from(nodes), st.sampled_from(nodes)).filter(lambda p: p[0] != p[1])
    return nodes, draw(st.sets(pairs, max_size=n * 3))


@st.composite
def reports(draw: st.DrawFn) -> tuple[list[int], list[Report]]:
    nodes, ties = draw(networks())
    rating = st.one_of(st.none(), st.floats(min_value=1, max_value=4))
    out = [
        Report(s, t, frozenset(draw(st.sets(st.sampled_from(TYPES), min_size=1))), draw(rating), draw(rating))
        for s, t in sorted(ties)
    ]
    return nodes, out


def star(n: int) -> set[tuple[int, int]]:
    return {(0, i) for i in range(1, n)}


def cycle(n: int) -> set[tuple[int, int]]:
    return {(i, (i + 1) % n) for i in range(n)}


@relaxed
@given(networks())
def test_density_is_a_share_between_zero_and_one(net: tuple) -> None:
    nodes, ties = net
    result = metrics.compute(nodes, ties)
    assert 0.0 <= result.density <= 1.0
    assert 0.0 <= result.centralisation <= 1.0
    assert 0.0 <= result.reciprocity <= 1.0
    assert all(0.0 <= v <= 1.0 + 1e-9 for v in result.betweenness.values())
    assert all(0.0 <= v <= 1.0 for v in result.reach.values())


@relaxed
@given(networks())
def test_measures_agree_with_networkx(net: tuple) -> None:
    nodes, ties = net
    result = metrics.compute(nodes, ties)
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from(ties)
    assert result.ties == graph.number_of_edges()
    if len(nodes) > 1:
        assert math.isclose(result.density, nx.density(graph))
    assert result.components == nx.number_connected_components(graph)
    assert sorted(result.isolates) == sorted(nx.isolates(graph))
    expected = nx.betweenness_centrality(graph, normalized=True)
    for node in nodes:
        assert math.isclose(result.betweenness[node], expected[node], abs_tol=1e-9)
    directed = nx.DiGraph(list(ties))
    if ties:
        assert math.isclose(result.reciprocity, nx.reciprocity(directed))


@relaxed
@given(st.integers(min_value=3, max_value=60))
def test_a_star_is_fully_centralised(n: int) -> None:
    assert metrics.compute(list(range(n)), star(n)).centralisation == pytest.approx(1.0)


@relaxed
@given(st.integers(min_value=3, max_value=60))
def test_a_cycle_has_no_centralisation(n: int) -> None:
    result = metrics.compute(list(range(n)), cycle(n))
    assert result.centralisation == 0.0
    assert result.components == 1
    assert result.isolates == []


@relaxed
@given(st.integers(min_value=3, max_value=20))
def test_a_complete_network_has_density_one_and_no_centralisation(n: int) -> None:
    ties = {(a, b) for a in range(n) for b in range(n) if a != b}
    result = metrics.compute(list(range(n)), ties)
    assert result.density == 1.0
    assert result.reciprocity == 1.0
    assert result.centralisation == 0.0
    assert result.average_reach == 1.0


def test_the_centre_of_a_star_brokers_everything() -> None:
    result = metrics.compute(list(range(6)), star(6))
    assert result.betweenness[0] == pytest.approx(1.0)
    assert all(result.betweenness[i] == 0 for i in range(1, 6))
    assert result.reach[1] == 1.0  # every leaf reaches the others through the centre
    assert result.in_degree[3] == 1 and result.in_degree[0] == 0


def test_freeman_centralisation_of_small_networks_is_zero() -> None:
    assert metrics.freeman_centralisation([]) == 0.0
    assert metrics.freeman_centralisation([1, 1]) == 0.0


def test_two_separate_triangles_form_two_communities() -> None:
    ties = {(0, 1), (1, 2), (2, 0), (3, 4), (4, 5), (5, 3)}
    result = metrics.compute(list(range(7)), ties)
    assert sorted(sorted(c) for c in result.communities) == [[0, 1, 2], [3, 4, 5]]
    assert result.components == 3
    assert result.isolates == [6]


@relaxed
@given(reports(), st.data())
def test_withdrawing_an_actor_removes_exactly_their_ties(data: tuple, draw: st.DataObject) -> None:
    nodes, rs = data
    if not nodes:
        return
    gone = draw.draw(st.sampled_from(nodes))
    before = metrics.select_ties(rs)
    after = metrics.select_ties(rs, excluded={gone})
    assert after == {t for t in before if gone not in t}
    remaining = [n for n in nodes if n != gone]
    result = metrics.compute(remaining, after)
    assert gone not in result.degree
    assert result.ties == len(metrics.undirected_pairs(after))
    ratings = metrics.ratings(rs, excluded={gone})
    assert gone not in ratings.trust and gone not in ratings.raters


@relaxed
@given(reports(), st.sampled_from(TYPES))
def test_a_relationship_type_is_a_subset_of_all_ties(data: tuple, relation: str) -> None:
    _nodes, rs = data
    assert metrics.select_ties(rs, relation) <= metrics.select_ties(rs)
    assert all(relation in r.types for r in rs if (r.source, r.target) in metrics.select_ties(rs, relation))


@relaxed
@given(reports())
def test_trust_and_value_stay_on_the_scale(data: tuple) -> None:
    _nodes, rs = data
    result = metrics.ratings(rs)
    for score in [*result.trust.values(), *result.value.values(), result.network_trust, result.network_value]:
        assert score is None or 1.0 - 1e-9 <= score <= 4.0 + 1e-9
    percent = metrics.Ratings.percent(result.network_trust)
    assert percent is None or 25.0 - 1e-6 <= percent <= 100.0 + 1e-6


def test_actor_scores_average_what_others_gave() -> None:
    rs = [
        Report(1, 3, frozenset({"information"}), trust=4.0, value=2.0),
        Report(2, 3, frozenset({"information"}), trust=2.0, value=None),
        Report(3, 1, frozenset({"information"}), trust=3.0, value=3.0),
    ]
    result = metrics.ratings(rs)
    assert result.trust[3] == 3.0 and result.value[3] == 2.0 and result.raters[3] == 2
    assert result.network_trust == 3.0
    assert metrics.Ratings.percent(4.0) == 100.0


@relaxed
@given(networks(), networks())
def test_comparison_counts_new_and_lost_ties(a: tuple, b: tuple) -> None:
    nodes = sorted(set(a[0]) | set(b[0]))
    pa, pb = metrics.undirected_pairs(a[1]), metrics.undirected_pairs(b[1])
    change = metrics.compare(metrics.compute(nodes, a[1]), metrics.compute(nodes, b[1]), pa, pb)
    assert change.kept_ties + change.new_ties == len(pb)
    assert change.kept_ties + change.lost_ties == len(pa)


def test_sector_gaps_lists_unconnected_sector_pairs() -> None:
    sectors = {1: "government", 2: "civil_society", 3: "private", 4: "government"}
    gaps = metrics.sector_gaps(sectors, {(1, 2), (4, 1)})
    assert ("civil_society", "private") in gaps and ("government", "private") in gaps
    assert ("civil_society", "government") not in gaps


@settings(max_examples=10, deadline=None)
@given(st.integers(min_value=0, max_value=10_000))
def test_communities_are_reproducible(seed: int) -> None:
    graph = nx.gnm_random_graph(40, 90, seed=seed)
    ties = set(graph.edges())
    assert metrics.compute(list(graph), ties).communities == metrics.compute(list(graph), ties).communities
