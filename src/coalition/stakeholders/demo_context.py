"""What the base demo seed (`coalition.demo`) hands to each app's own ``demo.seed(ctx)``. It lives in the lowest app
that has demo data, so that every app can import it without importing `coalition.demo`, which sits on top."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from coalition.coalitions.models import Coalition, Membership
from coalition.stakeholders.models import Stakeholder


@dataclass
class DemoContext:
    coalition: Coalition
    other_coalition: Coalition
    hub: Any
    facilitator: Any
    member: Any
    memberships: list[Membership]
    stakeholders: dict[str, Stakeholder]
    today: dt.date
    rng: random.Random = field(default_factory=lambda: random.Random(2026))  # noqa: S311 - demo data only

    @property
    def member_organisations(self) -> list[Stakeholder]:
        """Organisations represented by members, in a stable order."""
        seen: dict[int, Stakeholder] = {}
        for membership in self.memberships:
            if membership.organisation is not None:
                seen.setdefault(membership.organisation.pk, membership.organisation)
        return list(seen.values())
