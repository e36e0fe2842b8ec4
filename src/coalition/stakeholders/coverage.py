"""Who is missing around the table: coverage of sectors, of stake / power / knowledge, and of groups
whose voice is often left out, among the coalition's members (stakeholders whose engagement is "member").

A pure function over plain data. Each line counts the members that cover it and says whether it is
missing (no member), thin (one member) or covered (two or more), and suggests stakeholders from the map
to approach for it: not members, not declined, the ones furthest along in engagement first, then the
most interested and the most powerful.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from coalition.stakeholders.models import Sector, Stakeholder

THIN_BELOW = 2  # fewer members than this (but at least one) is "thin"
SUGGESTIONS = 3
MEMBER = Stakeholder.Engagement.MEMBER
DECLINED = Stakeholder.Engagement.DECLINED
# How close a non-member is to joining: approach the ones already consulted first.
PROGRESS: dict[str, int] = {
    Stakeholder.Engagement.CONSULTED: 2,
    Stakeholder.Engagement.CONTACTED: 1,
    Stakeholder.Engagement.IDENTIFIED: 0,
}


class Status(StrEnum):
    MISSING = "missing"
    THIN = "thin"
    COVERED = "covered"


@dataclass(frozen=True)
class Profile:
    """What coverage needs to know about one stakeholder."""

    pk: int
    name: str
    sector: str
    engagement: str
    power: int = 3
    interest: int = 3
    brings_stake: bool = False
    brings_power: bool = False
    brings_knowledge: bool = False
    lived_experience: bool = False
    marginalised_group: bool = False

    @property
    def is_member(self) -> bool:
        return self.engagement == MEMBER

    @property
    def engagement_label(self) -> str:
        return str(Stakeholder.Engagement(self.engagement).label)


@dataclass(frozen=True)
class Line:
    key: str
    label: Promise | str
    members: int
    status: Status
    suggestions: list[Profile] = field(default_factory=list)


@dataclass(frozen=True)
class Coverage:
    member_count: int
    sectors: list[Line]
    contributions: list[Line]
    groups: list[Line]

    @property
    def gaps(self) -> list[Line]:
        return [line for line in (*self.sectors, *self.contributions, *self.groups) if line.status != Status.COVERED]


CONTRIBUTIONS: dict[str, tuple[Promise, Callable[[Profile], bool]]] = {
    "stake": (_("Stake (people directly affected, and diverse views)"), lambda p: p.brings_stake),
    "power": (_("Power (authority to act: rules, money, services)"), lambda p: p.brings_power),
    "knowledge": (_("Knowledge (expertise and local know-how)"), lambda p: p.brings_knowledge),
}
GROUPS: dict[str, tuple[Promise, Callable[[Profile], bool]]] = {
    "lived_experience": (_("People with lived experience of the problem"), lambda p: p.lived_experience),
    "marginalised_group": (_("Marginalised groups"), lambda p: p.marginalised_group),
    "residents": (_("Residents"), lambda p: p.sector == Sector.RESIDENT),
}


def status_for(count: int) -> Status:
    if count == 0:
        return Status.MISSING
    return Status.THIN if count < THIN_BELOW else Status.COVERED


def suggestion_key(profile: Profile) -> tuple[int, int, int, str, int]:
    return (
        -PROGRESS.get(profile.engagement, 0),
        -profile.interest,
        -profile.power,
        profile.name.casefold(),
        profile.pk,
    )


def _line(key: str, label: Promise | str, test: Callable[[Profile], bool], profiles: list[Profile]) -> Line:
    members = sum(1 for p in profiles if p.is_member and test(p))
    status = status_for(members)
    suggestions: list[Profile] = []
    if status != Status.COVERED:
        candidates = [p for p in profiles if not p.is_member and p.engagement != DECLINED and test(p)]
        suggestions = sorted(candidates, key=suggestion_key)[:SUGGESTIONS]
    return Line(key, label, members, status, suggestions)


def coverage(stakeholders: Iterable[Profile]) -> Coverage:
    profiles = list(stakeholders)
    sectors = [
        _line(code, label, lambda p, code=code: p.sector == code, profiles)  # type: ignore[misc]
        for code, label in Sector.choices
    ]
    contributions = [_line(key, label, test, profiles) for key, (label, test) in CONTRIBUTIONS.items()]
    groups = [_line(key, label, test, profiles) for key, (label, test) in GROUPS.items()]
    return Coverage(sum(1 for p in profiles if p.is_member), sectors, contributions, groups)
