"""Label placement: hand-checked spots, and properties over random pictures (never an overlap, never outside)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coalition.core.labels import Anchor, Box, place, text_width

BOUNDS = Box(0, 0, 400, 300)


def test_a_lone_point_is_labelled_on_its_right() -> None:
    (label,) = place([Anchor(1, 100, 100, 5, "Library")], size=10, bounds=BOUNDS)
    # 5 (radius) + 3 (gap) to the right; baseline 0.35 of the size below the centre
    assert (label.x, label.y, label.anchor) == (108, 103.5, "start")
    assert label.box == Box(108, 94, 108 + 7 * 10 * 0.66, 106.5)


def test_a_point_at_the_right_edge_is_labelled_on_its_left() -> None:
    (label,) = place([Anchor(1, 390, 100, 5, "Library")], size=10, bounds=BOUNDS)
    assert label.anchor == "end" and label.x == 382 and label.box.x0 >= 0


def test_the_second_of_two_close_points_goes_elsewhere_and_a_boxed_in_one_is_left_out() -> None:
    first, second = place(
        [Anchor(1, 100, 100, 5, "Riverside School"), Anchor(2, 100, 120, 5, "Parish")], size=10, bounds=BOUNDS
    )
    assert first.anchor == "start" and not first.box.intersects(second.box)
    # a point in a picture too small for any of its labels' spots gets none
    assert place([Anchor(1, 20, 10, 5, "A long organisation name")], size=10, bounds=Box(0, 0, 40, 20)) == []


def test_the_limit_and_the_priority_order_are_kept() -> None:
    points = [Anchor(k, 50 + 100 * (k % 3), 40 + 80 * (k // 3), 4, f"Actor {k}") for k in range(9)]
    assert [label.key for label in place(points, size=10, bounds=BOUNDS, limit=4)] == [0, 1, 2, 3]


anchors = st.lists(
    st.builds(
        Anchor,
        key=st.integers(0, 10_000),
        x=st.floats(0, 400),
        y=st.floats(0, 300),
        radius=st.floats(1, 20),
        text=st.text(alphabet="abcdefghij KLM&", min_size=1, max_size=30),
    ),
    max_size=40,
    unique_by=lambda a: a.key,
)


@settings(max_examples=150, deadline=None)
@given(points=anchors, size=st.floats(6, 24))
def test_placed_labels_never_overlap_each_other_nor_other_points_and_stay_inside(
    points: list[Anchor], size: float
) -> None:
    labels = place(points, size=size, bounds=BOUNDS)
    for i, label in enumerate(labels):
        assert label.box.inside(BOUNDS)
        assert label.box.x1 - label.box.x0 == pytest.approx(text_width(label.text, size))
        assert all(not label.box.intersects(other.box) for other in labels[i + 1 :])
    placed = {id(label) for label in labels}
    for label in labels:
        owner = next(p for p in points if p.key == label.key and p.text == label.text)
        for point in points:
            if point is not owner:
                dot = Box(
                    point.x - point.radius, point.y - point.radius, point.x + point.radius, point.y + point.radius
                )
                assert not label.box.intersects(dot)
    assert len(placed) == len(labels)
