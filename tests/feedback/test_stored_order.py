"""Anonymous rows are not linkable by the order they were written in. Ids are random; and the order the database
keeps them in (SQLite's rowid, PostgreSQL's heap order, which a dump follows) and, on PostgreSQL, the transaction that
wrote them (``xmin``, shared with a member's participation marker) say nothing about who answered or sent what.

Each test writes eight rows in a known order; a stored order equal to it would happen by chance once in 40,320."""

from __future__ import annotations

from typing import Any

from django.db import connection

from coalition.feedback import actions, queries
from coalition.feedback.models import SurveyAnswer, SurveyParticipation, SurveyResponse
from tests.feedback import builders

COUNT = 8
PHYSICAL = "ctid" if connection.vendor == "postgresql" else "rowid"


def _stored_ids(table: str) -> list[int]:
    """Ids in the order the table holds its rows (as a dump or an unordered read lists them)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} ORDER BY {PHYSICAL}")  # noqa: S608 - fixed names
        return [row[0] for row in cursor.fetchall()]


def _writers(table: str) -> list[int]:
    """PostgreSQL only: the transaction that wrote each row."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT xmin::text::bigint FROM {table} ORDER BY {PHYSICAL}")  # noqa: S608 - fixed names
        return [row[0] for row in cursor.fetchall()]


def test_anonymous_survey_answers_are_stored_in_no_order_and_share_no_transaction_with_their_marker(
    world: Any,
) -> None:
    survey = builders.survey(world.coalition, opened=True)
    members = builders.members(world.coalition, COUNT)
    for n, membership in enumerate(members):
        actions.do_answer_survey(membership, survey, {"satisfaction": str(1 + n % 5), "comment": f"answer {n}"})
    by_text = dict(SurveyAnswer.objects.exclude(text="").values_list("response_id", "text"))
    stored = [by_text[pk] for pk in _stored_ids("feedback_surveyresponse")]
    assert sorted(stored) == [f"answer {n}" for n in range(COUNT)]
    assert stored != [f"answer {n}" for n in range(COUNT)]
    assert [by_text[pk] for pk in sorted(by_text)] != [f"answer {n}" for n in range(COUNT)]
    # the rewrite kept every answer: (1 + 2 + 3 + 4 + 5 + 1 + 2 + 3) / 8 = 2.625 → 2.63
    aggregate, _views = queries.results(survey)
    assert aggregate.responses == COUNT and aggregate.questions["satisfaction"].mean is not None
    assert str(aggregate.questions["satisfaction"].mean) == "2.63"
    assert SurveyResponse.objects.filter(membership__isnull=False).count() == 0
    if connection.vendor == "postgresql":
        markers = _writers("feedback_surveyparticipation")
        assert SurveyParticipation.objects.count() == COUNT and len(set(markers)) == COUNT
        responses, answers = set(_writers("feedback_surveyresponse")), set(_writers("feedback_surveyanswer"))
        assert len(responses) == 1 and responses == answers  # all rewritten by the last answer's transaction
        assert not responses & set(markers)  # which no marker shares (the marker is written in its own)


def test_untriaged_anonymous_feedback_is_stored_in_no_order(world: Any) -> None:
    sent = [builders.feedback(world.coalition, text=f"note {n}").pk for n in range(COUNT)]
    assert _stored_ids("feedback_feedback") != sent
    assert sorted(sent) != sent
    if connection.vendor == "postgresql":
        assert len(set(_writers("feedback_feedback"))) == 1  # all rewritten by the last submission


def test_codes_still_read_and_the_hub_still_triages_after_the_rows_are_rewritten(world: Any) -> None:
    first, code = actions.do_submit_feedback(world.coalition, channel="public_form", topic="safety", text="first")
    for n in range(3):
        builders.feedback(world.coalition, text=f"later {n}")
    found = actions.feedback_for_code(code)
    assert found is not None and (found.pk, found.text, found.received_on) == (first.pk, "first", first.received_on)
    actions.do_triage_feedback(world.hub, found, topic="health", urgency="high")
    builders.feedback(world.coalition, text="after triage")
    assert actions.feedback_for_code(code).topic == "health"  # type: ignore[union-attr]
