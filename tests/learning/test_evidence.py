"""Listening's evidence in a learning pause: survey results (closed rounds of the period, only past the minimum of
answers, never free text) and the feedback summary (counts by topic and channel, median days; no text, nobody's
details), frozen on the day, shown on the pause page and in the brief. Every expectation is worked out by hand."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

from django.urls import reverse
from pypdf import PdfReader

from coalition.coalitions.models import Coalition
from coalition.feedback import actions as feedback_actions
from coalition.feedback.models import SurveyRound
from tests.feedback import builders as feedback_builders
from tests.learning import builders

MARCH, APRIL_END = dt.date(2026, 3, 1), dt.date(2026, 4, 30)


def _closed_round(
    coalition: Coalition, title: str, closes_on: dt.date, scores: list[int], comment: str = ""
) -> SurveyRound:
    survey = feedback_builders.survey(
        coalition, title=title, opens_on=closes_on - dt.timedelta(days=14), closes_on=closes_on, opened=True
    )
    for member, score in zip(feedback_builders.members(coalition, len(scores)), scores, strict=True):
        feedback_actions.do_answer_survey(member, survey, {"satisfaction": str(score), "comment": comment})
    return feedback_actions.do_close_round(None, survey)


def test_survey_results_keep_only_closed_rounds_past_the_minimum_and_no_free_text(world: Any) -> None:
    _closed_round(world.coalition, "March round", dt.date(2026, 3, 24), [5, 4, 4, 3, 2], comment="Secret remark")
    _closed_round(world.coalition, "April round", dt.date(2026, 4, 15), [1, 1, 2], comment="Another remark")
    _closed_round(world.coalition, "June round", dt.date(2026, 6, 15), [3, 3, 3, 3, 3])
    feedback_builders.survey(world.coalition, title="Still open", closes_on=dt.date(2026, 4, 20), opened=True)

    pause = builders.pause(world.coalition, period_start=MARCH, period_end=APRIL_END)

    section = pause.evidence["survey_results"]
    # newest first; the April round had 3 answers (< 5): its title only, no count, no figure
    april, march = section["rounds"]
    assert april == {"title": "April round", "closed_on": "2026-04-15", "shown": False}
    assert section["minimum"] == 5
    assert (march["title"], march["closed_on"], march["shown"], march["responses"]) == (
        "March round",
        "2026-03-24",
        True,
        5,
    )
    (satisfaction,) = march["questions"]  # the free-text question is left out
    # (5 + 4 + 4 + 3 + 2) / 5 = 3.60; one 2, one 3, two 4s, one 5
    assert satisfaction["answers"] == 5 and satisfaction["mean"] == "3.60"
    assert [count for _label, count in satisfaction["distribution"]] == [0, 1, 1, 2, 1]
    frozen = json.dumps(pause.evidence)
    assert "remark" not in frozen and "June round" not in frozen and "Still open" not in frozen


def test_a_round_below_the_minimum_leaves_nothing_but_its_title_in_the_snapshot(world: Any) -> None:
    _closed_round(world.coalition, "Small round", dt.date(2026, 3, 24), [5, 5, 5, 5], comment="Only four of us")
    pause = builders.pause(world.coalition, period_start=MARCH, period_end=APRIL_END)
    assert pause.evidence["survey_results"]["rounds"] == [
        {"title": "Small round", "closed_on": "2026-03-24", "shown": False}
    ]
    frozen = json.dumps(pause.evidence)
    assert "Only four" not in frozen and "5.00" not in frozen
    page = world.client_for(world.hub).get(reverse("learning:pause", args=[world.coalition.pk, pause.pk]))
    assert "Fewer than 5 answers: no results are shown." in page.content.decode()


def _feedback(coalition: Coalition, topic: str, channel: str, received: str, answered: str = "", closed: str = "") -> Any:
    item = feedback_builders.feedback(
        coalition,
        text=f"Private words about {topic}",
        topic=topic,
        channel=channel,
        received_on=dt.date.fromisoformat(received),
        may_contact=True,
        contact_email="resident@example.org",
        contact_name="Rosa Resident",
    )
    if answered:
        feedback_actions.do_answer_feedback(None, item, answer="Thanks", today=dt.date.fromisoformat(answered))
    if closed:
        feedback_actions.do_close_feedback(None, item, what_changed="Done", today=dt.date.fromisoformat(closed))
    return item


def test_the_feedback_summary_counts_each_step_in_the_period_with_median_days(world: Any) -> None:
    c = world.coalition
    _feedback(c, "safety", "public_form", "2026-03-02", "2026-03-04", "2026-03-10")  # 2 days, 8 days
    _feedback(c, "safety", "phone", "2026-03-05", "2026-03-11")  # 6 days, open
    _feedback(c, "health", "public_form", "2026-03-20")  # not answered
    _feedback(c, "idea", "member", "2026-02-20", "2026-03-01", "2026-03-05")  # came before: 9 days, 13 days
    _feedback(c, "health", "public_form", "2026-04-02")  # after the period
    _feedback(c, "safety", "public_form", "2026-02-01", "2026-02-03", "2026-02-10")  # all before

    pause = builders.pause(c, period_start=MARCH, period_end=dt.date(2026, 3, 31))

    assert pause.evidence["feedback_summary"] == {
        "label": "Feedback heard and answered",
        "received": 3,
        "answered": 3,
        "closed": 2,
        "median_days_to_answer": 6.0,  # of 2, 6, 9
        "median_days_to_close": 10.5,  # of 8, 13
        "by_topic": [
            {"name": "Health and wellbeing", "received": 1, "answered": 0, "closed": 0},
            {"name": "An idea or a suggestion", "received": 0, "answered": 1, "closed": 1},
            {"name": "Safety", "received": 2, "answered": 2, "closed": 1},
        ],
        "by_channel": [
            {"name": "Member (signed in)", "received": 0, "answered": 1, "closed": 1},
            {"name": "Phone call", "received": 1, "answered": 1, "closed": 0},
            {"name": "Public form", "received": 2, "answered": 1, "closed": 1},
        ],
    }
    frozen = json.dumps(pause.evidence)
    assert "Private words" not in frozen and "resident@example.org" not in frozen and "Rosa" not in frozen


def test_listening_evidence_does_not_move_and_shows_on_the_page_and_in_the_brief(world: Any) -> None:
    _closed_round(world.coalition, "March round", dt.date(2026, 3, 24), [5, 4, 4, 3, 2])
    item = _feedback(world.coalition, "safety", "public_form", "2026-03-02", "2026-03-04")
    pause = builders.pause(world.coalition, period_start=MARCH, period_end=APRIL_END)
    frozen = pause.evidence
    feedback_actions.do_close_feedback(None, item, what_changed="Lights fixed", today=dt.date(2026, 3, 20))
    _feedback(world.coalition, "health", "phone", "2026-04-10")
    pause.refresh_from_db()
    assert pause.evidence == frozen and frozen["feedback_summary"]["closed"] == 0

    client = world.client_for(world.member)
    page = client.get(reverse("learning:pause", args=[world.coalition.pk, pause.pk])).content.decode()
    assert "Member survey results" in page and "3.60" in page
    assert "Feedback in the period: 1 came in, 1 answered, 0 closed." in page
    assert "Median days to a first answer: 2.0." in page
    brief = client.get(reverse("learning:brief", args=[world.coalition.pk, pause.pk]))
    text = PdfReader(io.BytesIO(brief.content)).pages[0].extract_text().replace("\n", " ")
    assert "What we heard" in text and "3.60" in text
    assert "Feedback: 1 came in, 1 answered, 0 closed." in text
