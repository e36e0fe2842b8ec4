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
