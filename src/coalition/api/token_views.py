"""The signed-in person's personal access tokens: list, make (the secret is shown once), revoke."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from coalition.accounts import two_step
from coalition.accounts.reauth import recent_sign_in_required
from coalition.api import actions
from coalition.api.forms import TokenForm
from coalition.api.models import AccessToken
from coalition.core.forms import run_action, run_action_message, submitted


@never_cache
@login_required
@recent_sign_in_required
def tokens(request: HttpRequest) -> HttpResponse:
    user: Any = request.user  # login_required
    form = TokenForm(request.POST or None)
    secret = None
    if submitted(request, form):
        made = run_action(
            form,
            actions.do_create_token,
            request.user,
            name=form.cleaned_data["name"],
            scope=form.cleaned_data["scope"],
            days=form.cleaned_data["days"],
            two_step=two_step.is_verified(request),
        )
        if made:
            secret = made.value[1]
            form = TokenForm()
    context = {
        "form": form,
        "secret": secret,
        "tokens": AccessToken.objects.filter(user=user),
    }
    status = 400 if form.errors else 200
    return TemplateResponse(request, "api/tokens.html", context, status=status)


@never_cache
@login_required
@require_POST
def revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(AccessToken, pk=token_id, user=request.user)  # another person's token: 404
    if run_action_message(request, actions.do_revoke_token, request.user, token):
        messages.success(request, _("Token “%(name)s” revoked: it no longer works.") % {"name": token.name})
    return redirect("tokens:list")
