"""The demo coalition's learning: four pauses over the year, each agreeing adaptations (together every kind),
three story domains with stories under different consents and a selection round, and a dozen outcomes.
Everything goes through the actions; evidence is frozen from the demo data of the apps seeded before."""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from coalition.coalitions.access import get_access
from coalition.joint_action.models import Action
from coalition.learning import actions
from coalition.measurement.models import Target
from coalition.meetings.models import MeetingSeries
from coalition.planning.models import Priority
from coalition.stakeholders.demo_context import DemoContext

PAUSES = (
    (
        330,
        "More children at the clubs than planned",
        "Attendance dropped in exam weeks",
        "Exam timetables were not in our plan",
        "Saturday sessions",
        "Plan around school exams",
    ),
    (
        240,
        "Volunteers on every safe route",
        "Two routes had no volunteers in winter",
        "Dark evenings put volunteers off",
        "Pairs of volunteers",
        "Recruit through the tenants' association",
    ),
    (
        150,
        "All members report each quarter",
        "Three members missed the spring report",
        "The template was new to them",
        "The shared template",
        "Help new members with their first report",
    ),
    (
        60,
        "A joint summer programme",
        "The programme reached twice the families expected",
        "Parents told each other",
        "Word of mouth",
        "Meet less often, act more",
    ),
)
DOMAINS = (
    ("Children's confidence", "Changes in how children see themselves and speak up."),
    ("Families taking part", "Parents and carers getting involved."),
    ("How organisations work together", "Members sharing rooms, staff and plans."),
)
STORIES = (
    (0, "A quiet boy reads aloud", "He had never spoken in the group; after three months he read a page to everyone.", "Youth worker, library", True, True, False),
    (0, "Homework without tears", "A girl who hated homework now comes early to the club to finish it.", "Her mother", True, False, False),
    (0, "Captain of the reading team", "A child chosen as team captain now helps younger readers.", "Club volunteer", True, True, True),
    (1, "Parents run the Saturday club", "Three parents now open the Saturday club themselves.", "Tenants' association", True, True, True),
    (1, "A father joins the walking bus", "A father who never came to school events now walks a route every week.", "School office", True, False, False),
    (2, "One room, three organisations", "The parish hall is now booked jointly; no more double bookings.", "Parish hall manager", True, True, True),
    (2, "Shared volunteer list", "Two members merged their volunteer lists and cover each other's gaps.", "Volunteer coordinator", True, False, True),
    (2, "A story withdrawn later", "The storyteller asked us not to use this any more.", "Former volunteer", False, False, False),
)  # fmt: skip
OUTCOMES = (
    ("The city library opens on Saturday mornings.", "City library", 300, "Library", "More hours for children to read.", "Members showed the library the waiting lists."),
    ("The primary school shares its exam timetable with the clubs.", "Eastgate Primary", 280, "Eastgate", "Clubs plan around exams.", "Raised at the first learning pause."),
    ("The tenants' association recruits route volunteers.", "Tenants' association", 220, "North estate", "Routes stay covered in winter.", "The hub asked them after the second pause."),
    ("The bus company moves a stop closer to the youth centre.", "Bus company", 200, "Eastgate", "Safer walk home.", "Members collected parents' signatures."),
    ("Parents run the Saturday club.", "Parents of club children", 170, "South", "The club is sustained by families.", "Volunteer training by two members."),
    ("The council funds a second reading club.", "City council", 160, "Eastgate South", "More places for children.", "Figures from the shared indicators."),
    ("A local business donates books every term.", "Corner bookshop", 140, "High street", "New books keep children coming.", "A member introduced the owner."),
    ("The health centre refers families to the clubs.", "Health centre", 120, "Eastgate", "Families who need it most hear about us.", "Outreach leaflets and a visit."),
    ("The school opens its hall on Thursdays.", "Eastgate Secondary", 100, "Eastgate", "Room shortage solved in the south.", "Agreed at a coordination meeting."),
    ("Two members share one volunteer list.", "Youth centre and library", 80, "", "Fewer gaps in the rota.", "The hub brokered it."),
    ("The parish holds its hall for joint bookings.", "Parish", 50, "Church lane", "No more double bookings.", "Members asked together."),
    ("Teenagers start a homework help session for younger children.", "Older club members", 20, "Youth centre", "Young people take a lead.", "Mentoring by a member."),
)  # fmt: skip


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(18, 0), tzinfo=timezone.get_current_timezone())


def _adapt(access: Any, pause: Any, day: dt.date, **fields: Any) -> None:
    # the demo's other data can make one change impossible; the rest still tell the story
    with contextlib.suppress(ValidationError):
        actions.do_adapt(access, pause, applied_at=_at(day), **fields)


def _adaptations(ctx: DemoContext, access: Any, pauses: list[Any]) -> None:
    open_actions = list(
        Action.objects.filter(coalition=ctx.coalition, status__in=["planned", "under_way"]).order_by("due_on", "pk")
    )
    if open_actions:
        first = open_actions[0]
        _adapt(
            access,
            pauses[0],
            pauses[0].held_on,
            kind="action_dates",
            action=first,
            reason="Exams fall in the same weeks.",
            resources="No extra cost; the rooms are free later.",
            due_on=first.due_on + dt.timedelta(days=21),
        )
    if len(open_actions) > 1:
        planned = [a for a in open_actions[1:] if a.status == "planned"]
        if planned and planned[0].starts_on <= ctx.today:
            _adapt(
                access,
                pauses[1],
                pauses[1].held_on,
                kind="action_status",
                action=planned[0],
                reason="Volunteers found; work starts now.",
                status="under_way",
            )
        other_leads = [o for o in ctx.member_organisations if o.pk != open_actions[-1].lead_id]
        if other_leads:
            _adapt(
                access,
                pauses[1],
                pauses[1].held_on,
                kind="action_lead",
                action=open_actions[-1],
                reason="The new lead has staff time for it.",
                lead=other_leads[0],
            )
    target = Target.objects.filter(indicator__coalition=ctx.coalition).order_by("-period_start", "pk").first()
    if target is not None:
        _adapt(
            access,
            pauses[2],
            pauses[2].held_on,
            kind="indicator_target",
            indicator=target.indicator,
            reason="The first year showed the target was out of reach.",
            period_start=target.period_start,
            target=(target.value * Decimal("0.9")).quantize(Decimal("0.01")),
        )
    series = MeetingSeries.objects.filter(coalition=ctx.coalition, is_archived=False, frequency="biweekly").first()
    if series is not None:
        _adapt(
            access,
            pauses[3],
            pauses[3].held_on,
            kind="meeting_rhythm",
            series=series,
            reason="Meet less, act more.",
            frequency="monthly",
            weekday=series.weekday,
            week_of_month=1,
        )
    priority = Priority.objects.filter(coalition=ctx.coalition, status="proposed").first()
    if priority is not None:
        _adapt(
            access,
            pauses[2],
            pauses[2].held_on,
            kind="priority",
            priority=priority,
            reason="Another network took this on.",
            priority_status="set_aside",
        )
    _adapt(
        access,
        pauses[3],
        pauses[3].held_on,
        kind="common_agenda",
        agenda_field="meeting_rhythm",
        agenda_text="Monthly coordination meetings; a learning pause every eight weeks.",
        reason="Members asked for fewer, better meetings.",
    )


def seed(ctx: DemoContext) -> None:
    access = get_access(ctx.hub, ctx.coalition.pk)
    members = list(ctx.coalition.memberships.filter(is_active=True).order_by("pk")[:6])
    pauses = []
    previous = ctx.today - dt.timedelta(days=390)
    for days_ago, expected, happened, why, keep, change in PAUSES:
        held = ctx.today - dt.timedelta(days=days_ago)
        pauses.append(
            actions.do_hold_pause(
                ctx.hub,
                ctx.coalition,
                period_start=previous + dt.timedelta(days=1),
                period_end=held,
                held_on=held,
                participants=members,
                expected=expected,
                happened=happened,
                why_different=why,
                keep=keep,
                change=change,
            )
        )
        previous = held
    _adaptations(ctx, access, pauses)
    actions.do_share_brief(ctx.hub, pauses[-1])

    domains = [actions.do_save_domain(ctx.hub, ctx.coalition, name=n, description=d) for n, d in DOMAINS]
    stories = []
    for n, (domain, title, text, teller, internal, public, named) in enumerate(STORIES):
        stories.append(
            actions.do_submit_story(
                ctx.member if n % 2 else ctx.hub,
                ctx.coalition,
                domain=domains[domain],
                title=title,
                text=text,
                storyteller=teller,
                told_on=ctx.today - dt.timedelta(days=200 - n * 15),
                consent_internal=True,
                consent_public=public,
                consent_named=named,
            )
        )
        if not internal:
            actions.do_set_consent(
                ctx.hub, stories[-1], consent_internal=False, consent_public=False, consent_named=False
            )
    actions.do_record_selection(
        ctx.hub,
        ctx.coalition,
        title="Autumn selection",
        held_on=ctx.today - dt.timedelta(days=40),
        panel="Two parents, a youth worker, a librarian and a club member",
        picks=[
            (domains[0], stories[0], "The change came from the child himself and others saw it."),
            (domains[1], stories[3], "Parents moved from using the club to running it."),
            (domains[2], stories[5], "It shows members working as one, not side by side."),
        ],
    )

    priorities = list(Priority.objects.filter(coalition=ctx.coalition, status="chosen"))
    indicators = list(ctx.coalition.indicators.filter(is_archived=False)[:3])
    for n, (what, actor, days_ago, place, why, how) in enumerate(OUTCOMES):
        actions.do_save_outcome(
            ctx.hub,
            ctx.coalition,
            description=what,
            social_actor=actor,
            happened_on=ctx.today - dt.timedelta(days=days_ago),
            place=place,
            significance=why,
            contribution=how,
            sources="Meeting minutes; member reports",
            substantiated_by="Hub coordinator" if n % 3 else "",
            substantiation="Confirmed by phone with the organisation." if n % 3 else "",
            priorities=priorities[n % len(priorities) :][:1] if priorities else [],
            indicators=indicators[n % len(indicators) :][:1] if indicators else [],
        )
