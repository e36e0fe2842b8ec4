"""Security messages: declared here, raised by the accounts actions through ``core.events``; nobody can turn
them off."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from coalition.core import events
from coalition.notifications.registry import Delivery, EventType, Payload, declare


def _the_user(payload: Payload) -> list[int]:
    return [int(payload["user_id"])]


PASSWORD_CHANGED = declare(
    EventType(
        name=events.PASSWORD_CHANGED,
        label=_("Your password was changed"),
        subject=_("Your Coalition password was changed"),
        body=_(
            "The password of your Coalition account %(username)s was changed. If you did not do this, reset "
            "your password now and tell your hub coordinator."
        ),
        recipients=_the_user,
        default=Delivery.IMMEDIATE,
        may_turn_off=False,
    )
)

TWO_STEP_SET = declare(
    EventType(
        name=events.TWO_STEP_SET,
        label=_("A new authenticator app was set up"),
        subject=_("A new authenticator app was set up for your Coalition account"),
        body=_(
            "An authenticator app was just set up for two-step sign-in to your Coalition account %(username)s. "
            "If you did not do this, change your password now and tell your hub coordinator."
        ),
        recipients=_the_user,
        default=Delivery.IMMEDIATE,
        may_turn_off=False,
    )
)
