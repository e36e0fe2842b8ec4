"""The demo coalition's joint action: two plans with about fifteen actions (some done on time, some late,
one dropped, two pairs overlapping on purpose), members' own activities and a partly ticked launch workplan."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from coalition.joint_action import actions
from coalition.joint_action.models import ActivityType
from coalition.planning.models import Priority
from coalition.stakeholders.demo_context import DemoContext

LIBRARY = "Eastgate Public Library"
YOUTH = "Eastgate Youth Centre"
SCHOOL = "Riverside Primary School"
PARKS = "City Parks & Recreation Department"
FAMILIES = "Families First Network"
PARISH = "St. Brigid's Parish"
TENANTS = "Eastgate Tenants' Association"
UNIVERSITY = "Northvale University School of Education"
FOUNDATION = "Harmon Family Foundation"
LYDIA = "Mrs. Lydia Okafor (block captain)"

PLANS = (
    (
        "Every child reads",
        "Reading clubs, homework help and family reading in every neighbourhood, run together so no area is "
        "left out and no two clubs compete for the same children.",
        (
            ("Run a reading club in each neighbourhood", ("read", "literacy")),
            ("Offer homework help every school day", ("homework", "learn")),
            ("Bring families in", ("famil", "parent")),
        ),
    ),
    (
        "Safe and active afternoons",
        "Sport, play and a safe way home for children between the end of school and the evening.",
        (("Sport and play after school", ("sport", "play", "active")), ("Safe routes home", ("safe", "route"))),
    ),
)

# plan, objective, title, type, place, lead, start, due (days from today), status, completed (days), reason
ACTIONS: tuple[tuple[Any, ...], ...] = (
    (0, 0, "Library reading club", "Reading club", "Eastgate Centre", LIBRARY, -120, -30, "done", -32, ""),
    (
        0,
        0,
        "Reading club in the Millbrook community flat",
        "Reading club",
        "Millbrook Estate",
        TENANTS,
        -90,
        -20,
        "done",
        -10,
        "",
    ),
    (0, 0, "Summer reading challenge", "Reading club", "Eastgate North", YOUTH, -150, -60, "done", -65, ""),
    (0, 1, "Homework help at Riverside Primary", "Homework help", "Riverside", SCHOOL, -100, 60, "under_way", None, ""),
    (
        0,
        1,
        "Homework help in the Riverside community room",
        "Homework help",
        "Riverside",
        FAMILIES,
        -30,
        45,
        "under_way",
        None,
        "",
    ),
    (
        0,
        1,
        "Homework help for Eastgate South families",
        "Homework help",
        "Eastgate South",
        FAMILIES,
        -60,
        -5,
        "under_way",
        None,
        "",
    ),
    (0, 1, "Train volunteer reading mentors", "Mentoring", "Eastgate Centre", UNIVERSITY, -80, -40, "done", -40, ""),
    (
        0,
        2,
        "Family reading evenings at the parish hall",
        "Outreach to families",
        "Eastgate North",
        PARISH,
        -40,
        20,
        "under_way",
        None,
        "",
    ),
    (
        0,
        2,
        "Book bags for newly arrived families",
        "Outreach to families",
        "Eastgate South",
        FAMILIES,
        -30,
        30,
        "dropped",
        None,
        "The New Arrivals Support Centre already hands out book bags; we joined their scheme instead.",
    ),
    (1, 0, "After-school football", "Sports", "Eastgate North", PARKS, -60, 90, "under_way", None, ""),
    (1, 0, "Basketball evenings", "Sports", "Eastgate North", YOUTH, -20, 70, "under_way", None, ""),
    (1, 0, "Holiday sports camp", "Sports", "Riverside", PARKS, 20, 35, "planned", None, ""),
    (1, 0, "Healthy snacks after school", "Meals and snacks", "Eastgate Centre", YOUTH, -100, -50, "done", -55, ""),
    (
        1,
        1,
        "Walking bus from Millbrook to Riverside Primary",
        "Safe route home",
        "Millbrook Estate",
        LYDIA,
        -45,
        -15,
        "done",
        -14,
        "",
    ),
    (
        1,
        1,
        "Safe-route information stall for parents",
        "Outreach to families",
        "Millbrook Estate",
        TENANTS,
        10,
        40,
        "planned",
        None,
        "",
    ),
)

# action title, member, amount, currency, in kind
CONTRIBUTIONS = (
    ("Library reading club", UNIVERSITY, None, "", "Six student volunteers, two afternoons a week"),
    ("Library reading club", FOUNDATION, Decimal("2500.00"), "EUR", ""),
    ("Reading club in the Millbrook community flat", LIBRARY, None, "", "Book boxes changed every month"),
    ("Homework help at Riverside Primary", FOUNDATION, Decimal("4000.00"), "EUR", ""),
    ("Homework help at Riverside Primary", UNIVERSITY, None, "", "Trainee teachers as tutors"),
    ("Train volunteer reading mentors", LIBRARY, None, "", "Training room"),
    ("Family reading evenings at the parish hall", LIBRARY, Decimal("300.00"), "EUR", "Books to borrow"),
    ("After-school football", FOUNDATION, Decimal("1500.00"), "USD", ""),
    ("After-school football", PARISH, None, "", "Changing rooms in the parish hall"),
    ("Walking bus from Millbrook to Riverside Primary", TENANTS, Decimal("120.00"), "EUR", "High-visibility vests"),
    ("Healthy snacks after school", FAMILIES, Decimal("450.00"), "EUR", ""),
)

# member, title, type, place, start, end (days from today; None = ongoing)
ACTIVITIES = (
    (LIBRARY, "Saturday story time", "Reading club", "Eastgate Centre", -365, None),
    (PARISH, "Youth choir", "Arts and crafts", "Eastgate North", -200, None),
    (PARKS, "Open gym Saturdays", "Sports", "Riverside", -100, 100),
    (FAMILIES, "Parent coffee mornings", "Outreach to families", "Eastgate South", -300, None),
    (YOUTH, "Drop-in games room", "Sports", "Eastgate Centre", -400, None),
    (SCHOOL, "Breakfast club", "Meals and snacks", "Riverside", -200, None),
    (TENANTS, "Homework corner", "Homework help", "Millbrook Estate", -50, 50),
)


def _matching_priority(priorities: list[Priority], words: tuple[str, ...]) -> Priority | None:
    """The co-design priority (seeded by the planning demo, if any) whose title mentions one of ``words``."""
    return next((p for p in priorities if any(w in p.title.casefold() for w in words)), None)


def seed(ctx: DemoContext) -> None:
    coalition, hub, today = ctx.coalition, ctx.hub, ctx.today
    users = {m.organisation.name: m.user for m in ctx.memberships if m.organisation is not None}
    orgs = ctx.stakeholders

    def day(offset: int) -> dt.date:
        return today + dt.timedelta(days=offset)

    actions.do_add_suggested_activity_types(hub, coalition)
    types = {t.name: t for t in ActivityType.objects.filter(coalition=coalition)}
    priorities = list(Priority.objects.filter(coalition=coalition).order_by("status", "title"))
    plans = []
    for title, summary, objectives in PLANS:
        plan = actions.do_save_plan(hub, coalition, title=title, summary=summary, starts_on=day(-160), ends_on=day(200))
        plans.append(
            (
                plan,
                [
                    actions.do_save_objective(hub, plan, text=text, priority=_matching_priority(priorities, words))
                    for text, words in objectives
                ],
            )
        )
    created = {}
    for plan_i, objective_i, title, kind, place, lead, start, due, status, completed, reason in ACTIONS:
        plan, objectives = plans[plan_i]
        created[title] = actions.do_create_action(
            users.get(lead, hub),
            plan,
            objective_id=objectives[objective_i].pk,
            title=title,
            activity_type_id=types[kind].pk,
            place=place,
            lead_id=orgs[lead].pk,
            starts_on=day(start),
            due_on=day(due),
            status=status,
            completed_on=None if completed is None else day(completed),
            dropped_reason=reason,
        )
    for title, member, amount, currency, in_kind in CONTRIBUTIONS:
        actions.do_set_contribution(
            users.get(member, hub), created[title], orgs[member], amount=amount, currency=currency, in_kind=in_kind
        )
    for member, title, kind, place, start, end in ACTIVITIES:
        actions.do_save_member_activity(
            users.get(member, hub),
            coalition,
            member_id=orgs[member].pk,
            title=title,
            activity_type_id=types[kind].pk,
            place=place,
            starts_on=day(start),
            ends_on=None if end is None else day(end),
        )
    workplan = actions.do_start_workplan(hub, coalition, day(-45))
    for task in workplan.tasks.order_by("due_on", "id"):
        # Everything due by two weeks ago is done except one early task, left overdue on purpose.
        if task.due_on <= day(-14) and "fiscal sponsor" not in task.title and "one-day scan" not in task.title:
            actions.do_save_task(hub, workplan, task=task, done_on=min(task.due_on, today))
