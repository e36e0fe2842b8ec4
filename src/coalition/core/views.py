from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from coalition.coalitions.access import Access, coalition_view, coalitions_for_user
from coalition.core.health import run_checks
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


@require_safe
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and monitors: 200 when the database, the cache and the worker are well, else 503."""
    checks = run_checks()
    healthy = all(check.ok for check in checks)
    body = {"status": "ok" if healthy else "unhealthy", "checks": {c.name: {"ok": c.ok, "detail": c.detail} for c in checks}}
    return JsonResponse(body, status=200 if healthy else 503)
