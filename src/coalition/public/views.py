"""The hub's screen for the public page: its address, the sections opted in to, publishing, and which member
organisations agreed to be listed. Thin: forms parse, actions write."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coalition.coalitions.access import Access, coalition_view
from coalition.core.forms import render_form, run_action, run_action_message, submitted
from coalition.core.permissions import Perm
from coalition.public import actions
from coalition.public.forms import ListingForm, PublicPageForm, member_organisations
from coalition.public.models import PublicPage
from coalition.stakeholders import actions as stakeholder_actions


@coalition_view(Perm.MANAGE_PUBLIC_PAGE)
def page_settings(request: HttpRequest, access: Access) -> HttpResponse:
    coalition = access.coalition
    page = PublicPage.objects.filter(coalition=coalition).first()
    initial = {} if page is not None else {"slug": actions.suggested_slug(coalition)}
    form = PublicPageForm(request.POST or None, instance=page, initial=initial)
    if submitted(request, form):
        saved = run_action(
            form,
            actions.do_save_public_page,
            request.user,
            coalition,
            slug=form.cleaned_data["slug"],
            introduction=form.cleaned_data["introduction"],
            sections=form.cleaned_data["sections"],
            decisions_shown=form.cleaned_data["decisions_shown"],
        )
        if saved:
            messages.success(request, _("The public page settings are saved."))
            return redirect("public:settings", coalition.pk)
    context = {
        "form": form,
        "page": page,
        "listing_form": ListingForm(coalition=coalition),
        "organisations": member_organisations(coalition),
    }
    return render_form(request, "public/settings.html", context)


@require_POST
@coalition_view(Perm.MANAGE_PUBLIC_PAGE)
def page_publish(request: HttpRequest, access: Access) -> HttpResponse:
    page = PublicPage.objects.filter(coalition=access.coalition).first()
    if page is None:
        messages.error(request, _("Save the page's settings before publishing it."))
    elif request.POST.get("state") == "unpublished":
        if run_action_message(request, actions.do_unpublish_public_page, request.user, page):
            messages.success(request, _("The public page is taken down."))
    elif run_action_message(request, actions.do_publish_public_page, request.user, page):
        messages.success(request, _("The public page is published."))
    return redirect("public:settings", access.coalition.pk)


@require_POST
@coalition_view(Perm.MANAGE_PUBLIC_PAGE)
def listing(request: HttpRequest, access: Access) -> HttpResponse:
    form = ListingForm(request.POST, coalition=access.coalition)
    if not form.is_valid():
        messages.error(request, _("Choose a member organisation and a valid date."))
    else:
        organisation, agreed_on = form.cleaned_data["organisation"], form.cleaned_data["agreed_on"]
        done = run_action_message(
            request, stakeholder_actions.do_record_public_listing, request.user, organisation, agreed_on
        )
        if done and agreed_on:
            messages.success(request, _("%(name)s is listed on the public page.") % {"name": organisation.name})
        elif done:
            messages.success(request, _("%(name)s is no longer listed.") % {"name": organisation.name})
    return redirect("public:settings", access.coalition.pk)
