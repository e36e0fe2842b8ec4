"""Feedback and survey actions: the rules, what is stored and what is audited, with hand-written expectations."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from coalition.core.models import AuditEvent
from coalition.feedback import actions
from coalition.feedback.models import (
    Feedback,
    ListeningSettings,
    Status,
    SurveyAnswer,
    SurveyParticipation,
    SurveyResponse,
)
from coalition.notifications.models import Notification
from tests.feedback import builders
from tests.feedback.builders import DAY


def test_a_tracking_code_has_at_least_80_random_bits_and_only_its_hash_is_kept(world: Any) -> None:
    made, code = actions.do_submit_feedback(
        world.coalition, channel="public_form", topic="safety", text="Dark street", received_on=DAY
    )
    assert len(code) >= 20  # token_urlsafe: 6 bits a character, 20 characters = 120 bits
    row = Feedback.objects.get(pk=made.pk)
    assert code not in str(row.__dict__)
    assert actions.feedback_for_code(code) == row
    assert actions.feedback_for_code(code[:-1] + ("A" if code[-1] != "A" else "B")) is None
    assert actions.feedback_for_code("") is None


def test_two_submissions_get_different_codes_and_non_sequential_ids(world: Any) -> None:
    ids = [builders.feedback(world.coalition).pk for _ in range(5)]
    assert len(set(ids)) == 5
    assert ids != sorted(ids) or ids != list(range(ids[0], ids[0] + 5))
    assert all(i > 2**20 for i in ids) or len({i % 1000 for i in ids}) > 1


def test_contact_details_are_kept_only_with_consent(world: Any) -> None:
    made, _ = actions.do_submit_feedback(
        world.coalition,
        channel="public_form",
        topic="other",
        text="Hi",
        contact_email="a@example.org",
        contact_name="Ann",
        may_contact=False,
    )
    assert (made.contact_email, made.contact_name) == ("", "")
    with pytest.raises(ValidationError) as refused:
        actions.do_submit_feedback(world.coalition, channel="public_form", topic="other", text="Hi", may_contact=True)
    assert "may_contact" in refused.value.message_dict


def test_empty_or_oversized_text_is_refused(world: Any) -> None:
    for text in ("   ", "x" * 4001):
        with pytest.raises(ValidationError):
            actions.do_submit_feedback(world.coalition, channel="public_form", topic="other", text=text)
    assert not Feedback.objects.exists()


def test_anonymous_feedback_writes_no_audit_event_but_named_member_feedback_does(world: Any) -> None:
    builders.feedback(world.coalition)
    assert not AuditEvent.objects.filter(verb__startswith="feedback.").exists()
    builders.feedback(world.coalition, channel="member", author=world.member)
    assert AuditEvent.objects.filter(verb="feedback.given", actor=world.member).count() == 1


def test_the_loop_closes_triage_answer_close_with_dates_and_audit(world: Any) -> None:
    item = builders.feedback(world.coalition, contact_email="res@example.org", may_contact=True)
    member = world.coalition.memberships.get(user=world.member)
    actions.do_triage_feedback(world.hub, item, topic="environment", urgency="high", assigned_to=member)
    assert item.status == Status.TRIAGED
    actions.do_answer_feedback(world.hub, item, answer="We asked the council.", today=DAY + dt.timedelta(days=3))
    assert (item.status, item.answered_on) == (Status.ANSWERED, dt.date(2026, 3, 13))
    actions.do_answer_feedback(world.hub, item, answer="The council replied.", today=DAY + dt.timedelta(days=9))
    assert item.answered_on == dt.date(2026, 3, 13)  # the first answer's day stays
    actions.do_close_feedback(
        world.hub,
        item,
        what_changed="Lights fixed.",
        on_public_page=True,
        public_summary="Park too dark at night",
        today=DAY + dt.timedelta(days=20),
    )
    stored = Feedback.objects.get(pk=item.pk)
    assert (stored.status, stored.closed_on, stored.on_public_page) == (Status.CLOSED, dt.date(2026, 3, 30), True)
    verbs = list(AuditEvent.objects.filter(object_id=str(item.pk)).values_list("verb", flat=True).order_by("pk"))
    assert verbs == ["feedback.triaged", "feedback.answered", "feedback.answered", "feedback.closed"]
    with pytest.raises(ValidationError):
        actions.do_answer_feedback(world.hub, item, answer="More")


def test_an_answer_is_emailed_only_to_a_person_who_agreed(world: Any, django_capture_on_commit_callbacks: Any) -> None:
    silent = builders.feedback(world.coalition)
    told = builders.feedback(world.coalition, contact_email="res@example.org", may_contact=True)
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_answer_feedback(world.hub, silent, answer="Noted.")
        actions.do_answer_feedback(world.hub, told, answer="Fixed on Monday.")
    assert [m.to for m in mail.outbox] == [["res@example.org"]]
    assert "Fixed on Monday." in mail.outbox[0].body


def test_closing_needs_an_answer_first_and_a_summary_to_be_public(world: Any) -> None:
    item = builders.feedback(world.coalition)
    with pytest.raises(ValidationError):
        actions.do_close_feedback(world.hub, item, what_changed="Done")
    actions.do_answer_feedback(world.hub, item, answer="Thanks")
    with pytest.raises(ValidationError) as refused:
        actions.do_close_feedback(world.hub, item, what_changed="Done", on_public_page=True)
    assert "public_summary" in refused.value.message_dict


def test_triage_refuses_another_coalitions_member(world: Any) -> None:
    item = builders.feedback(world.coalition)
    stranger = world.other.memberships.first()
    with pytest.raises(ValidationError):
        actions.do_triage_feedback(world.hub, item, topic="safety", urgency="low", assigned_to=stranger)


def test_settings_are_made_once_with_a_random_public_key(world: Any) -> None:
    first = actions.settings_for(world.coalition)
    assert actions.settings_for(world.coalition) == first
    assert len(first.public_key) >= 12 and first.min_answers == 5
    assert ListeningSettings.objects.count() == 1


# ----------------------------------------------------------------------------------------------- surveys


def test_a_round_takes_the_bank_questions_in_order(world: Any) -> None:
    survey = builders.survey(world.coalition, keys=("trust_hub", "satisfaction"))
    assert list(survey.questions.values_list("name", flat=True)) == ["satisfaction", "trust_hub"]


def test_anonymous_answers_keep_no_membership_and_a_separate_marker(world: Any) -> None:
    survey = builders.survey(world.coalition, opened=True)
    membership = world.coalition.memberships.get(user=world.member)
    actions.do_answer_survey(membership, survey, {"satisfaction": "4", "comment": "Good"})
    response = SurveyResponse.objects.get()
    assert response.membership_id is None and response.role == "member"
    assert SurveyParticipation.objects.filter(round=survey, membership=membership).count() == 1
    assert sorted(SurveyAnswer.objects.values_list("number", flat=True), key=str) == [4, None]
    assert not AuditEvent.objects.filter(verb="survey.answered").exists()
    with pytest.raises(ValidationError):
        actions.do_answer_survey(membership, survey, {"satisfaction": "5"})
    assert SurveyResponse.objects.count() == 1


def test_named_answers_keep_the_member(world: Any) -> None:
    survey = builders.survey(world.coalition, anonymous=False, opened=True)
    membership = world.coalition.memberships.get(user=world.member)
    actions.do_answer_survey(membership, survey, {"satisfaction": "2"})
    assert SurveyResponse.objects.get().membership == membership


@pytest.mark.parametrize("value", ["0", "6", "", "x", None, "3.5"])
def test_a_scale_answer_is_a_whole_number_from_1_to_5(world: Any, value: Any) -> None:
    survey = builders.survey(world.coalition, opened=True)
    membership = world.coalition.memberships.get(user=world.member)
    with pytest.raises(ValidationError) as refused:
        actions.do_answer_survey(membership, survey, {"satisfaction": value})
    assert list(refused.value.message_dict) == ["satisfaction"]
    assert not SurveyParticipation.objects.exists()


def test_custom_questions_only_while_draft_with_valid_choices(world: Any) -> None:
    survey = builders.survey(world.coalition)
    question = actions.do_add_question(
        world.hub, survey, text="Which meeting time?", kind="single", choices=["Morning", "Evening"]
    )
    assert question.choices == [["c1", "Morning"], ["c2", "Evening"]]
    with pytest.raises(ValidationError):
        actions.do_add_question(world.hub, survey, text="Pick", kind="multiple", choices=["Only one"])
    actions.do_open_round(world.hub, survey)
    with pytest.raises(ValidationError):
        actions.do_add_question(world.hub, survey, text="Late", kind="text")


def test_opening_tells_members_and_the_reminder_skips_who_answered(world: Any) -> None:
    survey = builders.survey(world.coalition, opened=True)
    told = set(Notification.objects.filter(event_type="feedback.round_opened").values_list("recipient_id", flat=True))
    assert world.member.pk in told and world.observer.pk not in told
    actions.do_answer_survey(world.coalition.memberships.get(user=world.member), survey, {"satisfaction": "3"})
    assert actions.do_remind_respondents(survey.closes_on - dt.timedelta(days=4)) == 0
    actions.do_remind_respondents(survey.closes_on - dt.timedelta(days=3))
    reminded = set(
        Notification.objects.filter(event_type="feedback.round_reminder").values_list("recipient_id", flat=True)
    )
    assert world.member.pk not in reminded and world.hub.pk in reminded
    actions.do_remind_respondents(survey.closes_on - dt.timedelta(days=3))  # twice the same day: nothing new
    assert Notification.objects.filter(event_type="feedback.round_reminder").count() == len(reminded)
