"""The no-account side: a resident's feedback form, following it with the tracking code, and "You said, we did".

Everything works with JavaScript off. The tracking code only ever travels in a POST body (never in an address,
which servers and proxies log), answers carry ``Cache-Control: no-store``, and nothing of the request (address,
browser, time) is stored with the feedback. Each address may send a few forms a window: the count is kept in the
cache under a hash of the address, and expires with the window.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from coalition.accounts import throttle
from coalition.core.forms import run_action
from coalition.core.log import log_anonymously
from coalition.feedback import actions, queries
from coalition.feedback.forms import PublicFeedbackForm, TrackForm
from coalition.feedback.models import Channel, ListeningSettings

SUBMIT_LIMIT = getattr(settings, "FEEDBACK_RATE_LIMIT", 5)  # forms per address per window
TRACK_LIMIT = 30  # code look-ups per address per window
WINDOW_SECONDS = 10 * 60
MAX_BODY = 32 * 1024  # a form bigger than this is refused before it is parsed


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    return response


def _address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


def _slow_down(request: HttpRequest, listening: ListeningSettings | None) -> HttpResponse:
    return _private(render(request, "feedback/public_slow_down.html", {"listening": listening}, status=429))


def _settings(key: str) -> ListeningSettings:
    found = queries.public_settings(key)
    if found is None:
        raise Http404
    return found


def _too_big(request: HttpRequest) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY
    except ValueError:
        return True


@log_anonymously
@never_cache
def feedback_form(request: HttpRequest, key: str) -> HttpResponse:
    listening = _settings(key)
    context = {"listening": listening, "coalition": listening.coalition}
    if not listening.public_form_open:
        return _private(render(request, "feedback/public_closed.html", context))
    if request.method == "POST":
        if _too_big(request):
            return _private(render(request, "feedback/public_too_big.html", context, status=413))
        if not throttle.hit("feedback", _address(request), limit=SUBMIT_LIMIT, window_seconds=WINDOW_SECONDS):
            return _slow_down(request, listening)
    form = PublicFeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.is_robot():
            return _private(render(request, "feedback/public_done.html", {**context, "code": None}))
        saved = run_action(
            form, actions.do_submit_feedback, listening.coalition, channel=Channel.PUBLIC_FORM, **form.contact()
        )
        if saved:
            _feedback, code = saved.value
            return _private(render(request, "feedback/public_done.html", {**context, "code": code}))
    status = 400 if form.errors else 200
    return _private(render(request, "feedback/public_form.html", {**context, "form": form}, status=status))


@log_anonymously
@never_cache
def track(request: HttpRequest) -> HttpResponse:
    """Read the status and the answer of one's feedback. The code comes by POST only; a wrong code reads nothing."""
    form = TrackForm(request.POST or None)
    context: dict[str, object] = {"form": form, "looked_up": False, "feedback": None}
    if request.method == "POST":
        if not throttle.hit("feedback-track", _address(request), limit=TRACK_LIMIT, window_seconds=WINDOW_SECONDS):
            return _slow_down(request, None)
        if form.is_valid():
            context["looked_up"] = True
            context["feedback"] = actions.feedback_for_code(form.cleaned_data["code"])
            context["form"] = TrackForm()  # never echo the code back into the page
    return _private(render(request, "feedback/public_track.html", context, status=200))


def you_said_we_did(request: HttpRequest, key: str) -> HttpResponse:
    listening = _settings(key)
    items = queries.you_said_we_did(listening.coalition)[:200]
    return render(
        request,
        "feedback/you_said_we_did.html",
        {"listening": listening, "coalition": listening.coalition, "items": items},
    )
