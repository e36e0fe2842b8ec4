"""The power/interest grid: quadrant rules, a layout without overlaps, and the SVG that draws it."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from coalition.core import labels
from coalition.stakeholders import grid
from coalition.stakeholders.grid import GridPoint, Quadrant
from tests import factories


def test_quadrants_follow_the_ratings() -> None:
    assert grid.quadrant(5, 5) is Quadrant.MANAGE_CLOSELY
    assert grid.quadrant(4, 4) is Quadrant.MANAGE_CLOSELY
    assert grid.quadrant(5, 1) is Quadrant.KEEP_SATISFIED
    assert grid.quadrant(4, 3) is Quadrant.KEEP_SATISFIED
    assert grid.quadrant(1, 5) is Quadrant.KEEP_INFORMED
    assert grid.quadrant(3, 4) is Quadrant.KEEP_INFORMED
    assert grid.quadrant(3, 3) is Quadrant.MONITOR
    assert grid.quadrant(1, 1) is Quadrant.MONITOR


def test_by_quadrant_lists_every_point_under_its_quadrant_most_powerful_then_most_interested_first() -> None:
    points = [
        GridPoint(1, "b", 4, 4, "member"),
        GridPoint(2, "a", 4, 4, "member"),
        GridPoint(3, "c", 5, 4, "member"),
        GridPoint(4, "d", 4, 5, "member"),
        GridPoint(5, "e", 3, 4, "member"),
        GridPoint(6, "f", 3, 5, "member"),
        GridPoint(7, "g", 5, 3, "member"),
    ]
    members = grid.by_quadrant(points)
    assert list(members) == [Quadrant.MANAGE_CLOSELY, Quadrant.KEEP_SATISFIED, Quadrant.KEEP_INFORMED, Quadrant.MONITOR]
    assert {q: [p.name for p in ps] for q, ps in members.items()} == {
        Quadrant.MANAGE_CLOSELY: ["c", "d", "a", "b"],
        Quadrant.KEEP_SATISFIED: ["g"],
        Quadrant.KEEP_INFORMED: ["f", "e"],
        Quadrant.MONITOR: [],
    }


def _inside_quadrant(x: float, y: float, quadrant: Quadrant) -> bool:
    middle_x, middle_y = grid.LEFT + grid.SIZE / 2, grid.TOP + grid.SIZE / 2
    right = x > middle_x
    top = y < middle_y
    return {
        Quadrant.MANAGE_CLOSELY: right and top,
        Quadrant.KEEP_SATISFIED: (not right) and top,
        Quadrant.KEEP_INFORMED: right and not top,
        Quadrant.MONITOR: (not right) and not top,
    }[quadrant]


points_strategy = st.lists(
    st.builds(
        GridPoint,
        pk=st.integers(1, 10**6),
        name=st.text(min_size=1, max_size=20),
        power=st.integers(1, 5),
        interest=st.integers(1, 5),
        engagement=st.sampled_from(["identified", "member"]),
    ),
    max_size=120,
    unique_by=lambda p: p.pk,
)


@settings(max_examples=60, deadline=None)
@given(points_strategy)
def test_layout_places_every_point_in_its_quadrant_without_overlap(points: list[GridPoint]) -> None:
    layout = grid.layout(points)
    shown = len(layout.points)
    hidden = sum(o.count for o in layout.overflows)
    assert shown + hidden == len(points)
    for placed in layout.points:
        assert placed.quadrant is grid.quadrant(placed.point.power, placed.point.interest)
        assert _inside_quadrant(placed.x, placed.y, placed.quadrant)
        box = grid.cell(placed.point.power, placed.point.interest)
        assert box.x + grid.RADIUS <= placed.x <= box.x + box.width - grid.RADIUS
        assert box.y + grid.RADIUS <= placed.y <= box.y + box.height - grid.RADIUS
    centres = [(p.x, p.y) for p in layout.points] + [(o.x, o.y) for o in layout.overflows]
    for i, (x1, y1) in enumerate(centres):
        for x2, y2 in centres[i + 1 :]:
            assert (x1 - x2) ** 2 + (y1 - y2) ** 2 >= (2 * grid.RADIUS) ** 2
    assert sorted(p.number for p in layout.points) == sorted({p.number for p in layout.points})
    # names: inside the plot, beside their own point, touching no other name nor point
    own = {p.point.pk: p for p in layout.points}
    for i, name in enumerate(layout.names):
        assert name.box.x0 >= grid.LEFT and name.box.x1 <= grid.LEFT + grid.SIZE
        assert abs(own[name.key].y - (name.box.y0 + name.box.y1) / 2) < grid.RADIUS
        assert all(not name.box.intersects(other.box) for other in layout.names[i + 1 :])
        for x, y in centres:
            if (x, y) != (own[name.key].x, own[name.key].y):
                assert not name.box.intersects(
                    labels.Box(x - grid.RADIUS, y - grid.RADIUS, x + grid.RADIUS, y + grid.RADIUS)
                )


def test_a_lone_point_is_named_on_its_right_unless_the_frame_ends_there_and_a_long_name_is_shortened() -> None:
    layout = grid.layout([GridPoint(1, "Riverside Primary School", 5, 4, "member")])
    (name,) = layout.names
    (point,) = layout.points
    assert name.text == "Riverside Primary…"  # 17 characters and an ellipsis
    assert (name.anchor, name.x) == ("start", point.x + grid.RADIUS + 3)
    (name,) = grid.layout([GridPoint(1, "Riverside Primary School", 5, 5, "member")]).names
    assert name.anchor == "end"


@settings(max_examples=30, deadline=None)
@given(points_strategy, st.randoms())
def test_layout_is_deterministic_whatever_the_input_order(points: list[GridPoint], rnd: Any) -> None:
    shuffled = list(points)
    rnd.shuffle(shuffled)
    assert grid.layout(points) == grid.layout(shuffled)


def test_a_crowded_cell_ends_in_a_more_marker() -> None:
    points = [GridPoint(i, f"Org {i:03}", 1, 1, "identified") for i in range(1, 41)]
    layout = grid.layout(points)
    capacity = grid.cell(1, 1).capacity
    assert len(layout.points) == capacity - 1
    assert layout.overflows[0].count == 40 - (capacity - 1)


def _svg(world: Any, **params: Any) -> str:
    response = world.client_for(world.observer).get(reverse("stakeholders:grid", args=[world.coalition.pk]), params)
    assert response.status_code == 200
    return response.content.decode()


def test_grid_page_draws_each_stakeholder_as_a_linked_point_in_its_quadrant(world: Any) -> None:
    mayor = factories.make_stakeholder(world.coalition, "Mayor's Office", sector="government", power=5, interest=2)
    parents = factories.make_stakeholder(world.coalition, "Parents Group", sector="resident", power=1, interest=5)
    page = _svg(world)
    assert "<svg" in page
    for stakeholder, quadrant in ((mayor, "keep_satisfied"), (parents, "keep_informed")):
        detail = reverse("stakeholders:detail", args=[world.coalition.pk, stakeholder.pk])
        match = re.search(rf'<a href="{re.escape(detail)}" class="point[^"]*"[^>]*data-quadrant="(\w+)"', page)
        assert match, stakeholder.name
        assert match.group(1) == quadrant
    cx = re.search(
        r'aria-label="\d+\. Mayor&#x27;s Office[^"]*"[^>]*>\s*<title>[^<]*</title>\s*<circle cx="([\d.]+)" cy="([\d.]+)"',
        page,
    )
    assert cx, "the mayor's point"
    x, y = float(cx.group(1)), float(cx.group(2))
    assert _inside_quadrant(x, y, Quadrant.KEEP_SATISFIED)
    # Beside the drawing, the same data as an accessible table, and what each quadrant means.
    assert "<table" in page and "Mayor&#x27;s Office" in page
    for title in ("Manage closely", "Keep satisfied", "Keep informed", "Monitor"):
        assert title in page
    # and, for a phone, each quadrant lists its stakeholders with their ratings
    satisfied = page[page.index('id="q-keep_satisfied"') : page.index('id="q-keep_informed"')]
    assert 'Mayor&#x27;s Office</a> <span class="muted">power 5, interest 2</span>' in satisfied
    assert "Parents Group" not in satisfied


def test_grid_respects_filters(world: Any) -> None:
    factories.make_stakeholder(world.coalition, "Mayor's Office", sector="government", power=5, interest=2)
    page = _svg(world, sector="government")
    assert "Mayor&#x27;s Office" in page and "Member Org" not in page


def test_grid_leaves_out_archived_stakeholders(world: Any) -> None:
    from coalition.stakeholders.actions import do_archive_stakeholder

    do_archive_stakeholder(world.hub, world.other_org)
    assert "Second Org" not in _svg(world)
