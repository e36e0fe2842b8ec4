"""Isolation data for the public page's settings routes (they take no object id in the URL)."""

from collections.abc import Callable
from typing import Any

from coalition.public import actions
from coalition.public.models import PublicPage
from coalition.stakeholders.models import Stakeholder
from tests import factories


def _page(coalition: Any) -> PublicPage:
    hub = factories.make_user()
    return actions.do_save_public_page(hub, coalition, slug=f"page-{coalition.pk}", sections=["purpose"])


def _listing(coalition: Any) -> dict[str, Any]:
    organisation = Stakeholder.objects.filter(coalition=coalition, engagement="member", kind="organisation").first()
    if organisation is None:
        organisation = factories.make_stakeholder(coalition, "Listed Org", engagement="member")
    return {"organisation": str(organisation.pk), "agreed_on": "2025-01-15"}


def _publish(coalition: Any) -> dict[str, Any]:
    _page(coalition)
    return {"state": "published"}


FACTORIES: dict[str, Callable[[Any], int]] = {}

# Bodies the hub's POST would have saved: a refused POST of these changes nothing.
POST_DATA = {
    "public:settings": lambda coalition: {
        "slug": f"open-{coalition.pk}",
        "introduction": "Hello",
        "sections": ["purpose", "members"],
        "decisions_shown": "5",
    },
    "public:publish": _publish,
    "public:listing": _listing,
}
