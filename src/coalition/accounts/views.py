from __future__ import annotations

from base64 import b32encode

import qrcode
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from qrcode.image.svg import SvgPathImage

from coalition.accounts import actions, emails, first_run, language, reauth, throttle, two_step
from coalition.accounts.forms import ConfirmPasswordForm, LanguageForm, NewCoordinatorForm, TwoStepForm
from coalition.accounts.reauth import recent_sign_in_required
from coalition.core.forms import run_action, run_action_message


class SignedInRequest(HttpRequest):
    """The request a ``login_required`` view receives: its user is signed in (for the type checker)."""

    user: User


class SignInView(auth_views.LoginView):
    """Sign-in. Django rotates the session key on login; django-axes counts failures per user+address."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        """Sign in, and show the pages in the language the person chose (if any) from the next one on."""
        return language.remember(super().form_valid(form), language.chosen(form.get_user()))

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        return {**super().get_context_data(**kwargs), "signup_open": first_run.signup_open()}


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
@login_required
def account(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own page: password and two-step sign-in."""
    context = {
        "two_step_device": two_step.confirmed_device(request.user),
        "two_step_verified": two_step.is_verified(request),
        "language_form": LanguageForm(initial={"language": language.chosen(request.user)}),
    }
    return render(request, "accounts/account.html", context)


@never_cache
@login_required
@require_POST
def set_language(request: SignedInRequest) -> HttpResponse:
    """Choose the language of one's pages and emails, from one's own page."""
    form = LanguageForm(request.POST)
    chosen = form.cleaned_data["language"] if form.is_valid() else request.POST.get("language", "")
    if not run_action_message(request, actions.do_set_language, request.user, chosen):
        return redirect("accounts:account")
    response = redirect("accounts:account")
    if chosen:
        with translation.override(chosen):
            messages.success(request, _("Pages and emails are now in the language you chose."))
        return language.remember(response, chosen)
    messages.success(request, _("Pages follow your browser's language again; emails are in the default language."))
    response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
    return response


def switch_language(request: HttpRequest) -> HttpResponse:
    """The header's language switcher (Django's ``set_language``); for someone signed in, also their choice for
    emails and their next sign-in."""
    response = i18n.set_language(request)
    chosen = request.POST.get("language", "")
    if request.method == "POST" and request.user.is_authenticated and check_for_language(chosen):
        run_action_message(request, actions.do_set_language, request.user, chosen)
    return response


@never_cache
@login_required
def change_password(request: SignedInRequest) -> HttpResponse:
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


# --- First run: self-service sign-up and email confirmation -------------------------------------------------------

HOUR = 60 * 60


def _slow_down(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/slow_down.html", status=429)


@never_cache
def sign_up(request: HttpRequest) -> HttpResponse:
    """A new coordinator creates an account (when ``COALITION_ALLOW_SIGNUP`` is on). Every accepted form gets the
    same answer, whether or not its address already has an account; robots filling the hidden field get it too."""
    if not first_run.signup_open():
        raise Http404
    if request.user.is_authenticated:
        return redirect("core:home")
    form = NewCoordinatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        address = request.META.get("REMOTE_ADDR", "")
        if not throttle.hit("sign-up", address, limit=settings.SIGNUP_RATE_PER_HOUR, window_seconds=HOUR):
            return _slow_down(request)
        if form.is_robot():
            return redirect("accounts:sign_up_sent")
        base_url = request.build_absolute_uri("/")
        if run_action(form, actions.do_request_sign_up, **form.account_fields(), base_url=base_url):
            return redirect("accounts:sign_up_sent")
    return render(request, "accounts/sign_up.html", {"form": form})


def sign_up_sent(request: HttpRequest) -> HttpResponse:
    if not first_run.signup_open():
        raise Http404
    hours = int(settings.EMAIL_CONFIRMATION_LIFETIME.total_seconds() // HOUR)
    return render(request, "accounts/sign_up_sent.html", {"hours": hours})


@never_cache
def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    """Opening the link shows a button; the address is confirmed only by pressing it (so that mail scanners that
    open links do not confirm anything)."""
    try:
        emails.read_token(token)
    except emails.BadConfirmation as bad:
        return _bad_confirmation(request, bad)
    if request.method != "POST":
        return render(request, "accounts/confirm_email.html")
    try:
        user, changed = actions.do_confirm_email(token)
    except emails.BadConfirmation as bad:
        return _bad_confirmation(request, bad)
    if changed:
        messages.success(request, _("Thank you: your address %(email)s is confirmed.") % {"email": user.email})
    else:
        messages.info(request, _("Your address was already confirmed."))
    if request.user.is_authenticated:
        return redirect("core:home")
    return redirect("accounts:login")


def _bad_confirmation(request: HttpRequest, bad: emails.BadConfirmation) -> HttpResponse:
    if bad.expired:
        message = _("This confirmation link has expired.")
    else:
        message = _("This confirmation link is not valid. Check that you copied all of it.")
    context = {"message": message, "signup_open": first_run.signup_open()}
    return render(request, "accounts/confirm_email_bad.html", context, status=410 if bad.expired else 404)


@never_cache
@login_required
@require_POST
def send_confirmation(request: HttpRequest) -> HttpResponse:
    """Email the signed-in person a link that confirms their address (a few times an hour at most)."""
    target = _next_url(request)
    key = str(request.user.pk)
    if not throttle.hit("confirmation", key, limit=settings.SIGNUP_RATE_PER_HOUR, window_seconds=HOUR):
        return _slow_down(request)
    if run_action_message(request, actions.do_send_email_confirmation, request.user, request.build_absolute_uri("/")):
        messages.success(
            request,
            _("We sent a confirmation link to %(email)s. Open it, then come back here.")
            % {"email": getattr(request.user, "email", "")},
        )
    return redirect(target)
