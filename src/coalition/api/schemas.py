"""What the API returns. Fields a caller's role may not see are left out, never sent empty."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    """A request whose parameters do not fit: one entry per fault (``loc`` says where, ``msg`` what)."""

    detail: list[dict[str, Any]]


class CoalitionOut(Schema):
    id: int
    name: str
    problem_statement: str
    common_purpose: str
    scope: str
    places: list[str] = Field(..., alias="place_list")
    phase: str
    starts_on: dt.date | None
    ends_on: dt.date | None


class MemberOut(Schema):
    id: int
    name: str
    organisation: str | None
    title: str
    roles: list[str]


class StakeholderOut(Schema):
    id: int
    name: str
    kind: str
    sector: str
    level: str
    place: str
    power: int
    interest: int
    brings_stake: bool
    brings_power: bool
    brings_knowledge: bool
    lived_experience: bool
    marginalised_group: bool
    engagement: str


class StakeholderContactOut(StakeholderOut):
    """A stakeholder with contact details, for roles that may edit the map."""

    email: str
    phone: str
    website: str


class IndicatorOut(Schema):
    id: int
    name: str
    definition: str
    level: str
    kind: str
    unit: str
    direction: str
    frequency: str
    is_shared: bool


class StoryOut(Schema):
    id: int
    domain: str
    title: str
    text: str
    storyteller: str
    told_on: dt.date
    public: bool


# --- Writable records carry an etag; inputs are bounded as the models are ------------------------------------


def _etag(obj: Any) -> str:
    from coalition.api.idempotency import etag_of  # noqa: PLC0415 - the helper needs the API object, built later

    return etag_of(obj)


Sector = Literal[
    "government",
    "civil_society",
    "community_based",
    "private",
    "academia",
    "donor",
    "faith",
    "community_leader",
    "resident",
]
GeoLevel = Literal["neighbourhood", "local", "subnational", "national", "international"]
Engagement = Literal["identified", "contacted", "consulted", "member", "declined"]
Rating = Annotated[int, Field(ge=1, le=5)]


class StakeholderPatch(Schema):
    """Fields to change; those left out stay as they are."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    kind: Literal["organisation", "individual"] | None = None
    sector: Sector | None = None
    level: GeoLevel | None = None
    place: Annotated[str, Field(max_length=200)] | None = None
    power: Rating | None = None
    interest: Rating | None = None
    brings_stake: bool | None = None
    brings_power: bool | None = None
    brings_knowledge: bool | None = None
    lived_experience: bool | None = None
    marginalised_group: bool | None = None
    engagement: Engagement | None = None
    email: Annotated[str, Field(max_length=254)] | None = None
    phone: Annotated[str, Field(max_length=50)] | None = None
    website: Annotated[str, Field(max_length=200)] | None = None
    notes: Annotated[str, Field(max_length=5000)] | None = None


class StakeholderIn(StakeholderPatch):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    sector: Sector = "civil_society"


class StakeholderSavedOut(StakeholderContactOut):
    etag: str

    @staticmethod
    def resolve_etag(obj: Any) -> str:
        return _etag(obj)


ActionStatus = Literal["planned", "under_way", "done", "dropped"]


class ActionOut(Schema):
    id: int
    plan_id: int
    objective_id: int | None
    title: str
    description: str
    activity_type_id: int
    place: str
    lead_id: int
    starts_on: dt.date
    due_on: dt.date
    status: str
    completed_on: dt.date | None
    dropped_reason: str
    version: int
    etag: str

    @staticmethod
    def resolve_etag(obj: Any) -> str:
        return _etag(obj)


class ActionPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    objective_id: int | None = None
    title: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    description: Annotated[str, Field(max_length=5000)] | None = None
    activity_type_id: int | None = None
    place: Annotated[str, Field(max_length=200)] | None = None
    lead_id: int | None = None
    starts_on: dt.date | None = None
    due_on: dt.date | None = None
    status: ActionStatus | None = None
    completed_on: dt.date | None = None
    dropped_reason: Annotated[str, Field(max_length=2000)] | None = None


class ActionIn(ActionPatch):
    plan_id: int
    title: Annotated[str, Field(min_length=1, max_length=200)]
    activity_type_id: int
    place: Annotated[str, Field(min_length=1, max_length=200)]
    lead_id: int
    starts_on: dt.date
    due_on: dt.date


Figure = Annotated[Decimal, Field(max_digits=20, decimal_places=4)]


class ValueIn(Schema):
    """One figure: for a percentage give numerator and denominator, otherwise value. ``options`` are the
    category option ids of a disaggregated cell (none for the total); all figures empty removes the cell."""

    model_config = ConfigDict(extra="forbid")

    indicator_id: int
    period: Annotated[str, Field(min_length=1, max_length=20, examples=["2025-Q1", "2025-03", "2025"])]
    organisation_id: int
    options: Annotated[list[int], Field(max_length=10)] = []
    value: Figure | None = None
    numerator: Figure | None = None
    denominator: Figure | None = None


class ValuesIn(Schema):
    model_config = ConfigDict(extra="forbid")

    values: Annotated[list[ValueIn], Field(min_length=1, max_length=1000)]


class ValuesSavedOut(Schema):
    created: int
    updated: int
    deleted: int
    unchanged: int


# --- Reads of the later domains: aggregates only where the screens show aggregates -------------------------------


class NetworkRoundOut(Schema):
    id: int
    name: str
    status: str
    opened_at: dt.datetime | None
    closed_at: dt.datetime | None
    invited: int
    consented: int


class NetworkMetricsOut(Schema):
    """The whole network's measures; never who named whom nor any individual answer."""

    round_id: int
    relation: str | None
    actors: int
    ties: int
    density: float
    reciprocity: float
    centralisation: float
    components: int
    largest_component_share: float
    isolates: int
    average_degree: float
    average_reach: float
    trust_percent: float | None
    value_percent: float | None


class PlanOut(Schema):
    id: int
    title: str
    summary: str
    starts_on: dt.date | None
    ends_on: dt.date | None
    is_archived: bool
    objectives: int
    actions: int
    actions_done: int


class MeetingOut(Schema):
    id: int
    title: str
    forum: str
    starts_at: dt.datetime
    duration_minutes: int
    status: str
    place: str
    agenda_published: bool
    minutes_approved: bool


class AgendaItemOut(Schema):
    """An accepted agenda item in the running order: its slot follows from the items before it."""

    id: int
    position: int
    title: str
    purpose: str
    minutes_needed: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    description: str
    papers: list[str]


class AgendaItemMinutesOut(AgendaItemOut):
    """An agenda item with its minutes, for those who may read them (approved, or drafts for who runs meetings)."""

    minutes: str


class MeetingDetailOut(MeetingOut):
    ends_at: dt.datetime
    timezone: str
    items: list[AgendaItemMinutesOut | AgendaItemOut]


class PollOut(Schema):
    """A poll; ``turnout`` and ``result`` (totals per answer or option, never a ballot) once it is closed, and
    for an anonymous poll only from three voters."""

    id: int
    title: str
    kind: str
    electorate: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    closed_at: dt.datetime | None
    is_anonymous: bool
    status: Literal["upcoming", "open", "closed"]
    turnout: int | None
    quorum_met: bool | None
    result: list[list[str]] | None
    winners: list[str] | None
    outcome_statement: str


class DecisionOut(Schema):
    decided_on: dt.date
    forum: str
    title: str
    rule: str
    turnout: str
    result: str
    reasoning: str


class BalanceOut(Schema):
    """One ledger balance (per fund, restriction, priority and currency); amounts as decimal strings."""

    fund_id: int
    fund: str
    restriction: str
    priority_id: int | None
    currency: str
    pledged: str
    received: str
    in_kind: str
    granted: str
    disbursed: str
    converted: str
    held: str
    uncommitted: str


class CallOut(Schema):
    id: int
    title: str
    purpose: str
    fund_id: int
    phase: str
    budget: str
    opens_on: dt.date
    voting_on: dt.date
    decision_on: dt.date
    closes_on: dt.date


class AwardOut(Schema):
    id: int
    call_id: int
    proposal: str
    lead: str
    amount: str
    currency: str
    status: str
    spent: str


class FeedbackOut(Schema):
    """An inbox item; an anonymous one carries nothing about who sent it."""

    id: int
    channel: str
    topic: str
    text: str
    received_on: dt.date
    status: str
    urgency: str
    answer: str
    answered_on: dt.date | None
    what_changed: str
    closed_on: dt.date | None
    on_public_page: bool
    public_summary: str


class FeedbackNamedOut(FeedbackOut):
    """An item from a named member or from someone who agreed to be contacted."""

    submitter: str
    contact_email: str
    contact_phone: str


FeedbackTopic = Literal["services", "safety", "environment", "health", "coalition", "idea", "other"]


class FeedbackIn(Schema):
    """A member's feedback. Anonymous by default: then nothing ties it to the account (contact details only
    with ``may_contact``), and no ``Idempotency-Key`` is accepted, since its stored answer would."""

    model_config = ConfigDict(extra="forbid")

    topic: FeedbackTopic
    text: Annotated[str, Field(min_length=1, max_length=4000)]
    anonymous: bool = True
    may_contact: bool = False
    contact_name: Annotated[str, Field(max_length=120)] = ""
    contact_email: Annotated[str, Field(max_length=200)] = ""
    contact_phone: Annotated[str, Field(max_length=40)] = ""


class FeedbackSavedOut(Schema):
    tracking_code: str
    anonymous: bool


class PauseOut(Schema):
    id: int
    period_start: dt.date
    period_end: dt.date
    held_on: dt.date
    expected: str
    happened: str
    why_different: str
    keep: str
    change: str


class AdaptationOut(Schema):
    id: int
    pause_id: int
    kind: str
    target: str
    reason: str
    resources: str
    applied_at: dt.datetime


class OutcomeOut(Schema):
    id: int
    description: str
    social_actor: str
    happened_on: dt.date
    place: str
    significance: str
    contribution: str
    sources: str
    substantiated_by: str
    substantiation: str
    priority_ids: list[int]
    indicator_ids: list[int]


class FigureValueOut(Schema):
    period: str
    value: str


class CohesionFigureOut(Schema):
    key: str
    label: str
    measured: bool
    indicator_id: int | None
    values: list[FigureValueOut]


class HealthCheckOut(Schema):
    id: int
    title: str
    status: str
    held_on: dt.date
    closed_at: dt.datetime | None


class FactorOut(Schema):
    code: str
    group: str
    label: str
    mean: str | None
    answers: int


class HealthResultsOut(HealthCheckOut):
    answered_by: int
    factors: list[FactorOut]
