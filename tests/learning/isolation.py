"""Isolation factories: one object of the given coalition per URL keyword of learning."""

from collections.abc import Callable
from typing import Any

from tests.learning import builders

FACTORIES: dict[str, Callable[[Any], int]] = {
    "pause_id": lambda coalition: builders.pause(coalition).pk,
    "story_id": lambda coalition: builders.story(coalition).pk,
    "outcome_id": lambda coalition: builders.outcome(coalition).pk,
}

# ``round_id`` also names a network round: the selection round's route gets its own.
ROUTE_FACTORIES: dict[str, dict[str, Callable[[Any], int]]] = {
    "learning:round": {"round_id": lambda coalition: builders.selection_round(coalition).pk},
}

# Bodies the hub's POST would have saved: a refused POST of these changes nothing.
POST_DATA = {
    "learning:settings": lambda coalition: {"interval_weeks": "6"},
    "learning:domains": lambda coalition: {"name": "Sneaky domain"},
    "learning:story": lambda coalition: {"consent_internal": "on"},
}
