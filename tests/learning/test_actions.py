"""Learning actions: adaptations change their target through the owning app's action (audited there and
here, with before and after), a pause's evidence does not move afterwards, consent rules every reading."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coalition.core.models import AuditEvent
from coalition.joint_action.models import Action
from coalition.learning import actions, queries
from coalition.learning.models import Adaptation, Pause
from coalition.measurement.models import Target
from coalition.meetings.models import MeetingSeries
from coalition.planning.models import AgendaVersion, Priority
from tests.joint_action import builders as action_builders
from tests.learning import builders
from tests.measurement import builders as measurement_builders
from tests.meetings import builders as meeting_builders
from tests.planning.factories import make_priority

TODAY = timezone.localdate()


def _verbs() -> list[str]:
    return list(AuditEvent.objects.order_by("pk").values_list("verb", flat=True))


def test_moving_an_action_due_date_goes_through_joint_action_and_is_logged(world: Any) -> None:
    action = action_builders.action(world.coalition, starts_on=dt.date(2026, 3, 1), due_on=dt.date(2026, 3, 31))
    pause = builders.pause(world.coalition)
    adaptation = actions.do_adapt(
        builders.hub_access(world.coalition),
        pause,
        kind="action_dates",
        reason="Exams in March",
        action=action,
        due_on=dt.date(2026, 4, 30),
    )
    assert Action.objects.get(pk=action.pk).due_on == dt.date(2026, 4, 30)
    assert Action.objects.get(pk=action.pk).version == 2  # joint_action's own update ran
    owning = AuditEvent.objects.filter(verb="action.updated").get()
    assert owning.before["due_on"] == "2026-03-31" and owning.after["due_on"] == "2026-04-30"
    assert adaptation.before == {"starts_on": "2026-03-01", "due_on": "2026-03-31"}
    assert adaptation.after == {"starts_on": "2026-03-01", "due_on": "2026-04-30"}
    assert _verbs()[-2:] == ["action.updated", "learning.adaptation_applied"]
    assert list(queries.adaptation_log(world.coalition)) == [adaptation]


def test_status_and_lead_changes(world: Any) -> None:
    action = action_builders.action(world.coalition)
    pause = builders.pause(world.coalition)
    access = builders.hub_access(world.coalition)
    actions.do_adapt(
        access,
        pause,
        kind="action_status",
        reason="No volunteers",
        action=action,
        status="dropped",
        dropped_reason="No volunteers left",
    )
    assert Action.objects.get(pk=action.pk).status == "dropped"
    actions.do_adapt(
        access, pause, kind="action_lead", reason="Second Org has staff", action=action, lead=world.other_org
    )
    changed = Action.objects.get(pk=action.pk)
    assert changed.lead == world.other_org
    lead_change = Adaptation.objects.get(kind="action_lead")
    assert lead_change.after["lead"] == "Second Org"
    assert lead_change.before["lead"] != "Second Org"


def test_a_refused_change_records_nothing(world: Any) -> None:
    action = action_builders.action(world.coalition, starts_on=dt.date(2026, 3, 1), due_on=dt.date(2026, 3, 31))
    pause = builders.pause(world.coalition)
    with pytest.raises(ValidationError):
        actions.do_adapt(
            builders.hub_access(world.coalition),
            pause,
            kind="action_dates",
            reason="x",
            action=action,
            due_on=dt.date(2026, 2, 1),
        )  # before its start: joint_action refuses
    assert not Adaptation.objects.exists()
    assert Action.objects.get(pk=action.pk).due_on == dt.date(2026, 3, 31)
    assert "learning.adaptation_applied" not in _verbs()


def test_a_reason_is_required(world: Any) -> None:
    action = action_builders.action(world.coalition)
    with pytest.raises(ValidationError) as refused:
        actions.do_adapt(
            builders.hub_access(world.coalition),
            builders.pause(world.coalition),
            kind="action_dates",
            reason="  ",
            action=action,
            due_on=TODAY,
        )
    assert list(refused.value.message_dict) == ["reason"]


def test_indicator_target_through_measurement(world: Any) -> None:
    indicator = measurement_builders.make_indicator(world.coalition, "Children reading")
    access = builders.hub_access(world.coalition)
    from coalition.measurement.actions import do_set_targets

    do_set_targets(access, indicator, {dt.date(2025, 4, 1): Decimal("40")})
    adaptation = actions.do_adapt(
        access,
        builders.pause(world.coalition),
        kind="indicator_target",
        reason="Too ambitious",
        indicator=indicator,
        period_start=dt.date(2025, 4, 1),
        target=Decimal("30"),
    )
    assert Target.objects.get(indicator=indicator, period_start=dt.date(2025, 4, 1)).value == Decimal("30")
    assert adaptation.before["target"] in ("40", "40.00", "40.0000")
    assert Decimal(adaptation.after["target"]) == Decimal("30")
    assert AuditEvent.objects.filter(verb="indicator.targets_set").count() == 2


def test_meeting_rhythm_through_meetings(world: Any) -> None:
    series = meeting_builders.series(world.coalition, frequency="biweekly")
    adaptation = actions.do_adapt(
        builders.hub_access(world.coalition),
        builders.pause(world.coalition),
        kind="meeting_rhythm",
        reason="Too many meetings",
        series=series,
        frequency="monthly",
        weekday=1,
        week_of_month=1,
    )
    assert MeetingSeries.objects.get(pk=series.pk).frequency == "monthly"
    assert adaptation.before["frequency"] == "biweekly" and adaptation.after["frequency"] == "monthly"
    assert AuditEvent.objects.filter(verb="meeting_series.changed").exists()


def test_priority_through_planning(world: Any) -> None:
    priority = make_priority(world.coalition, "Safe routes", status="chosen")
    adaptation = actions.do_adapt(
        builders.hub_access(world.coalition),
        builders.pause(world.coalition),
        kind="priority",
        reason="The council took it on",
        priority=priority,
        priority_status="set_aside",
    )
    assert Priority.objects.get(pk=priority.pk).status == "set_aside"
    assert (adaptation.before, adaptation.after) == ({"status": "chosen"}, {"status": "set_aside"})
    assert AuditEvent.objects.filter(verb="priority.decided").exists()


def test_common_agenda_becomes_a_draft_through_planning(world: Any) -> None:
    adaptation = actions.do_adapt(
        builders.hub_access(world.coalition),
        builders.pause(world.coalition),
        kind="common_agenda",
        reason="Meet less, act more",
        agenda_field="meeting_rhythm",
        agenda_text="Monthly, plus a pause every eight weeks",
    )
    draft = AgendaVersion.objects.get(coalition=world.coalition, status="draft")
    assert draft.meeting_rhythm == "Monthly, plus a pause every eight weeks"
    assert adaptation.before == {"meeting_rhythm": ""}
    assert AuditEvent.objects.filter(verb="agenda.draft_created").exists()


def test_another_coalitions_target_is_refused(world: Any) -> None:
    foreign = action_builders.action(world.other)
    with pytest.raises(ValidationError):
        actions.do_adapt(
            builders.hub_access(world.coalition),
            builders.pause(world.coalition),
            kind="action_dates",
            reason="x",
            action=foreign,
            due_on=TODAY,
        )


def test_the_evidence_snapshot_does_not_move_when_data_changes(world: Any) -> None:
    indicator = measurement_builders.make_indicator(world.coalition, "Children reading")
    overdue = action_builders.action(
        world.coalition, starts_on=TODAY - dt.timedelta(days=20), due_on=TODAY - dt.timedelta(days=5)
    )
    pause = builders.pause(world.coalition)
    frozen = Pause.objects.get(pk=pause.pk).evidence
    # hand-computed: one action came due and is not done
    assert frozen["follow_through"] == {
        "label": "Follow-through on actions",
        "due": 1,
        "on_time": 0,
        "late": 0,
        "overdue": 1,
        "percent": 0,
    }
    assert [r["indicator"] for r in frozen["scorecard"]["rows"]] == ["Children reading"]
    # later changes
    from coalition.joint_action.actions import do_update_action
    from coalition.measurement.actions import do_save_indicator

    do_update_action(world.hub, overdue, status="done", completed_on=TODAY)
    do_save_indicator(builders.hub_access(world.coalition), indicator=indicator, name="Pupils reading")
    action_builders.action(world.coalition, starts_on=TODAY - dt.timedelta(days=9), due_on=TODAY - dt.timedelta(days=2))
    assert Pause.objects.get(pk=pause.pk).evidence == frozen
    # while a pause held now sees the new state
    later = builders.pause(world.coalition).evidence
    assert later["follow_through"]["late"] == 1 and later["follow_through"]["overdue"] == 1
    assert [r["indicator"] for r in later["scorecard"]["rows"]] == ["Pupils reading"]


def test_a_registered_section_is_frozen_too(world: Any) -> None:
    from coalition.learning import evidence

    calls = []

    def survey(coalition: Any, start: dt.date, end: dt.date) -> dict[str, Any]:
        calls.append((start, end))
        return {"responses": 12}

    evidence.register_evidence("test_survey", "Survey results", survey)
    try:
        pause = builders.pause(world.coalition, period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 2, 1))
    finally:
        evidence._REGISTRY.pop("test_survey")
    assert pause.evidence["test_survey"] == {"label": "Survey results", "responses": 12}
    assert calls == [(dt.date(2026, 1, 1), dt.date(2026, 2, 1))]


def test_next_pause_due_counts_from_the_last_pause(world: Any) -> None:
    world.coalition.starts_on = dt.date(2026, 1, 5)
    world.coalition.save()
    assert queries.next_pause_due(world.coalition) == dt.date(2026, 3, 2)  # 8 weeks after 5 January
    actions.do_save_settings(world.hub, world.coalition, interval_weeks=6)
    assert queries.next_pause_due(world.coalition) == dt.date(2026, 2, 16)
    builders.pause(world.coalition, held_on=dt.date(2026, 2, 20))
    assert queries.next_pause_due(world.coalition) == dt.date(2026, 4, 3)


def test_interval_is_bounded(world: Any) -> None:
    with pytest.raises(ValidationError):
        actions.do_save_settings(world.hub, world.coalition, interval_weeks=0)


# -------------------------------------------------------------------------------------- stories and consent


def test_withdrawing_consent_removes_the_story_from_every_wider_reading(world: Any) -> None:
    story = builders.story(world.coalition)
    builders.selection_round(world.coalition)  # picks a second story
    picked_story = builders.story(world.coalition, title="Second")
    chosen = actions.do_record_selection(
        world.hub,
        world.coalition,
        title="Autumn",
        held_on=TODAY,
        panel="Panel",
        picks=[(picked_story.domain, picked_story, "Most change")],
    )
    assert story in queries.stories(world.coalition, "public")
    assert chosen.selections.get().story in [s.story for s in queries.selections(world.coalition, "public")]
    actions.do_set_consent(world.hub, picked_story, consent_internal=True, consent_public=False, consent_named=True)
    assert picked_story not in queries.stories(world.coalition, "public")
    assert picked_story in queries.stories(world.coalition, "internal")
    assert picked_story.pk not in [s.story_id for s in queries.selections(world.coalition, "public")]
    actions.do_set_consent(world.hub, picked_story, consent_internal=False, consent_public=True, consent_named=True)
    assert picked_story not in queries.stories(world.coalition, "internal")
    assert picked_story.pk not in [s.story_id for s in queries.selections(world.coalition, "internal")]
    refreshed = type(picked_story).objects.get(pk=picked_story.pk)
    assert refreshed.consent_public is False  # public needs internal consent first


def test_anonymous_stories_hide_the_name(world: Any) -> None:
    story = builders.story(world.coalition, consent_named=False)
    assert story.shown_name == "Anonymous"


def test_a_selection_needs_a_reason_and_one_story_per_domain(world: Any) -> None:
    a = builders.story(world.coalition)
    b = builders.story(world.coalition, title="Other")
    with pytest.raises(ValidationError):
        actions.do_record_selection(
            world.hub, world.coalition, title="R", held_on=TODAY, panel="P", picks=[(a.domain, a, "  ")]
        )
    with pytest.raises(ValidationError):
        actions.do_record_selection(
            world.hub,
            world.coalition,
            title="R",
            held_on=TODAY,
            panel="P",
            picks=[(a.domain, a, "x"), (b.domain, b, "y")],
        )
    other_domain = builders.domain(world.coalition, "Parents' involvement")
    with pytest.raises(ValidationError):
        actions.do_record_selection(
            world.hub, world.coalition, title="R", held_on=TODAY, panel="P", picks=[(other_domain, a, "x")]
        )


# ----------------------------------------------------------------------------------------------- outcomes


def test_outcomes_filter_by_priority_indicator_and_text(world: Any) -> None:
    priority = make_priority(world.coalition, "Reading")
    indicator = measurement_builders.make_indicator(world.coalition, "Library visits")
    first = builders.outcome(world.coalition, priorities=[priority])
    second = builders.outcome(
        world.coalition,
        social_actor="Parents' association",
        indicators=[indicator],
        description="Parents now run the Saturday club.",
    )
    assert list(queries.outcomes(world.coalition, queries.OutcomeFilter(priority=priority.pk))) == [first]
    assert list(queries.outcomes(world.coalition, queries.OutcomeFilter(indicator=indicator.pk))) == [second]
    assert list(queries.outcomes(world.coalition, queries.OutcomeFilter(q="saturday club"))) == [second]
    assert AuditEvent.objects.filter(verb="learning.outcome_recorded").count() == 2


def test_an_outcome_cannot_be_in_the_future(world: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        builders.outcome(world.coalition, happened_on=TODAY + dt.timedelta(days=1))
    assert "happened_on" in refused.value.message_dict
