from __future__ import annotations

from base64 import b32encode

import qrcode
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from qrcode.image.svg import SvgPathImage

from coalition.accounts import actions, reauth, two_step
from coalition.accounts.forms import ConfirmPasswordForm, InvitationForm, SignUpForm, TwoStepForm
from coalition.accounts.models import Invitation
from coalition.accounts.reauth import recent_sign_in_required
from coalition.coalitions.access import Access, coalition_view, scoped_get
from coalition.core.forms import run_action, run_action_message
from coalition.core.permissions import Perm


class SignInView(auth_views.LoginView):
    """Sign-in. Django rotates the session key on login; django-axes counts failures per user+address."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def _next_url(request: HttpRequest) -> str:
    """Where to go after a confirmation: the ``next`` given, if it is on this site, else home."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("core:home")


@never_cache
@login_required
def confirm_password(request: HttpRequest) -> HttpResponse:
    """Ask for the password again before a sensitive request (see ``reauth``), then go on to it."""
    target = _next_url(request)
    form = ConfirmPasswordForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.do_confirm_password(request)
        return redirect(target)
    minutes = int(reauth.WINDOW.total_seconds() // 60)
    return render(request, "accounts/confirm_password.html", {"form": form, "next": target, "window_minutes": minutes})


@never_cache
@login_required
def two_step_code(request: HttpRequest) -> HttpResponse:
    """Ask for a one-time code; the first time, show the key to add to an authenticator app (see ``two_step``)."""
    target = _next_url(request)
    device = two_step.confirmed_device(request.user)
    setting_up = device is None
    if device is None:
        device = two_step.pending_device(request.user)
    form = TwoStepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if actions.do_verify_two_step(request, device, form.cleaned_data["code"]):
            return redirect(target)
        form.add_error("code", _("That code is not right or was already used. Wait for the next one and try again."))
    context: dict[str, object] = {"form": form, "next": target, "setting_up": setting_up}
    if setting_up:
        key = b32encode(device.bin_key).decode()
        context["key"] = " ".join(key[i : i + 4] for i in range(0, len(key), 4))
        context["qr_code"] = mark_safe(  # noqa: S308 - an SVG drawn by qrcode from our own link
            qrcode.make(device.config_url, image_factory=SvgPathImage, box_size=8).to_string(encoding="unicode")
        )
    return render(request, "accounts/two_step.html", context)


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
        return _unusable(request, actions.InvitationUnusable(invitation).message, 410)
    if request.user.is_authenticated:
        return _accept_signed_in(request, invitation, token)
    return _sign_up(request, invitation, token)


def _accept_signed_in(request: HttpRequest, invitation: Invitation, token: str) -> HttpResponse:
    if request.method == "POST":
        try:
            actions.do_accept_invitation(request.user, token)
        except actions.InvitationUnusable as refused:
            return _unusable(request, refused.message, 410)
        return _joined(request, invitation)
    return render(request, "accounts/accept_invitation.html", {"invitation": invitation, "form": None})


def _sign_up(request: HttpRequest, invitation: Invitation, token: str) -> HttpResponse:
    form = SignUpForm(request.POST or None, initial={"email": invitation.email})
    if request.method == "POST" and form.is_valid():
        try:
            signed_up = run_action(form, actions.do_sign_up_with_invitation, token, **form.account_fields())
        except actions.InvitationUnusable as refused:
            return _unusable(request, refused.message, 410)
        if signed_up:
            login(request, signed_up.value, backend="django.contrib.auth.backends.ModelBackend")
            return _joined(request, invitation)
    return render(request, "accounts/accept_invitation.html", {"invitation": invitation, "form": form})


@never_cache
@login_required
def account(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own page: password and two-step sign-in."""
    context = {
        "two_step_device": two_step.confirmed_device(request.user),
        "two_step_verified": two_step.is_verified(request),
    }
    return render(request, "accounts/account.html", context)


@never_cache
@login_required
def change_password(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.do_change_password(request, form)
        messages.success(
            request, _("Your password was changed. Any other place you were signed in has been signed out.")
        )
        return redirect("accounts:account")
    return render(request, "accounts/password_change.html", {"form": form})


@never_cache
@login_required
@require_POST
@recent_sign_in_required
def replace_two_step(request: HttpRequest) -> HttpResponse:
    actions.do_replace_two_step(request)
    messages.success(request, _("Your authenticator app was removed. Add the new one now."))
    return reauth.detour("accounts:two_step", reverse("accounts:account"))
