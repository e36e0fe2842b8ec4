"""Isolation factories: one object of the given coalition per URL keyword of the listening app."""

from collections.abc import Callable
from typing import Any

from tests.feedback import builders

FACTORIES: dict[str, Callable[[Any], int]] = {
    "feedback_id": lambda coalition: builders.feedback(coalition).pk,
}


def _survey(coalition: Any) -> int:
    return builders.survey(coalition, opened=True).pk


# ``round_id`` also names a network round: the survey routes get theirs by route, not by keyword.
ROUTE_FACTORIES: dict[str, dict[str, Callable[[Any], int]]] = {
    f"feedback:{name}": {"round_id": _survey}
    for name in (
        "round",
        "question_new",
        "round_open",
        "round_close",
        "answer",
        "results",
        "results_csv",
        "xlsform",
        "import",
    )
}

# Bodies the hub's POST would have saved: a refused POST of these changes nothing.
POST_DATA = {
    "feedback:give": lambda coalition: {"topic": "other", "text": "Sneaky", "anonymous": "on"},
    "feedback:record": lambda coalition: {"topic": "other", "text": "Sneaky", "channel": "phone"},
    "feedback:triage": lambda coalition: {"topic": "safety", "urgency": "high"},
    "feedback:answer_item": lambda coalition: {"answer": "Sneaky answer"},
    "feedback:settings": lambda coalition: {"public_form_open": "on", "min_answers": "7"},
    "feedback:round_new": lambda coalition: {
        "title": "Sneaky round",
        "is_anonymous": "on",
        "opens_on": "2026-03-01",
        "closes_on": "2026-03-20",
        "bank_keys": ["satisfaction"],
    },
    "feedback:answer": lambda coalition: {"satisfaction": "4"},
}
