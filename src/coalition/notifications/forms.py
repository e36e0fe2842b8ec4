from __future__ import annotations

from typing import Any

from django import forms

from coalition.notifications import registry
from coalition.notifications.registry import Delivery


class ChoicesForm(forms.Form):
    """One choice per kind of message a person may adjust."""

    def __init__(self, *args: Any, current: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for event_type in registry.adjustable_types():
            self.fields[event_type.name] = forms.ChoiceField(
                label=str(event_type.label),
                choices=Delivery.choices,
                initial=current.get(event_type.name, event_type.default.value),
            )

    @property
    def locked_types(self) -> list[registry.EventType]:
        return [t for t in registry.all_types() if not t.may_turn_off]
