"""Read API over the same access rules as the screens (Django Ninja, OpenAPI at ``/api/v1/openapi.json``).

Every operation fetches and authorises through ``get_access``: outsiders get the same JSON 404 as for a
coalition that does not exist, members without the permission get a JSON 403, anonymous callers a 401.
The interactive docs page is off because it loads its script from a CDN; the schema itself is served.
"""

from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from ninja import Query, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from coalition.api import schemas
from coalition.api.base import ERRORS, api
from coalition.api.declare import requires
from coalition.coalitions.access import Access, coalitions_for_user
from coalition.coalitions.models import Coalition, Membership
from coalition.core.permissions import Perm
from coalition.learning import queries as learning_queries
from coalition.measurement.models import Indicator
from coalition.stakeholders.models import Stakeholder

__all__ = ["api"]


def _access(request: HttpRequest) -> Access:
    """The ``Access`` that ``requires`` fetched and checked for this call."""
    access: Access = request.access  # type: ignore[attr-defined]
    return access


@api.get(
    "/coalitions",
    response={200: list[schemas.CoalitionOut], 401: schemas.ErrorOut, 429: schemas.ErrorOut},
    url_name="coalitions",
)
@requires(Perm.VIEW)
def list_coalitions(request: HttpRequest) -> QuerySet[Coalition]:
    """The coalitions the caller is an active member of."""
    return coalitions_for_user(request.user).order_by("name")


@api.get("/coalitions/{int:coalition_id}", response={200: schemas.CoalitionOut, **ERRORS}, url_name="coalition")
@requires(Perm.VIEW)
def get_coalition(request: HttpRequest, coalition_id: int) -> Coalition:
    return _access(request).coalition


@api.get(
    "/coalitions/{int:coalition_id}/members", response={200: list[schemas.MemberOut], **ERRORS}, url_name="members"
)
@requires(Perm.VIEW_MEMBERS)
@paginate(LimitOffsetPagination)
def list_members(request: HttpRequest, coalition_id: int) -> list[dict[str, Any]]:
    access = _access(request)
    memberships = (
        Membership.objects.filter(coalition=access.coalition, is_active=True)
        .select_related("user", "organisation")
        .prefetch_related("roles")
    )
    return [
        {
            "id": m.pk,
            "name": m.display_name,
            "organisation": m.organisation.name if m.organisation else None,
            "title": m.title,
            "roles": m.role_codes,
        }
        for m in memberships
    ]


class StakeholderFilter(Schema):
    q: str = ""
    sector: str = ""
    engagement: str = ""


@api.get(
    "/coalitions/{int:coalition_id}/stakeholders",
    response={200: list[schemas.StakeholderContactOut | schemas.StakeholderOut], **ERRORS},
    url_name="stakeholders",
)
@requires(Perm.VIEW_STAKEHOLDERS)
@paginate(LimitOffsetPagination)
def list_stakeholders(
    request: HttpRequest, coalition_id: int, filters: Query[StakeholderFilter]
) -> list[schemas.StakeholderOut]:
    """The current stakeholder map; contact details only for roles that may edit the map."""
    access = _access(request)
    stakeholders = Stakeholder.objects.filter(coalition=access.coalition, is_archived=False)
    if filters.q:
        stakeholders = stakeholders.filter(Q(name__icontains=filters.q) | Q(place__icontains=filters.q))
    if filters.sector:
        stakeholders = stakeholders.filter(sector=filters.sector)
    if filters.engagement:
        stakeholders = stakeholders.filter(engagement=filters.engagement)
    out = schemas.StakeholderContactOut if access.can(Perm.EDIT_STAKEHOLDERS) else schemas.StakeholderOut
    return [out.from_orm(s) for s in stakeholders]


@api.get(
    "/coalitions/{int:coalition_id}/indicators",
    response={200: list[schemas.IndicatorOut], **ERRORS},
    url_name="indicators",
)
@requires(Perm.VIEW_MEASUREMENT)
def list_indicators(request: HttpRequest, coalition_id: int) -> QuerySet[Indicator]:
    """The coalition's indicators, shared indicators first."""
    access = _access(request)
    return Indicator.objects.filter(coalition=access.coalition, is_archived=False)


# --- learning ----------------------------------------------------------------------------------------


class StoryFilter(Schema):
    public: bool = False


@api.get(
    "/coalitions/{int:coalition_id}/stories",
    response={200: list[schemas.StoryOut], **ERRORS},
    url_name="stories",
)
@requires(Perm.VIEW_LEARNING)
@paginate(LimitOffsetPagination)
def list_stories(request: HttpRequest, coalition_id: int, filters: Query[StoryFilter]) -> list[dict[str, Any]]:
    """Stories of change the storytellers let the coalition read (consent decides, as on every screen);
    ``public=true``: only those they also let be shared publicly."""
    return [
        {
            "id": s.pk,
            "domain": s.domain.name,
            "title": s.title,
            "text": s.text,
            "storyteller": s.shown_name,
            "told_on": s.told_on,
            "public": s.consent_public,
        }
        for s in learning_queries.stories(_access(request).coalition, "public" if filters.public else "internal")
    ]


from coalition.api import exchange_api, reads, writes  # noqa: E402, F401 - registers their operations on ``api``
