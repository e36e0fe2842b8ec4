"""Property and unit tests for the pure joint-action calculations."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from coalition.joint_action import calc

BASE = dt.date(2026, 1, 1)
days = st.integers(min_value=0, max_value=60).map(lambda n: BASE + dt.timedelta(days=n))
statuses = st.sampled_from(["planned", "under_way", "done", "dropped"])


@st.composite
def commitments(draw: st.DrawFn) -> calc.Commitment:
    status = draw(statuses)
    due = draw(days)
    completed = draw(days) if status == "done" else None
    return calc.Commitment(status, due, completed)


# ---------------------------------------------------------------------------------------- follow-through


def test_follow_through_counts_each_case() -> None:
    as_of = dt.date(2026, 3, 1)
    result = calc.follow_through(
        [
            calc.Commitment("done", dt.date(2026, 2, 1), dt.date(2026, 2, 1)),  # on time (on the due date)
            calc.Commitment("done", dt.date(2026, 2, 1), dt.date(2026, 2, 2)),  # late
            calc.Commitment("under_way", dt.date(2026, 2, 28), None),  # overdue
            calc.Commitment("planned", dt.date(2026, 3, 1), None),  # due today: not late yet
            calc.Commitment("done", dt.date(2026, 4, 1), dt.date(2026, 2, 10)),  # done early: counts now
            calc.Commitment("dropped", dt.date(2026, 1, 1), None),  # dropped: never counts
        ],
        as_of,
    )
    assert (result.due, result.on_time, result.late, result.overdue) == (4, 2, 1, 1)
    assert result.rate == Fraction(1, 2)
    assert result.percent == 50


def test_follow_through_with_nothing_due_has_no_rate() -> None:
    result = calc.follow_through([calc.Commitment("planned", dt.date(2026, 5, 1))], dt.date(2026, 1, 1))
    assert result.due == 0
    assert result.rate is None
    assert result.percent is None
    assert calc.follow_through([], BASE).rate is None


@given(st.lists(commitments(), max_size=30), days)
def test_follow_through_rate_is_a_share_and_parts_add_up(items: list[calc.Commitment], as_of: dt.date) -> None:
    result = calc.follow_through(items, as_of)
    assert result.due == result.on_time + result.late + result.overdue
    assert result.due <= len([i for i in items if i.status != "dropped"])
    if result.due == 0:
        assert result.rate is None
    else:
        assert 0 <= result.rate <= 1
        assert result.rate == Fraction(result.on_time, result.due)


@given(st.lists(commitments(), max_size=20), days, days)
def test_dropped_actions_never_change_follow_through(
    items: list[calc.Commitment], due: dt.date, as_of: dt.date
) -> None:
    assert calc.follow_through([*items, calc.Commitment("dropped", due)], as_of) == calc.follow_through(items, as_of)


@given(st.lists(commitments(), max_size=20), days, days)
def test_an_action_done_on_time_never_lowers_the_rate(
    items: list[calc.Commitment], due: dt.date, as_of: dt.date
) -> None:
    before = calc.follow_through(items, as_of).rate
    after = calc.follow_through([*items, calc.Commitment("done", due, due)], as_of).rate
    assert after is not None
    assert before is None or after >= before


@given(st.lists(commitments(), max_size=20), days)
def test_follow_through_ignores_order(items: list[calc.Commitment], as_of: dt.date) -> None:
    assert calc.follow_through(items, as_of) == calc.follow_through(list(reversed(items)), as_of)


# --------------------------------------------------------------------------------------------- overlaps


def _days_of(start: dt.date, end: dt.date | None, horizon: dt.date) -> set[dt.date]:
    last = end if end is not None else horizon
    return {start + dt.timedelta(days=i) for i in range((last - start).days + 1)}


@st.composite
def spans(draw: st.DrawFn) -> tuple[dt.date, dt.date | None]:
    start = draw(days)
    length = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=20)))
    return start, None if length is None else start + dt.timedelta(days=length)


HORIZON = BASE + dt.timedelta(days=200)


def test_touching_boundaries() -> None:
    may9, may10 = dt.date(2026, 5, 9), dt.date(2026, 5, 10)
    # Ending on the day the other starts: both run that day, so they overlap.
    assert calc.periods_overlap(dt.date(2026, 5, 1), may10, may10, dt.date(2026, 5, 20))
    # Ending the day before the other starts: they only touch.
    assert not calc.periods_overlap(dt.date(2026, 5, 1), may9, may10, dt.date(2026, 5, 20))
    # Ongoing spans reach every later date.
    assert calc.periods_overlap(dt.date(2026, 1, 1), None, dt.date(2030, 1, 1), dt.date(2030, 1, 2))
    assert not calc.periods_overlap(dt.date(2026, 1, 2), None, dt.date(2025, 1, 1), dt.date(2026, 1, 1))


@given(spans(), spans())
def test_periods_overlap_iff_they_share_a_day(a: tuple, b: tuple) -> None:
    shared = _days_of(*a, HORIZON) & _days_of(*b, HORIZON)
    assert calc.periods_overlap(a[0], a[1], b[0], b[1]) == bool(shared)
    assert calc.periods_overlap(a[0], a[1], b[0], b[1]) == calc.periods_overlap(b[0], b[1], a[0], a[1])


occupations = st.builds(
    lambda key, kind, place, span: calc.Occupation(key, kind, place, span[0], span[1]),
    st.integers(min_value=0, max_value=1000),
    st.sampled_from(["reading", "sports"]),
    st.sampled_from(["North", "north ", "South", "NORTH", "Mill  Brook", "mill brook"]),
    spans(),
)


@given(occupations, st.lists(occupations, max_size=25))
def test_find_overlaps_finds_exactly_the_overlapping_ones(
    candidate: calc.Occupation, others: list[calc.Occupation]
) -> None:
    found = calc.find_overlaps(candidate, others)
    expected = [
        o
        for o in others
        if o.key != candidate.key
        and o.activity_type == candidate.activity_type
        and " ".join(o.place.split()).lower() == " ".join(candidate.place.split()).lower()
        and _days_of(o.starts_on, o.ends_on, HORIZON) & _days_of(candidate.starts_on, candidate.ends_on, HORIZON)
    ]
    assert found == expected


@given(st.lists(spans(), max_size=12))
def test_has_simultaneous_iff_some_pair_shares_a_day(items: list[tuple]) -> None:
    day_sets = [_days_of(s, e, HORIZON) for s, e in items]
    pairwise = any(day_sets[i] & day_sets[j] for i in range(len(items)) for j in range(i + 1, len(items)))
    assert calc.has_simultaneous(items) == pairwise


@given(spans(), st.one_of(st.none(), days), st.one_of(st.none(), days))
def test_clip_to_period_matches_overlap(span: tuple, start: dt.date | None, end: dt.date | None) -> None:
    if start and end and end < start:
        return
    period_days = _days_of(start or BASE - dt.timedelta(days=1), end, HORIZON)
    assert calc.clip_to_period(span[0], span[1], start, end) == bool(_days_of(*span, HORIZON) & period_days)


# -------------------------------------------------------------------------------------- launch workplan


def test_launch_phases() -> None:
    start = dt.date(2026, 1, 1)
    assert calc.launch_phase(start, start) == 0
    assert calc.launch_phase(start, start - dt.timedelta(days=3)) == 0
    assert calc.launch_phase(start, start + dt.timedelta(days=29)) == 0  # day 30
    assert calc.launch_phase(start, start + dt.timedelta(days=30)) == 1  # day 31
    assert calc.launch_phase(start, start + dt.timedelta(days=89)) == 2  # day 90
    assert calc.launch_phase(start, start + dt.timedelta(days=90)) == 3  # day 91


def test_template_fits_ninety_days_in_three_blocks() -> None:
    start = dt.date(2026, 1, 1)
    phases = {calc.launch_phase(start, calc.template_dates(start, t)[1]) for t in calc.LAUNCH_TEMPLATE}
    assert phases == {0, 1, 2}
    assert all(1 <= t.first_day <= t.last_day <= 90 for t in calc.LAUNCH_TEMPLATE)


@given(st.lists(st.tuples(spans(), st.booleans()), min_size=1, max_size=15), days)
def test_gantt_bars_cover_their_weeks(items: list, today: dt.date) -> None:
    tasks = []
    for i, ((start, end), done) in enumerate(items):
        due = end or start + dt.timedelta(days=3)
        tasks.append((i, start, due, due if done else None))
    layout = calc.gantt_layout(tasks, today)
    assert all(w.weekday() == 0 for w in layout.weeks)
    assert [b.row for b in layout.bars] == list(range(len(tasks)))
    for bar, (_item, start, due, done) in zip(layout.bars, tasks, strict=True):
        assert 0 <= bar.first_week <= bar.last_week < len(layout.weeks)
        assert layout.weeks[bar.first_week] <= start < layout.weeks[bar.first_week] + dt.timedelta(days=7)
        assert layout.weeks[bar.last_week] <= due < layout.weeks[bar.last_week] + dt.timedelta(days=7)
        assert bar.state == ("done" if done else "overdue" if due < today else "open")
    if layout.today_week is not None:
        assert layout.weeks[layout.today_week] <= today < layout.weeks[layout.today_week] + dt.timedelta(days=7)


def test_gantt_of_nothing_is_empty() -> None:
    assert calc.gantt_layout([], BASE).bars == []
