"""The demo coalition's co-design: a rapid assessment with an asset map, a problem tree, proposed
priorities ranked in a closed dot vote, agenda v1 signed by most members and a draft v2 in progress."""

from __future__ import annotations

import datetime as dt

from coalition.coalitions.access import Access, get_access
from coalition.core.permissions import Perm
from coalition.measurement.models import Indicator
from coalition.planning import actions
from coalition.planning.models import Asset, Priority
from coalition.stakeholders.demo_context import DemoContext

LIBRARY = "Eastgate Public Library"
YOUTH = "Eastgate Youth Centre"
SCHOOL = "Riverside Primary School"
PARKS = "City Parks & Recreation Department"
PARISH = "St. Brigid's Parish"
TENANTS = "Eastgate Tenants' Association"
CLINIC = "Eastgate Health Clinic"
LITERACY = "Literacy Volunteers of Eastgate"
MOSQUE = "Eastgate Mosque Community Centre"

# name, kind, owner, place, who may use it, notes
ASSETS = (
    (
        "Eastgate Public Library",
        Asset.Kind.LIBRARY,
        LIBRARY,
        "Eastgate Centre",
        "Anyone; rooms by booking",
        "Open to 19:00",
    ),
    ("Riverside Primary hall", Asset.Kind.SCHOOL, SCHOOL, "Riverside", "Members, after 15:30 by agreement", ""),
    ("Eastgate Youth Centre", Asset.Kind.COMMUNITY_CENTRE, YOUTH, "Eastgate North", "Children 8–16, free", ""),
    ("Millbrook community flat", Asset.Kind.MEETING_SPACE, TENANTS, "Millbrook Estate", "Residents and members", ""),
    ("St. Brigid's parish hall", Asset.Kind.FAITH_BUILDING, PARISH, "Eastgate North", "Free on weekdays", "Kitchen"),
    ("Mosque community room", Asset.Kind.FAITH_BUILDING, MOSQUE, "Eastgate South", "Families, by request", ""),
    ("Eastgate Health Clinic", Asset.Kind.CLINIC, CLINIC, "Eastgate Centre", "Patients; health talks", ""),
    ("Millbrook playing field", Asset.Kind.PARK, PARKS, "Millbrook Estate", "Anyone", "No floodlights"),
    ("Reading volunteers (24 people)", Asset.Kind.VOLUNTEER_GROUP, LITERACY, "Eastgate Centre", "Any member", ""),
    ("Parks department minibus", Asset.Kind.TRANSPORT, PARKS, "Citywide", "Members, two days' notice", ""),
)

EFFECTS = (
    ("Reading scores trail the city average", "Year 6 reading: 61 % at expected level against 74 % citywide."),
    ("Children spend afternoons alone or on the street", ""),
    ("Parents cut working hours to cover afternoons", "Families First intake interviews, 2025."),
)
# cause, evidence, deeper causes
CAUSES = (
    (
        "Too few free after-school programmes",
        "Asset scan found 4 free clubs for about 2,300 children.",
        ("Two clubs closed after the 2024 funding cut", "Volunteers are hard to recruit and keep"),
    ),
    (
        "Existing spaces are closed or unknown after 3 pm",
        "",
        ("School halls are locked after classes", "Families do not know what is on offer"),
    ),
    ("Unsafe or costly routes home", "Residents' walk audit, March.", ("No late bus on route 14",)),
)

# title, why, proposer, dots per voter index pattern
PRIORITIES = (
    ("Reading support in every neighbourhood", "Close the reading gap where it is widest.", "hannah"),
    ("Open school and faith halls after 3 pm", "Use the spaces we already have.", "tomas"),
    ("Safe routes home", "A late bus and walking groups so children get home safely.", "leila"),
    ("One guide to what is on for families", "Families cannot use what they do not know about.", "grace"),
    ("Affordable holiday programmes", "Learning loss over the summer undoes term-time gains.", "lydia"),
)
CHOSEN = 3


def _access(ctx: DemoContext, username: str) -> Access:
    membership = next(m for m in ctx.memberships if m.user.username == username)
    return get_access(membership.user, ctx.coalition.pk)


def seed(ctx: DemoContext) -> None:
    hub = get_access(ctx.hub, ctx.coalition.pk)
    everyone = [get_access(m.user, ctx.coalition.pk) for m in ctx.memberships]
    _seed_assessment(ctx, hub)
    causes = _seed_tree(hub)
    priorities = _seed_priorities(ctx, hub, everyone, causes)
    _seed_agenda(ctx, hub, everyone, priorities)


def _seed_assessment(ctx: DemoContext, hub: Access) -> None:
    actions.do_save_assessment(
        hub,
        held_on=ctx.today - dt.timedelta(days=400),
        key_findings=(
            "About 2,300 children aged 6–14 live in Eastgate; fewer than one in five takes part in any "
            "organised activity after school. Most free activity is in Eastgate Centre; Millbrook has almost none."
        ),
        challenges="Short-term funding, volunteer turnover, halls locked after classes, no late bus on route 14.",
        opportunities=(
            "The library stays open until 19:00, two faith halls are free on weekdays, and 24 reading "
            "volunteers are ready to help."
        ),
        stakeholders=[ctx.stakeholders[name] for name in (LIBRARY, YOUTH, SCHOOL, PARKS, TENANTS, PARISH, MOSQUE)],
    )
    for name, kind, owner, place, who, notes in ASSETS:
        actions.do_save_asset(
            hub, name=name, kind=kind, owner=ctx.stakeholders[owner], place=place, who_may_use=who, notes=notes
        )


def _seed_tree(hub: Access) -> list:
    core = actions.do_set_core_problem(
        hub,
        text="Eastgate children lack safe, affordable places to learn and play after school",
        evidence="Rapid assessment and parent survey (312 answers).",
    )
    for text, evidence in EFFECTS:
        actions.do_add_problem_node(hub, parent=core, kind="effect", text=text, evidence=evidence)
    causes = []
    for text, evidence, deeper in CAUSES:
        cause = actions.do_add_problem_node(hub, parent=core, kind="cause", text=text, evidence=evidence)
        causes.append(cause)
        for sub in deeper:
            actions.do_add_problem_node(hub, parent=cause, kind="cause", text=sub)
    # A duplicate raised in the workshop, merged into the box that already said the same.
    duplicate = actions.do_add_problem_node(hub, parent=core, kind="cause", text="Not enough free clubs")
    actions.do_merge_problem_nodes(hub, duplicate, into=causes[0])
    return causes


def _seed_priorities(ctx: DemoContext, hub: Access, everyone: list[Access], causes: list) -> list[Priority]:
    tackles = [causes[0], causes[1], causes[2], causes[1], causes[0]]
    priorities = [
        actions.do_propose_priority(_access(ctx, who), title=title, description=why, problem_node=node)
        for (title, why, who), node in zip(PRIORITIES, tackles, strict=True)
    ]
    vote = actions.do_open_dot_vote(hub, title="Rank our first priorities", budget=3, priorities=priorities)
    weights = [5, 4, 3, 2, 1]
    for voter in everyone:
        if not voter.can(Perm.VOTE_PRIORITY):
            continue
        allocation: dict[int, int] = {}
        for _dot in range(3):
            pick = ctx.rng.choices(priorities, weights=weights)[0]
            allocation[pick.pk] = allocation.get(pick.pk, 0) + 1
        actions.do_place_dots(voter, vote, allocation)
    vote = actions.do_close_dot_vote(hub, vote)
    assert vote.result is not None, "a closed dot vote has its result"
    by_id = {p.pk: p for p in priorities}
    ranked = [by_id[row["priority"]] for row in vote.result["ranking"]]
    shared = list(Indicator.objects.filter(coalition=ctx.coalition, is_shared=True))
    for position, priority in enumerate(ranked):
        if position < CHOSEN:
            linked = shared[position : position + 1]
            actions.do_decide_priority(hub, priority, status=Priority.Status.CHOSEN, indicators=linked)
        elif position == len(ranked) - 1:
            actions.do_decide_priority(hub, priority, status=Priority.Status.SET_ASIDE)
    return ranked[:CHOSEN]


def _seed_agenda(ctx: DemoContext, hub: Access, everyone: list[Access], priorities: list[Priority]) -> None:
    shared = list(Indicator.objects.filter(coalition=ctx.coalition, is_shared=True))
    draft = actions.do_save_agenda_draft(
        hub,
        problem_statement=ctx.coalition.problem_statement,
        vision=ctx.coalition.common_purpose,
        priorities=priorities,
        indicators=shared,
        coordinator=hub.membership,
        decision_rules=(
            "Decisions are taken by consent at coalition meetings. If consent cannot be reached after two "
            "meetings, a two-thirds majority of members present decides. Quorum: half of the members."
        ),
        meeting_rhythm="Every second Tuesday, 17:00–18:30, rotating between member venues",
        charter_text=(
            "Members work towards the common agenda, share what they learn, report their data on the shared "
            "indicators each quarter and tell the coalition before starting activities that affect others. "
            "The Eastgate Youth Centre hosts the backbone and its coordinator. Members may leave with a "
            "month's notice."
        ),
        participation_expectations="Attend at least two of every three meetings and report data every quarter.",
    )
    v1 = actions.do_publish_agenda(hub, draft)
    signers = [a for a in everyone if a.can(Perm.SIGN_CHARTER)]
    for signer in signers[:-2]:  # most members have signed; two have not yet
        actions.do_sign_agenda(signer, v1)
    actions.do_save_agenda_draft(
        hub,
        problem_statement=v1.problem_statement,
        vision=v1.vision,
        priorities=priorities,
        indicators=shared,
        coordinator=hub.membership,
        decision_rules=v1.decision_rules,
        meeting_rhythm="Every second Tuesday, 17:00–18:30; a learning pause every quarter",
        charter_text=v1.charter_text,
        participation_expectations=v1.participation_expectations,
        change_note="Adds a quarterly learning pause to the meeting rhythm.",
    )
