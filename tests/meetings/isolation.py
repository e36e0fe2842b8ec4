"""Isolation factories: one object of the given coalition per URL keyword of meetings."""

from collections.abc import Callable
from typing import Any

from tests.meetings import builders

FACTORIES: dict[str, Callable[[Any], int]] = {
    "series_id": lambda coalition: builders.series(coalition).pk,
    "meeting_id": lambda coalition: builders.meeting(coalition).pk,
    "item_id": lambda coalition: builders.item(coalition).pk,
    "paper_id": lambda coalition: builders.paper(coalition).pk,
}

# Bodies the hub's POST would have saved: a refused POST of these changes nothing.
POST_DATA = {
    "meetings:item_new": lambda coalition: {"title": "Sneaky item", "purpose": "inform", "minutes_needed": "5"},
    "meetings:item_triage": lambda coalition: {"status": "accepted", "position": "1", "minutes_needed": "5"},
    "meetings:figures": lambda coalition: {"quorum_share": "60", "attending_share": "75", "agenda_days_ahead": "5"},
    "meetings:calendar": lambda coalition: {},
}
