"""The demo coalition's listening: a year of residents' and members' feedback in every state (new, being looked at,
answered, closed, some on "You said, we did"), and three member survey rounds whose results rise round after round
(answers given online by the members, and collected offline for the rest)."""

from __future__ import annotations

import datetime as dt

from coalition.feedback import actions
from coalition.feedback import xlsform as offline
from coalition.feedback.models import Channel, SurveyRound
from coalition.stakeholders.demo_context import DemoContext

FEEDBACK = (
    ("safety", "The underpass by the station has had no light for weeks.", "Walking route lit again", "The city replaced the lamps after the coalition wrote to them."),
    ("services", "The homework club is full and my son is on a waiting list.", "Homework club too full", "A second club opened on Thursdays at the parish hall."),
    ("environment", "Rubbish piles up behind the flats on Mill Lane.", "Bins overflowing on Mill Lane", "The tenants' association and the council agreed a weekly pickup."),
    ("coalition", "Meetings are always in the afternoon when I work.", "Meetings only during working hours", "Every other meeting now takes place in the evening."),
    ("health", "It is hard to find out where the free clinic days are.", "Clinic days hard to find", "Clinic days are now on the library noticeboard and the website."),
    ("idea", "Could older residents read with the children at the clubs?", "Older residents could read with children", "A grandparents' reading hour started in the spring."),
    ("services", "The youth centre closes too early on Fridays.", "", ""),
    ("other", "Thank you for the summer programme, it was great.", "", ""),
    ("safety", "Cars drive too fast near the school gate.", "", ""),
    ("environment", "The playground fence is broken.", "", ""),
)  # fmt: skip
ROUNDS = (
    ("Member survey — spring", 120, (2, 3, 3, 3, 4)),
    ("Member survey — summer", 210, (3, 3, 4, 4, 4)),
    ("Member survey — autumn", 300, (3, 4, 4, 5, 5)),
)


def _feedback(ctx: DemoContext) -> None:
    for number in range(36):  # about three a month over a year
        topic, text, summary, changed = FEEDBACK[number % len(FEEDBACK)]
        received = ctx.today - dt.timedelta(days=360 - number * 10)
        channel = (Channel.PUBLIC_FORM, Channel.PHONE, Channel.IN_PERSON, Channel.MEMBER)[number % 4]
        item, _code = actions.do_submit_feedback(
            ctx.coalition,
            channel=channel,
            topic=topic,
            text=text,
            received_on=received,
            author=ctx.member if channel == Channel.MEMBER and number % 8 == 3 else None,
        )
        age = (ctx.today - received).days
        if age < 12:
            continue  # the newest stay new
        actions.do_triage_feedback(ctx.hub, item, topic=topic, urgency=("normal", "high", "low")[number % 3])
        if age < 25:
            continue
        answer_days = 2 + ctx.rng.randint(0, 8) + (6 if number < 12 else 0)  # answers come faster over the year
        actions.do_answer_feedback(
            ctx.hub,
            item,
            answer="Thank you. We have passed this to the working group and will report back.",
            today=received + dt.timedelta(days=answer_days),
        )
        if not changed or age < 45:
            continue
        actions.do_close_feedback(
            ctx.hub,
            item,
            what_changed=changed,
            on_public_page=number % 2 == 0,
            public_summary=summary,
            today=min(ctx.today, received + dt.timedelta(days=answer_days + 14 + ctx.rng.randint(0, 20))),
        )


def _round(ctx: DemoContext, title: str, closes_in: int, scores: tuple[int, ...]) -> SurveyRound:
    closes = ctx.today - dt.timedelta(days=360 - closes_in)
    survey = actions.do_create_round(
        ctx.hub, ctx.coalition, title=title, opens_on=closes - dt.timedelta(days=21), closes_on=closes
    )
    actions.do_open_round(ctx.hub, survey)
    keys = (
        "satisfaction",
        "likely_to_stay",
        "perceived_progress",
        "well_managed",
        "trust_members",
        "trust_hub",
        "value_received",
    )
    for membership in actions.respondents(ctx.coalition):
        answers: dict[str, object] = {key: ctx.rng.choice(scores) for key in keys}
        answers["value_kinds"] = ctx.rng.sample(["learning", "networking", "influence", "funding", "data"], 2)
        answers["comment"] = ""
        actions.do_answer_survey(membership, survey, answers)
    header = ",".join((*keys, "value_kinds", "comment", "role", "meta/instanceID"))
    lines = [header]
    for number in range(8):  # answers collected on paper at a members' fair
        cells = [str(ctx.rng.choice(scores)) for _key in keys]
        lines.append(",".join((*cells, "learning networking", "", "member", f"uuid:{survey.pk}-{number}")))
    offline.do_import_responses(ctx.hub, survey, ("\n".join(lines) + "\n").encode())
    actions.do_close_round(ctx.hub, survey)
    return survey


def seed(ctx: DemoContext) -> None:
    _feedback(ctx)
    for title, closes_in, scores in ROUNDS:
        _round(ctx, title, closes_in, scores)
