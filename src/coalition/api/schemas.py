"""What the API returns. Fields a caller's role may not see are left out, never sent empty."""

import datetime as dt
from typing import Any

from ninja import Field, Schema


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
