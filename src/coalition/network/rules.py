"""Declared conditions on the relationship-mapping routes (``coalition_view(..., rules=...)``)."""

from __future__ import annotations

from django.http import HttpRequest

from coalition.coalitions.access import Access, Rule, scoped_get
from coalition.core.permissions import Perm
from coalition.network.models import SurveyRound


def _is_out(request: HttpRequest, access: Access, round_id: int, **_: object) -> bool:
    return scoped_get(access, SurveyRound, pk=round_id).status != SurveyRound.Status.DRAFT


def _answers_shared(request: HttpRequest, access: Access, round_id: int, **_: object) -> bool:
    return scoped_get(access, SurveyRound, pk=round_id).hub_sees_answers


ROUND_IS_OUT = Rule(
    "a round still being prepared is seen only by those who run surveys",
    perm=Perm.VIEW_NETWORK,
    bypass=Perm.MANAGE_SURVEYS,
    check=_is_out,
)
ANSWERS_SHARED = Rule(
    "who said what is readable only where the round told respondents the hub may read it",
    perm=Perm.MANAGE_SURVEYS,
    check=_answers_shared,
)
