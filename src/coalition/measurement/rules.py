"""Declared conditions on the measurement routes (``coalition_view(..., rules=...)``)."""

from __future__ import annotations

from django.http import HttpRequest

from coalition.coalitions.access import Access, Rule
from coalition.core.permissions import Perm


def _for_own_organisation(request: HttpRequest, access: Access, **_: object) -> bool:
    raw = request.POST.get("organisation") or request.GET.get("organisation")
    if not raw or not raw.isdigit():
        return True  # one's own organisation (a malformed choice is answered 404 by the view)
    return int(raw) == access.organisation_id


OWN_ORGANISATION = Rule(
    "members report for their own organisation; only those who enter any member's data choose another",
    perm=Perm.ENTER_OWN_DATA,
    bypass=Perm.ENTER_ANY_DATA,
    check=_for_own_organisation,
)
