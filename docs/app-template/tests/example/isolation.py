"""Isolation factories: for each URL keyword of this app, make an object of the given coalition.
tests/test_isolation.py uses them to check that coalition A never reaches coalition B's notes."""

from collections.abc import Callable
from typing import Any

from coalition.example.models import Note

FACTORIES: dict[str, Callable[[Any], int]] = {
    "note_id": lambda coalition: Note.objects.create(coalition=coalition, title="Isolation note").pk,
}
