"""``manage.py seed_scale`` at a small size: the counts follow from the options, the figures are derived,
and a second run is refused (issue 22 item 7)."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F
from django.utils import timezone

from coalition.coalitions.models import Coalition, Membership
from coalition.core.models import AuditEvent
from coalition.measurement import queries
from coalition.measurement.models import DataValue, Indicator
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
