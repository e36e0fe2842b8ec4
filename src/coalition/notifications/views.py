"""The person's notification pages: recent messages, choices, and the signed-out unsubscribe link."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from coalition.core.fields import parse_id
from coalition.core.forms import attempt, run_action
from coalition.notifications import actions, registry, tokens
from coalition.notifications.forms import ChoicesForm
from coalition.notifications.models import Notification, Preference

RECENT = 50


@login_required
def recent(request: HttpRequest) -> HttpResponse:
    rows = list(
        Notification.objects.filter(recipient_id=request.user.pk).only(
            "event_type", "subject", "url", "status", "created_at", "sent_at", "read_at"
        )[:RECENT]
    )
    return render(
        request, "notifications/recent.html", {"rows": rows, "any_unread": any(r.read_at is None for r in rows)}
    )


@login_required
@require_POST
def open_notification(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Opening a message marks it read, then goes where it leads (a page of this site, or the list)."""
    row = get_object_or_404(Notification, pk=parse_id(notification_id) or 0, recipient_id=request.user.pk)
    outcome = attempt(actions.do_open_notification, request.user, row)
    target = str(outcome.value or "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        target = ""
    return redirect(target or "notifications:recent")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    actions.do_mark_all_read(request.user)
    messages.success(request, _("Every message is marked read."))
    return redirect("notifications:recent")


@login_required
def choices(request: HttpRequest) -> HttpResponse:
    current = dict(Preference.objects.filter(user_id=int(request.user.pk or 0)).values_list("event_type", "delivery"))
    form = ChoicesForm(request.POST or None, current=current)
    if (
        request.method == "POST"
        and form.is_valid()
        and run_action(form, actions.do_set_notification_choices, request.user, form.cleaned_data) is not None
    ):
        messages.success(request, _("Your choices are saved."))
        return redirect("notifications:choices")
    return render(request, "notifications/choices.html", {"form": form})


@csrf_exempt  # RFC 8058: the mail provider posts "List-Unsubscribe=One-Click"; the signed token is the proof
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (link scanners must not unsubscribe anyone); POST turns the kind off. Works signed
    out; a tampered or unknown token gets the same 404 page."""
    found = tokens.read_token(token)
    user = get_user_model().objects.filter(pk=found[0], is_active=True).first() if found else None
    if found is None or user is None:
        return render(request, "notifications/unsubscribe_invalid.html", status=404)
    event_type = found[1]
    label = (
        _("every message you may turn off")
        if event_type == tokens.ALL_TYPES
        else str(registry.get(event_type).label if event_type in {t.name for t in registry.all_types()} else "")
    )
    if not label:
        return render(request, "notifications/unsubscribe_invalid.html", status=404)
    if request.method == "POST":
        if not attempt(actions.do_unsubscribe, user, event_type):
            return render(request, "notifications/unsubscribe_invalid.html", status=404)
        return render(request, "notifications/unsubscribed.html", {"label": label})
    return render(request, "notifications/unsubscribe.html", {"label": label})
