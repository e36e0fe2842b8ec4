"""The demo's pooled fund: a dozen contributions in two currencies (one converted, one corrected), resources
members offer, a decided call whose awards are being implemented and a call open for proposals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from coalition.decisions import queries as decision_queries
from coalition.funding import actions
from coalition.funding.models import ChoiceStyle, EntryKind, Joint, ResourceKind, Restriction, SourceType
from coalition.stakeholders.demo_context import DemoContext

D = Decimal
CONTRIBUTIONS = [
    # (days ago, kind, amount, currency, source type, from, restriction)
    (
        300,
        EntryKind.PLEDGE,
        "20000",
        "EUR",
        SourceType.DONOR,
        "Regional community foundation",
        Restriction.UNRESTRICTED,
    ),
    (
        290,
        EntryKind.RECEIPT,
        "20000",
        "EUR",
        SourceType.DONOR,
        "Regional community foundation",
        Restriction.UNRESTRICTED,
    ),
    (280, EntryKind.RECEIPT, "8000", "EUR", SourceType.GOVERNMENT, "Municipal youth office", Restriction.COORDINATION),
    (
        260,
        EntryKind.RECEIPT,
        "15000",
        "USD",
        SourceType.DONOR,
        "International literacy trust",
        Restriction.UNRESTRICTED,
    ),
    (240, EntryKind.RECEIPT, "2500", "EUR", SourceType.PRIVATE, "Local savings bank", Restriction.UNRESTRICTED),
    (220, EntryKind.RECEIPT, "1200", "EUR", SourceType.PRIVATE, "Bookshop cooperative", Restriction.UNRESTRICTED),
    (200, EntryKind.RECEIPT, "5000", "USD", SourceType.DONOR, "Diaspora giving circle", Restriction.UNRESTRICTED),
    (
        150,
        EntryKind.PLEDGE,
        "6000",
        "EUR",
        SourceType.GOVERNMENT,
        "Regional education department",
        Restriction.UNRESTRICTED,
    ),
    (
        90,
        EntryKind.RECEIPT,
        "3000",
        "EUR",
        SourceType.GOVERNMENT,
        "Regional education department",
        Restriction.UNRESTRICTED,
    ),
    (60, EntryKind.PLEDGE, "4000", "USD", SourceType.PRIVATE, "Telecom company foundation", Restriction.UNRESTRICTED),
]


def seed(ctx: DemoContext) -> None:
    hub, coalition, today = ctx.hub, ctx.coalition, ctx.today
    fund = actions.do_save_fund(
        hub,
        coalition,
        name="Community pooled fund",
        currency="EUR",
        held_by="Neighbourhood trust (fiscal sponsor)",
        description="Small pooled resources the members decide on together.",
    )
    orgs = ctx.member_organisations
    for days, kind, amount, currency, source_type, name, restriction in CONTRIBUTIONS:
        actions.do_record_entry(
            hub,
            fund,
            kind=kind,
            occurred_on=today - dt.timedelta(days=days),
            amount=D(amount),
            currency=currency,
            restriction=restriction,
            source_type=source_type,
            source_name=name,
        )
    for i, org in enumerate(orgs[:2]):
        actions.do_record_entry(
            hub,
            fund,
            kind=EntryKind.RECEIPT,
            occurred_on=today - dt.timedelta(days=250 - 20 * i),
            amount=D("500"),
            currency="EUR",
            source_type=SourceType.MEMBER,
            source=org,
        )
    if orgs:
        actions.do_record_entry(
            hub,
            fund,
            kind=EntryKind.IN_KIND,
            occurred_on=today - dt.timedelta(days=180),
            amount=D("1800"),
            currency="EUR",
            source_type=SourceType.MEMBER,
            source=orgs[-1],
            description="Meeting hall, one evening a week",
        )
    typo = actions.do_record_entry(
        hub,
        fund,
        kind=EntryKind.RECEIPT,
        occurred_on=today - dt.timedelta(days=120),
        amount=D("12000"),
        currency="EUR",
        source_type=SourceType.PRIVATE,
        source_name="Bookshop cooperative",
    )
    actions.do_reverse_entry(
        hub, typo, reason="Typed 12000 for 1200: already recorded", occurred_on=today - dt.timedelta(days=119)
    )
    actions.do_convert(
        hub,
        fund,
        occurred_on=today - dt.timedelta(days=100),
        amount=D("10000"),
        from_currency="USD",
        to_currency="EUR",
        rate=D("0.9210"),
        rate_source="Central bank reference rate of the day",
    )
    for org, offered, text, when in zip(
        orgs,
        [ResourceKind.ROOM, ResourceKind.VEHICLE, ResourceKind.STAFF_TIME],
        ["Meeting room for 20 people", "Minibus with driver", "Half a day a week of a data officer"],
        ["Weekday evenings", "Saturdays", "Until the end of the year"],
        strict=False,
    ):
        actions.do_offer_resource(hub, coalition, offered_by=org, kind=offered, description=text, availability=when)
    _decided_call(ctx, fund)
    _open_call(ctx, fund)


def _proposers(ctx: DemoContext) -> list:  # type: ignore[type-arg]  # memberships of ctx
    roles = decision_queries.voting_roles(ctx.coalition.pk)
    return [m for m in ctx.memberships if m.organisation is not None and m.roles.filter(role__in=roles).exists()]


def _decided_call(ctx: DemoContext, fund: object) -> None:
    hub, today = ctx.hub, ctx.today
    call = actions.do_save_call(
        hub,
        ctx.coalition,
        title="Small grants for reading together",
        fund=fund,
        purpose="Joint work on the reading priority: clubs, homework help, families.",
        budget=D("24000"),
        max_per_proposal=D("12000"),
        joint=Joint.FAVOURED,
        matching_percent=10,
        choice_style=ChoiceStyle.WITHIN_BUDGET,
        opens_on=today - dt.timedelta(days=120),
        voting_on=today - dt.timedelta(days=90),
        decision_on=today - dt.timedelta(days=80),
        implementation_on=today - dt.timedelta(days=75),
        closes_on=today + dt.timedelta(days=200),
    )
    actions.do_advance_call(hub, call)
    people = _proposers(ctx)[:4]
    orgs = [m.organisation for m in people]
    plans = [
        ("Neighbourhood reading clubs", [("Facilitators", D("7000")), ("Books", D("3000"))], orgs[1:2]),
        ("Homework help after school", [("Tutors", D("9000")), ("Snacks and transport", D("2000"))], []),
        ("Family literacy evenings", [("Sessions", D("6500")), ("Childcare", D("1500"))], orgs[3:4]),
    ]
    proposals = []
    for membership, (title, lines, partners) in zip(people, plans, strict=False):
        total = sum((a for _l, a in lines), D(0))
        proposals.append(
            actions.do_submit_proposal(
                membership.user,
                membership,
                call,
                title=title,
                summary="A short plan with the partners named.",
                lines=lines,
                partners=partners,
                own_contribution=(total / 10).quantize(D("1")),
            )
        )
    actions.do_advance_call(hub, call)
    for voter in _proposers(ctx):
        mine = {
            p.pk for p in proposals if voter.organisation_id in {p.lead_id, *p.partners.values_list("pk", flat=True)}
        }
        choice, spent = [], D(0)
        for p in sorted(proposals, key=lambda p: (p.pk * 7 + voter.pk) % 5):
            if p.pk not in mine and spent + p.requested <= call.budget:
                choice.append(p.pk)
                spent += p.requested
        if choice:
            actions.do_cast_call_ballot(voter.user, voter, call, choice={"proposals": choice})
    actions.do_decide_call(hub, call)
    actions.do_advance_call(hub, call)
    for n, award in enumerate(call.awards.all()):
        half = (award.amount / 2).quantize(D("0.01"))
        first = actions.do_schedule_instalment(hub, award, due_on=today - dt.timedelta(days=70), amount=half)
        actions.do_schedule_instalment(hub, award, due_on=today + dt.timedelta(days=60), amount=award.amount - half)
        actions.do_disburse(hub, first, occurred_on=today - dt.timedelta(days=68))
        kick_off = actions.do_add_milestone(
            hub, award, title="First sessions held", due_on=today - dt.timedelta(days=40)
        )
        actions.do_add_milestone(
            hub, award, title="Mid-term review with families", due_on=today + dt.timedelta(days=50)
        )
        actions.do_report_progress(
            hub,
            award,
            status="implementing",
            spent=(half * D("0.8")).quantize(D("0.01")),
            note="Sessions running weekly." if n == 0 else "Started a little late; catching up.",
            done=[kick_off],
        )


def _open_call(ctx: DemoContext, fund: object) -> None:
    hub, today = ctx.hub, ctx.today
    call = actions.do_save_call(
        hub,
        ctx.coalition,
        title="Coordination and shared data, second round",
        fund=fund,
        purpose="Joint proposals that strengthen shared data and coordination.",
        budget=D("6000"),
        max_per_proposal=D("3000"),
        joint=Joint.REQUIRED,
        choice_style=ChoiceStyle.APPROVAL,
        max_approvals=2,
        opens_on=today - dt.timedelta(days=5),
        voting_on=today + dt.timedelta(days=25),
        decision_on=today + dt.timedelta(days=35),
        implementation_on=today + dt.timedelta(days=45),
        closes_on=today + dt.timedelta(days=230),
    )
    actions.do_advance_call(hub, call)
    people = _proposers(ctx)
    if len(people) >= 2:
        author = people[0]
        actions.do_submit_proposal(
            author.user,
            author,
            call,
            title="One shared attendance sheet",
            summary="A common form and a monthly check.",
            lines=[("Data officer time", D("1800")), ("Training", D("600"))],
            partners=[people[1].organisation],
        )
