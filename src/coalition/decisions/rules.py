"""The ``Rule`` the voting route declares beside its ``Perm``: who may post a ballot."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from coalition.coalitions.access import Access, Rule
from coalition.core.permissions import Perm
from coalition.decisions import queries


def may_vote(access: Access) -> bool:
    """Members who vote, and facilitators where the coalition lets them."""
    if access.can(Perm.VOTE):
        return True
    return access.can(Perm.VOTE_IF_ALLOWED) and queries.facilitator_may_vote(access.coalition.pk)


def _facilitators_allowed(request: HttpRequest, access: Access, **kwargs: Any) -> bool:
    return queries.facilitator_may_vote(access.coalition.pk)


VOTER = Rule(
    "votes: a member who votes, or a facilitator where the coalition lets facilitators vote",
    perm=Perm.VOTE_IF_ALLOWED,
    check=_facilitators_allowed,
    bypass=Perm.VOTE,
    writes_only=True,
)
