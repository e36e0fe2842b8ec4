""" "What needs me" on pages that belong to lower apps (the home page, the coalition overview), which may
not import notifications: their templates load these tags instead."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils import timezone

from coalition.core.navigation import may_follow
from coalition.notifications.models import Notification
from coalition.notifications.seats import seat_for, seats_of
from coalition.notifications.todos import Todo, collect, cycle_progress

register = template.Library()


SHOWN_PER_COALITION = 10


@register.inclusion_tag("notifications/_home_todos.html", takes_context=True)
def home_todos(context: dict[str, Any]) -> dict[str, Any]:
    """Every to-do of the signed-in person across their coalitions, grouped by coalition: the first
    ``SHOWN_PER_COALITION`` of each (most urgent first), then a link to the coalition's overview for the rest."""
    user = context["request"].user
    seats = seats_of(user)
    todos = collect(user, seats, timezone.localdate())
    grouped: dict[int, list[Todo]] = {seat.coalition_id: [] for seat in seats}
    for todo in todos:
        grouped[todo.coalition_id].append(todo)
    groups = [
        {
            "name": seat.coalition_name,
            "items": [(t, seat.coalition_name) for t in grouped[seat.coalition_id][:SHOWN_PER_COALITION]],
            "more": max(len(grouped[seat.coalition_id]) - SHOWN_PER_COALITION, 0),
            "overview": reverse("coalitions:overview", kwargs={"coalition_id": seat.coalition_id}),
        }
        for seat in seats
        if grouped[seat.coalition_id]
    ]
    return {"groups": groups, "count": len(todos), "several": len(seats) > 1}


@register.inclusion_tag("notifications/_coalition_todos.html", takes_context=True)
def coalition_todos(context: dict[str, Any]) -> dict[str, Any]:
    """The to-dos of the signed-in person in the coalition being viewed, and where the coalition stands."""
    access = context["access"]
    todos = collect(access.user, [seat_for(access)], timezone.localdate())
    progress = cycle_progress(access.coalition.pk)
    urls = {step.url for stage in progress["stages"] for step in stage["steps"]}
    return {
        "items": [(t, access.coalition.name) for t in todos],
        "progress": progress,
        "may_follow": {url for url in urls if may_follow(context["request"], access, url)},
    }


@register.simple_tag(takes_context=True)
def unread_notifications(context: dict[str, Any]) -> int:
    """How many of the signed-in person's notifications are unread (the header's count; one query)."""
    user = context["request"].user
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count() if user.pk else 0
