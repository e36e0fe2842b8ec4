"""The ``Rule``s funding routes declare beside their ``Perm``."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.http import HttpRequest

from coalition.coalitions.access import Access, Rule
from coalition.core.permissions import Perm
from coalition.funding.models import Award
from coalition.funding.queries import parties


def _party_of_award(request: HttpRequest, access: Access, award_id: int, **kwargs: Any) -> bool:
    award = Award.objects.filter(pk=award_id, coalition=access.coalition).select_related("proposal").first()
    return award is not None and access.organisation_id in parties([award.proposal])[award.proposal_id]


AWARD_PARTY = Rule(
    "reports progress: a member organisation party to the award, or whoever manages the fund (every member sees it)",
    perm=Perm.PROPOSE_FUNDING,
    check=_party_of_award,
    bypass=Perm.MANAGE_FUND,
    writes_only=True,
)


def may_report(request: HttpRequest, access: Access, award_id: int) -> bool:
    """Whether the person may report on the award (the rule as it applies to a POST), to offer the form."""
    return replace(AWARD_PARTY, writes_only=False).holds(request, access, {"award_id": award_id})
