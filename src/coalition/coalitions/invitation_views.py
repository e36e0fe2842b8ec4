"""Invitations: a coordinator invites someone by email; the link lets them join, creating an account first
if they have none. The ``Invitation`` model lives in ``accounts`` (below coalitions); the workflow lives here,
where memberships are made."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from coalition.accounts.forms import SignUpForm
from coalition.accounts.models import Invitation
from coalition.coalitions import actions
from coalition.coalitions.access import Access, coalition_view, scoped_get
from coalition.coalitions.actions import InvitationUnusable
from coalition.coalitions.forms import InvitationForm
from coalition.core.forms import run_action, run_action_message
from coalition.core.permissions import Perm


@never_cache
@coalition_view(Perm.MANAGE_MEMBERS)
def invitations(request: HttpRequest, access: Access) -> HttpResponse:
    """Pending, accepted and expired invitations, and a form to invite someone (the link is shown once)."""
    form = InvitationForm(request.POST or None, coalition=access.coalition)
    sent: tuple[Invitation, str] | None = None
    if request.method == "POST" and form.is_valid():
        invited = run_action(
            form,
            actions.do_invite_member,
            request.user,
            access.coalition,
            **form.cleaned_data,
            base_url=request.build_absolute_uri("/"),
        )
        if invited:
            sent = invited.value
            form = InvitationForm(coalition=access.coalition)
    listed = access.coalition.invitations.select_related("invited_by", "accepted_by", "organisation")
    return render(request, "accounts/invitations.html", {"form": form, "sent": sent, "invitations": listed})


@coalition_view(Perm.MANAGE_MEMBERS)
def revoke_invitation(request: HttpRequest, access: Access, invitation_id: int) -> HttpResponse:
    invitation = scoped_get(access, Invitation, pk=invitation_id)
    if request.method == "POST":
        if run_action_message(request, actions.do_revoke_invitation, request.user, invitation):
            messages.success(request, _("The invitation to %(email)s was withdrawn.") % {"email": invitation.email})
        return redirect("invitations:list", access.coalition.pk)
    return render(request, "accounts/invitation_revoke.html", {"invitation": invitation})


def _unusable(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "accounts/invitation_unusable.html", {"message": message}, status=status)


def _joined(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    messages.success(request, _("Welcome to %(name)s.") % {"name": invitation.coalition.name})
    return redirect("coalitions:overview", invitation.coalition_id)


@never_cache
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """A signed-in person joins with one click; a new person creates an account here first."""
    invitation = actions.invitation_for_token(token)
    if invitation is None:
        return _unusable(request, _("This invitation link is not valid. Check that you copied all of it."), 404)
    if not invitation.is_usable:
        return _unusable(request, InvitationUnusable(invitation).message, 410)
    if request.user.is_authenticated:
        return _accept_signed_in(request, invitation, token)
    return _sign_up(request, invitation, token)


def _accept_signed_in(request: HttpRequest, invitation: Invitation, token: str) -> HttpResponse:
    if request.method == "POST":
        try:
            actions.do_accept_invitation(request.user, token)
        except InvitationUnusable as refused:
            return _unusable(request, refused.message, 410)
        return _joined(request, invitation)
    return render(request, "accounts/accept_invitation.html", {"invitation": invitation, "form": None})


def _sign_up(request: HttpRequest, invitation: Invitation, token: str) -> HttpResponse:
    form = SignUpForm(request.POST or None, initial={"email": invitation.email})
    if request.method == "POST" and form.is_valid():
        try:
            signed_up = run_action(form, actions.do_sign_up_with_invitation, token, **form.account_fields())
        except InvitationUnusable as refused:
            return _unusable(request, refused.message, 410)
        if signed_up:
            login(request, signed_up.value, backend="django.contrib.auth.backends.ModelBackend")
            return _joined(request, invitation)
    return render(request, "accounts/accept_invitation.html", {"invitation": invitation, "form": form})
