"""The learning brief's key figures show their trend: the value of the period before and a small line through the
recent periods, drawn from the frozen snapshot. Hand-worked points and a property over any series."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from coalition.learning import brief, calc
from coalition.learning.models import Pause
from tests.learning import builders


def test_sparkline_points_by_hand() -> None:
    # width 60, height 16, 2 of padding: x steps of 56 / 2 = 28; 1 at the bottom (14), 3 at the top (2), 2 between
    assert calc.sparkline([Decimal(1), Decimal(3), Decimal(2)]) == "2.0,14.0 30.0,2.0 58.0,8.0"
    assert calc.sparkline([None, Decimal(5), Decimal(5)]) == "30.0,8.0 58.0,8.0"  # flat: across the middle
    assert calc.sparkline([Decimal(5), None]) == ""  # one known value is not a trend


@given(st.lists(st.one_of(st.none(), st.decimals(-1000, 1000, places=2)), max_size=8))
def test_a_sparkline_stays_in_its_box_left_to_right(values: list[Decimal | None]) -> None:
    points = calc.sparkline(values)
    known = [v for v in values if v is not None]
    if len(known) < 2:
        assert points == ""
        return
    xy = [tuple(Decimal(n) for n in p.split(",")) for p in points.split(" ")]
    assert len(xy) == len(known)
    assert all(0 <= x <= calc.WIDTH and 0 <= y <= calc.HEIGHT for x, y in xy)
    assert [x for x, _y in xy] == sorted({x for x, _y in xy})
    if min(known) != max(known):
        ys = [y for _x, y in xy]
        assert min(ys) == calc.PAD and max(ys) == calc.HEIGHT - calc.PAD


ROW = {
    "indicator": "Children reading",
    "unit": "children",
    "period": "Q3 2026",
    "value": "14",
    "target": "20",
    "status": "on_track",
    "trend": "↑",
    "series": [["Q1 2026", "10"], ["Q2 2026", None], ["Q3 2026", "14"]],
}


def test_a_key_figure_knows_the_value_before() -> None:
    figure = brief.key_figure(ROW)
    assert figure["previous"] == "10"  # Q2 has no value: the last known before Q3
    assert figure["spark"] == "2.0,14.0 58.0,2.0"
    assert brief.key_figure({**ROW, "series": [["Q3 2026", "14"]]})["previous"] is None


def test_the_brief_shows_previous_to_current_values(world: Any) -> None:
    pause = builders.pause(world.coalition)
    Pause.objects.filter(pk=pause.pk).update(evidence={**pause.evidence, "scorecard": {"label": "x", "rows": [ROW]}})
    response = world.client_for(world.member).get(reverse("learning:brief", args=[world.coalition.pk, pause.pk]))
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text().replace("\n", " ")
    assert "Children reading" in text and "10 → 14" in text
