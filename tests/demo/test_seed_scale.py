"""``manage.py seed_scale`` at a small size: the counts follow from the options, the figures are derived,
and a second run is refused (issue 22 item 7)."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import F
from django.utils import timezone

from coalition.coalitions.models import Coalition, Membership, MembershipRole
from coalition.core.models import AuditEvent
from coalition.measurement import queries
from coalition.measurement.models import DataValue, Indicator, MemberFigure, MemberPeriodValue, PeriodFigure
from coalition.meetings.models import AgendaItem, Attendance, Meeting
from coalition.network.models import Answer, Respondent, SurveyRound
from coalition.stakeholders.models import Stakeholder

pytestmark = pytest.mark.django_db
SMALL = ["--coalitions", "3", "--members", "7", "--years", "1", "--indicators", "2", "--rounds", "2", "--meetings", "4"]


def test_seed_scale_small_makes_what_the_options_say_and_refuses_a_second_run(db: Any) -> None:
    out = io.StringIO()
    call_command("seed_scale", *SMALL, stdout=out)
    # 3 coalitions × 2 indicators × 12 months × 7 members; 2 rounds × 7 respondents × 5 answers each;
    # 3 × (4 past meetings + 1 next); attendance: 3 × 4 past meetings × 8 people (the hub and 7 members)
    assert out.getvalue().strip() == (
        "seeded: 3 coalitions, 21 members, 504 values, 210 network answers, 15 meetings, 96 attendance records"
    )
    assert Coalition.objects.filter(name__startswith="Scale coalition").count() == 3
    coalition = Coalition.objects.get(name="Scale coalition 0002")
    assert Stakeholder.objects.filter(coalition=coalition, engagement="member").count() == 7
    assert Membership.objects.filter(coalition=coalition).count() == 8  # the hub and one person per member
    assert DataValue.objects.filter(coalition_id=coalition.pk).count() == 2 * 12 * 7
    assert SurveyRound.objects.filter(coalition=coalition, status="closed").count() == 2
    assert Respondent.objects.filter(coalition=coalition, status="consented").count() == 14
    assert Answer.objects.filter(respondent__coalition=coalition).exclude(target=F("respondent__actor")).count() == 70
    assert AuditEvent.objects.filter(coalition=coalition, verb="coalition.created").count() == 1
    meetings = Meeting.objects.filter(coalition=coalition)
    assert meetings.count() == 5 and meetings.filter(starts_at__lt=timezone.now()).count() == 4
    assert meetings.filter(minutes_approved_at__isnull=False).count() == 4
    assert AgendaItem.objects.filter(meeting__coalition=coalition, status="accepted").count() == 15
    assert Attendance.objects.filter(meeting__coalition=coalition).count() == 32
    # the derived figures match the values: the sum over members and months of one indicator
    indicator = Indicator.objects.filter(coalition=coalition).order_by("pk").first()
    stored = sum(DataValue.objects.filter(indicator=indicator).values_list("value", flat=True), Decimal(0))
    scorecard = {row.indicator.pk: row for row in queries.scorecard(coalition)}
    assert scorecard[indicator.pk].to_date == stored
    with pytest.raises(CommandError, match="runs once"):
        call_command("seed_scale", *SMALL, stdout=io.StringIO())
    assert DataValue.objects.count() == 504


@pytest.mark.parametrize("option", [["--coalitions", "0"], ["--members", "1"], ["--years", "99"]])
def test_seed_scale_refuses_sizes_out_of_bounds(db: Any, option: list[str]) -> None:
    with pytest.raises(CommandError):
        call_command("seed_scale", *option, stdout=io.StringIO())
    assert not Coalition.objects.exists()


TINY = ["--coalitions", "2", "--members", "5", "--years", "1"]  # 3 indicators, 2 rounds, 12 meetings by default


def test_seed_scale_tiny_makes_exactly_the_rows_counted_by_hand_on_this_engine(db: Any) -> None:
    """On PostgreSQL the bulk rows go in by COPY with reserved ids, elsewhere by ``bulk_create``: both make
    the same rows, each referring to the right others."""
    call_command("seed_scale", *TINY, stdout=io.StringIO())
    scale = {"coalition__name__startswith": "Scale coalition"}
    counted = {
        Coalition.objects.filter(name__startswith="Scale coalition"): 2,
        get_user_model().objects.filter(username__startswith="scale"): 2 + 2 * 5,  # a hub and 5 members each
        Stakeholder.objects.filter(**scale): 2 * 5,
        Membership.objects.filter(**scale): 2 * 6,
        MembershipRole.objects.filter(membership__coalition__name__startswith="Scale coalition"): 2 * 6,
        Indicator.objects.filter(**scale): 2 * 3,
        DataValue.objects.all(): 2 * 3 * 12 * 5,  # indicators × months × members
        MemberPeriodValue.objects.all(): 2 * 3 * 12 * 5,  # one total per member and month
        PeriodFigure.objects.all(): 2 * 3 * 12,  # the member values of each month, nothing reviewed yet
        MemberFigure.objects.all(): 2 * 3 * 5,
        SurveyRound.objects.filter(status="closed", **scale): 2 * 2,
        Respondent.objects.filter(status="consented", **scale): 2 * 2 * 5,
        Answer.objects.all(): 2 * 2 * 5 * 4,  # each about the next four of the five
        Meeting.objects.filter(**scale): 2 * 13,  # 12 past and the next
        AgendaItem.objects.filter(**scale): 2 * 13 * 3,
        Attendance.objects.filter(**scale): 2 * 12 * 6,  # the past meetings, the hub and 5 members
        AuditEvent.objects.filter(verb="coalition.created"): 2,
    }
    assert {qs.model.__name__: qs.count() for qs in counted} == {qs.model.__name__: n for qs, n in counted.items()}
    # every member's person reports for the organisation of the same number, in its own coalition
    for membership in Membership.objects.filter(organisation__isnull=False).select_related("user", "organisation"):
        assert membership.user.username.split("-") == ["scale" + membership.organisation.name[13:17],
                                                       membership.organisation.name[-3:]]
        assert membership.organisation.coalition_id == membership.coalition_id
        assert list(membership.roles.values_list("role", flat=True)) == ["member"]
    assert not Answer.objects.exclude(target__round=F("respondent__round")).exists()
    assert not Attendance.objects.exclude(membership__coalition=F("meeting__coalition")).exists()


def test_seed_scale_derived_figures_equal_a_brute_force_sum_of_the_values(db: Any) -> None:
    call_command("seed_scale", *TINY, stdout=io.StringIO())
    coalition = Coalition.objects.get(name="Scale coalition 0002")
    indicator = Indicator.objects.filter(coalition=coalition).order_by("pk")[1]  # the second: i = 1
    # the seeder's values, by hand: member k, month n, indicator i → (13k + 7n + i) mod 90 + 10
    expected = {(n, k): Decimal((13 * k + 7 * n + 1) % 90 + 10) for n in range(12) for k in range(5)}
    rows = DataValue.objects.filter(indicator=indicator).select_related("organisation")
    months = sorted({row.period_start for row in rows})
    stored = {(months.index(row.period_start), int(row.organisation.name[-3:])): row.value for row in rows}
    assert stored == expected
    for period in PeriodFigure.objects.filter(indicator=indicator):
        n = months.index(period.period_start)
        assert period.value_sum == sum(v for (m, _k), v in expected.items() if m == n)
    for member in MemberFigure.objects.filter(indicator=indicator).select_related("organisation"):
        k = int(member.organisation.name[-3:])
        assert member.value_sum == sum(v for (_n, j), v in expected.items() if j == k)
        assert member.latest_value == expected[(11, k)]
    scorecard = {row.indicator.pk: row for row in queries.scorecard(coalition)}
    assert scorecard[indicator.pk].to_date == sum(expected.values())
