"""Isolation factories: one object of the given coalition per URL keyword of the listening app."""

from collections.abc import Callable
from typing import Any

from tests.feedback import builders

FACTORIES: dict[str, Callable[[Any], int]] = {
    "feedback_id": lambda coalition: builders.feedback(coalition).pk,
    "round_id": lambda coalition: builders.survey(coalition, opened=True).pk,
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
