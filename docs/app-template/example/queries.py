"""Reads that carry rules (what a list shows, what counts) live here, so views and the API share them."""

from __future__ import annotations

from django.db.models import QuerySet

from coalition.coalitions.access import Access
from coalition.example.models import Note


def live_notes(access: Access) -> QuerySet[Note]:
    return Note.objects.filter(coalition=access.coalition, is_archived=False)
