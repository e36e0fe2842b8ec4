"""Learning pages: what each persona sees and may do, the brief (one page, revocable link), consent in every
wider view and export, outcome filters and exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from coalition.joint_action.models import Action
from coalition.learning import actions
from coalition.learning.models import Adaptation, Pause
from coalition.notifications.seats import seats_of
from coalition.notifications.todos import collect
from tests.joint_action import builders as action_builders
from tests.learning import builders
from tests.planning.factories import make_priority

TODAY = timezone.localdate()


def _url(name: str, world: Any, *args: Any) -> str:
    return reverse(f"learning:{name}", args=[world.coalition.pk, *args])


def test_the_hub_holds_a_pause_from_the_evidence_page(world: Any) -> None:
    action_builders.action(world.coalition, starts_on=TODAY - dt.timedelta(days=9), due_on=TODAY - dt.timedelta(days=3))
    client = world.client_for(world.hub)
    page = client.get(_url("pause_new", world))
    assert page.status_code == 200
    assert "Follow-through on actions" in page.content.decode()
    response = client.post(
        _url("pause_new", world),
        {
            "period_start": (TODAY - dt.timedelta(weeks=8)).isoformat(),
            "period_end": TODAY.isoformat(),
            "happened": "Attendance fell in exam weeks.",
            "keep": "Saturday sessions",
        },
    )
    assert response.status_code == 302
    pause = Pause.objects.get(coalition=world.coalition)
    assert (pause.period_start, pause.period_end) == (TODAY - dt.timedelta(weeks=8), TODAY)
    assert pause.evidence["follow_through"]["overdue"] == 1
    assert "Attendance fell" in client.get(_url("pause", world, pause.pk)).content.decode()


def test_a_period_ending_before_it_starts_shows_on_the_field(world: Any) -> None:
    response = world.client_for(world.hub).post(
        _url("pause_new", world), {"period_start": "2026-03-01", "period_end": "2026-02-01"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["period_end"]


def test_agreeing_an_adaptation_moves_the_due_date_and_shows_in_the_log(world: Any) -> None:
    action = action_builders.action(world.coalition, starts_on=dt.date(2026, 3, 1), due_on=dt.date(2026, 3, 31))
    pause = builders.pause(world.coalition)
    client = world.client_for(world.hub)
    response = client.post(
        _url("adapt", world, pause.pk),
        {"kind": "action_dates", "reason": "Exams in March", "action": action.pk, "due_on": "2026-05-15"},
    )
    assert response.status_code == 302
    assert Action.objects.get(pk=action.pk).due_on == dt.date(2026, 5, 15)
    log = client.get(_url("log", world)).content.decode()
    assert "2026-03-31" in log and "2026-05-15" in log and "Exams in March" in log


def test_an_adaptation_missing_its_target_shows_on_the_field(world: Any) -> None:
    pause = builders.pause(world.coalition)
    response = world.client_for(world.hub).post(
        _url("adapt", world, pause.pk), {"kind": "priority", "reason": "r", "priority_status": "chosen"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["priority"]
    assert not Adaptation.objects.exists()


def test_a_member_reads_pauses_but_cannot_adapt(world: Any) -> None:
    pause = builders.pause(world.coalition)
    client = world.client_for(world.member)
    assert client.get(_url("pause", world, pause.pk)).status_code == 200
    assert client.post(_url("adapt", world, pause.pk), {"kind": "priority", "reason": "x"}).status_code == 403


def test_the_brief_is_one_page_even_with_long_texts(world: Any) -> None:
    pause = builders.pause(world.coalition, happened="Long. " * 400, why_different="Because " * 300)
    priority = make_priority(world.coalition, "Safe routes", status="chosen")
    access = builders.hub_access(world.coalition)
    for n in range(12):
        actions.do_adapt(
            access,
            pause,
            kind="priority",
            reason=f"Reason {n} " * 20,
            priority=priority,
            priority_status="set_aside" if n % 2 == 0 else "chosen",
        )
    response = world.client_for(world.member).get(_url("brief", world, pause.pk))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    assert "Safe" in reader.pages[0].extract_text()


def test_the_shared_link_works_until_revoked(world: Any) -> None:
    pause = builders.pause(world.coalition)
    hub = world.client_for(world.hub)
    hub.post(_url("brief_share", world, pause.pk), {"share": "1"})
    token = Pause.objects.get(pk=pause.pk).share_token
    assert len(token) >= 16
    anonymous = world.client_for(None)
    link = reverse("learning_brief:brief", kwargs={"token": token})
    assert anonymous.get(link).status_code == 200
    hub.post(_url("brief_share", world, pause.pk), {"revoke": "1"})
    assert anonymous.get(link).status_code == 404
    assert anonymous.get(reverse("learning_brief:brief", kwargs={"token": "x" * 32})).status_code == 404


def test_withdrawn_consent_leaves_the_list_the_story_page_the_round_and_the_export(world: Any) -> None:
    selection_round = builders.selection_round(world.coalition)
    story = selection_round.selections.get().story
    client = world.client_for(world.member)
    assert story.title in client.get(_url("stories", world)).content.decode()
    assert story.title in client.get(_url("round", world, selection_round.pk)).content.decode()
    assert story.title in client.get(_url("story_export", world)).content.decode("utf-8-sig")
    hub = world.client_for(world.hub)
    response = hub.post(_url("story", world, story.pk), {"save": "1"})  # every consent box unticked
    assert response.status_code == 302
    assert story.title not in client.get(_url("stories", world)).content.decode()
    assert client.get(_url("story", world, story.pk)).status_code == 404
    assert story.title not in client.get(_url("round", world, selection_round.pk)).content.decode()
    assert story.title not in client.get(_url("story_export", world)).content.decode("utf-8-sig")


def test_anonymous_storytellers_are_not_named_in_the_export(world: Any) -> None:
    builders.story(world.coalition, storyteller="Amal Rivers", consent_named=False)
    text = world.client_for(world.hub).get(_url("story_export", world)).content.decode("utf-8-sig")
    assert "Amal Rivers" not in text and "Anonymous" in text


def test_a_member_tells_a_story(world: Any) -> None:
    domain = builders.domain(world.coalition)
    response = world.client_for(world.member).post(
        _url("story_new", world),
        {
            "domain": domain.pk,
            "title": "New friends",
            "text": "She found friends.",
            "storyteller": "A parent",
            "told_on": TODAY.isoformat(),
            "consent_internal": "on",
        },
    )
    assert response.status_code == 302
    assert world.coalition.stories.get().consent_public is False


def test_outcomes_filter_and_export(world: Any) -> None:
    priority = make_priority(world.coalition, "Reading")
    builders.outcome(world.coalition, social_actor="City council", priorities=[priority])
    builders.outcome(world.coalition, social_actor="=HYPERLINK(1)", description="Parents run a club.")
    client = world.client_for(world.observer)
    page = client.get(_url("outcomes", world), {"priority": priority.pk}).content.decode()
    assert "City council" in page and "Parents run a club" not in page
    rows = list(csv.reader(io.StringIO(client.get(_url("outcome_export", world)).content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["what changed", "social actor"]
    assert len(rows) == 3
    assert {r[1] for r in rows[1:]} == {"City council", "'=HYPERLINK(1)"}
    xlsx = client.get(_url("outcome_export", world), {"format": "xlsx", "priority": priority.pk})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert len(values) == 2 and values[1][1] == "City council" and values[1][9] == "Reading"


def test_the_hub_is_told_when_a_pause_is_due(world: Any) -> None:
    world.coalition.starts_on = TODAY - dt.timedelta(weeks=9)
    world.coalition.save()
    kinds = [t.kind for t in collect(world.hub, seats_of(world.hub), TODAY)]
    assert "learning.pause" in kinds
    assert "learning.pause" not in [t.kind for t in collect(world.member, seats_of(world.member), TODAY)]
    builders.pause(world.coalition)
    assert "learning.pause" not in [t.kind for t in collect(world.hub, seats_of(world.hub), TODAY)]
