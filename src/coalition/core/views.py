from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from coalition.coalitions.access import Access, coalition_view
from coalition.coalitions.models import Coalition
from coalition.coalitions.seats import seats_of
from coalition.core.navigation import stage_by_slug
from coalition.notifications.todos import by_coalition, collect


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """What needs the person across all their coalitions, then each coalition with its own to-dos."""
    seats = seats_of(request.user)
    todos = collect(request.user, seats, timezone.localdate())
    grouped = by_coalition(todos)
    coalitions = {c.pk: c for c in Coalition.objects.filter(pk__in=[s.coalition_id for s in seats])}
    cards = [(coalitions[s.coalition_id], grouped.get(s.coalition_id, [])) for s in seats]
    names = {s.coalition_id: s.coalition_name for s in seats}
    items = [(todo, names[todo.coalition_id]) for todo in todos]
    return render(request, "core/home.html", {"cards": cards, "items": items, "several": len(seats) > 1})


@coalition_view()
def stage(request: HttpRequest, access: Access, stage: str) -> HttpResponse:
    found = stage_by_slug(stage)
    if found is None:
        raise Http404
    return render(request, "core/stage.html", {"stage": found})


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
