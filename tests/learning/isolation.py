"""Isolation factories: one object of the given coalition per URL keyword of learning."""

from collections.abc import Callable
from typing import Any

from tests.learning import builders

FACTORIES: dict[str, Callable[[Any], int]] = {
    "pause_id": lambda coalition: builders.pause(coalition).pk,
    "story_id": lambda coalition: builders.story(coalition).pk,
    "outcome_id": lambda coalition: builders.outcome(coalition).pk,
    "round_id": lambda coalition: builders.selection_round(coalition).pk,
}
