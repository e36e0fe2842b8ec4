"""Pure calculations: response times by month and survey aggregates, against hand-computed figures and, for the
threshold, a brute-force property over every filter and subgroup."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from coalition.feedback import calc
from coalition.feedback.calc import PlainResponse

D = dt.date


def test_median_days_per_month_by_hand() -> None:
    rows = [
        (D(2026, 1, 5), D(2026, 1, 6), D(2026, 1, 20)),  # 1 day, 15 days
        (D(2026, 1, 10), D(2026, 1, 13), None),  # 3 days, open
        (D(2026, 1, 31), D(2026, 2, 9), D(2026, 3, 2)),  # 9 days, 30 days
        (D(2026, 2, 1), None, None),
    ]
    figures = calc.response_times(rows)
    assert [(f.month, f.received, f.median_days_to_answer, f.median_days_to_close) for f in figures] == [
        ("2026-01", 3, 3.0, 22.5),
        ("2026-02", 1, None, None),
    ]


def test_mean_score_by_hand_and_none_below_the_minimum() -> None:
    assert calc.mean_score([4, 5, 3, 4, 4], 5) == Decimal("4.00")
    assert calc.mean_score([1, 2, 2], 3) == Decimal("1.67")
    assert calc.mean_score([5, 5, 5, 5], 5) is None
    assert calc.mean_score([], 1) is None


def _resp(role: str, sector: str, score: int, text: str = "") -> PlainResponse:
    return PlainResponse(role, sector, {"q": score}, {"k": ["a"]}, {"t": text} if text else {})


QUESTIONS = [("q", "scale"), ("k", "multiple"), ("t", "text")]


def test_aggregate_by_hand() -> None:
    responses = [_resp("member", "health", s) for s in (1, 2, 3, 4, 5)] + [_resp("hub", "civil", 5)]
    whole = calc.aggregate(responses, QUESTIONS, 5)
    assert whole.shown and whole.responses == 6
    assert whole.questions["q"].mean == Decimal("3.33")  # 20 / 6
    assert whole.questions["q"].distribution == {"1": 1, "2": 1, "3": 1, "4": 1, "5": 2}
    # members alone are 5, but the rest (the hub) would be 1: both held back
    assert not calc.aggregate(responses, QUESTIONS, 5, grouping="role", group="member").shown
    assert not calc.aggregate(responses, QUESTIONS, 5, grouping="role", group="hub").shown


def test_free_text_only_when_asked_for_and_past_the_minimum() -> None:
    responses = [_resp("member", "x", 3, text=f"note {i}") for i in range(5)]
    assert calc.aggregate(responses, QUESTIONS, 5).questions["t"].texts == []
    assert calc.aggregate(responses, QUESTIONS, 5, with_texts=True).questions["t"].texts == [
        f"note {i}" for i in range(5)
    ]
    assert calc.aggregate(responses, QUESTIONS, 6, with_texts=True).shown is False


def test_shown_groups_adds_complementary_hiding() -> None:
    assert calc.shown_groups({"a": 5, "b": 5, "c": 2}, 5) == {"a"} or calc.shown_groups(
        {"a": 5, "b": 5, "c": 2}, 5
    ) == {"b"}
    assert calc.shown_groups({"a": 6, "b": 7, "c": 5}, 5) == {"a", "b", "c"}
    assert calc.shown_groups({"a": 9, "b": 1, "c": 4}, 5) == {"a"}  # hidden 1 + 4 = 5: enough
    assert calc.shown_groups({"a": 3}, 5) == set()


ROLES = st.sampled_from(["member", "hub", "steering", "resident"])
SECTORS = st.sampled_from(["health", "civil", "business", ""])
RESPONSE = st.builds(
    lambda role, sector, score, has_text: _resp(role, sector, score, "words" if has_text else ""),
    ROLES,
    SECTORS,
    st.integers(1, 5),
    st.booleans(),
)


@settings(max_examples=300, deadline=None)
@given(
    responses=st.lists(RESPONSE, max_size=30),
    minimum=st.integers(1, 8),
    with_texts=st.booleans(),
)
def test_no_shown_aggregate_rests_on_fewer_than_the_minimum(
    responses: list[PlainResponse], minimum: int, with_texts: bool
) -> None:
    """Every filter a caller can ask for: no shown figure comes from fewer than ``minimum`` answers, and
    the total less the shown subgroups of one grouping never leaves a group of 1 to minimum-1."""
    filters: list[tuple[str, str]] = [("", "")]
    filters += [("role", r) for r in ("member", "hub", "steering", "resident", "nobody")]
    filters += [("sector", s) for s in ("health", "civil", "business", "", "nobody")]
    shown_sizes: dict[str, int] = {}
    for grouping, group in filters:
        result: Any = calc.aggregate(
            responses, QUESTIONS, minimum, grouping=grouping, group=group, with_texts=with_texts
        )
        truth = [r for r in responses if not grouping or getattr(r, grouping) == group]  # brute force
        if not result.shown:
            assert result.responses == 0 and not result.questions
            continue
        assert result.responses == len(truth) >= minimum
        for item in result.questions.values():
            if item.shown:
                assert item.count >= minimum
            else:
                assert item.count == 0 and not item.distribution and not item.texts and item.mean is None
        assert sum(result.questions["q"].distribution.values()) == len(truth)
        if grouping:
            shown_sizes[f"{grouping}:{group}"] = len(truth)
    for grouping in ("role", "sector"):
        everyone = len(responses)
        if everyone < minimum:
            continue
        counts = Counter(getattr(r, grouping) for r in responses)
        shown = sum(v for k, v in shown_sizes.items() if k.startswith(grouping + ":"))
        rest = everyone - shown
        assert rest == 0 or rest >= minimum, (grouping, counts)


DAYS = st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2026, 6, 30))


@st.composite
def feedback_rows(draw: st.DrawFn) -> calc.FeedbackRow:
    received = draw(DAYS)
    answered = draw(st.one_of(st.none(), st.integers(0, 60).map(lambda d: received + dt.timedelta(days=d))))
    closed = None
    if answered is not None:
        closed = draw(st.one_of(st.none(), st.integers(0, 60).map(lambda d: answered + dt.timedelta(days=d))))
    return calc.FeedbackRow(
        draw(st.sampled_from(["safety", "health", "idea"])),
        draw(st.sampled_from(["public_form", "phone"])),
        received,
        answered,
        closed,
    )


@given(st.lists(feedback_rows(), max_size=30), DAYS, st.integers(0, 90))
def test_a_period_summary_adds_up_by_topic_and_by_channel(rows: list[calc.FeedbackRow], start: dt.date, span: int) -> None:
    end = start + dt.timedelta(days=span)
    summary = calc.period_summary(rows, start, end)
    assert summary.totals.received == sum(1 for r in rows if start <= r.received_on <= end)
    assert summary.totals.closed == sum(1 for r in rows if r.closed_on and start <= r.closed_on <= end)
    for part in (summary.by_topic, summary.by_channel):
        assert sum(c.received for c in part.values()) == summary.totals.received
        assert sum(c.answered for c in part.values()) == summary.totals.answered
        assert sum(c.closed for c in part.values()) == summary.totals.closed
    waits = [(r.answered_on - r.received_on).days for r in rows if r.answered_on and start <= r.answered_on <= end]
    if waits:
        assert summary.median_days_to_answer is not None
        assert min(waits) <= summary.median_days_to_answer <= max(waits)
    else:
        assert summary.median_days_to_answer is None
