"""To-dos of the apps below notifications in the layers (accounts, coalitions), which may not import it:
notifications registers them itself."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _

from coalition.accounts.models import Invitation
from coalition.core.permissions import Perm
from coalition.notifications.todos import Seat, Todo, count_per_coalition, seats_with


def invitations_pending(user: Any, seats: Sequence[Seat], today: dt.date) -> list[Todo]:
    """For those who manage members: invitations sent and not yet accepted, per coalition."""
    managers = [s.coalition_id for s in seats_with(seats, Perm.MANAGE_MEMBERS)]
    if not managers:
        return []
    return count_per_coalition(
        Invitation.objects.usable().filter(coalition_id__in=managers),
        "accounts.invitations",
        _("Follow up %(count)s invitations not yet accepted"),
        "invitations:list",
    )
