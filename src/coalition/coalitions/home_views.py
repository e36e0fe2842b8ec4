"""The signed-in home page (your coalitions) and a coalition's stage pages. They need coalition access, so they
live here rather than in ``core``, which no app above it may be imported by."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path

from coalition.coalitions.access import Access, coalition_view, coalitions_for_user
from coalition.core.navigation import stage_by_slug


@login_required
def home(request: HttpRequest) -> HttpResponse:
    coalitions = coalitions_for_user(request.user).order_by("name")
    return render(request, "core/home.html", {"coalitions": coalitions})


@coalition_view()
def stage(request: HttpRequest, access: Access, stage: str) -> HttpResponse:
    found = stage_by_slug(stage)
    if found is None:
        raise Http404
    return render(request, "core/stage.html", {"stage": found})


# Kept in the ``core`` namespace (``core:home``, ``core:stage``) by the root URLconf.
urlpatterns: list[URLPattern] = [
    path("", home, name="home"),
    path("c/<int:coalition_id>/stage/<slug:stage>/", stage, name="stage"),
]
