"""The respondent's side, reached by a personal link (no login): read how answers are used, consent or
decline, answer, add a missing actor, withdraw."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coalition.core.forms import run_action_message
from coalition.network import actions
from coalition.network.forms import AddActorForm, ConsentForm, parse_answers
from coalition.network.models import (
    TRUST_ITEMS,
    VALUE_ITEMS,
    Frequency,
    RelationType,
    Respondent,
    Scale,
)


def _respondent(token: str) -> Respondent:
    respondent = actions.respondent_for_token(token)
    if respondent is None:
        raise Http404
    return respondent


def _no_referrer(response: HttpResponse) -> HttpResponse:
    # The link is personal: never leak it to another site through the Referer header. ("no-referrer"
    # would also make browsers send "Origin: null" with the forms, which CSRF protection rightly refuses.)
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "no-store"
    return response


def survey(request: HttpRequest, token: str) -> HttpResponse:
    respondent = _respondent(token)
    context = {"respondent": respondent, "survey": respondent.round, "token": token}
    if respondent.status != Respondent.Status.CONSENTED:
        context["form"] = ConsentForm()
        return _no_referrer(render(request, "network/survey_consent.html", context))
    answers = {a.target_id: a for a in respondent.answers.all()}
    others = list(respondent.round.actors.exclude(pk=respondent.actor_id).order_by("name"))
    context.update(
        {
            "rows": [(actor, answers.get(actor.pk)) for actor in others],
            "relation_types": RelationType.choices,
            "frequencies": Frequency.choices,
            "scale": Scale.choices,
            "trust_items": TRUST_ITEMS,
            "value_items": VALUE_ITEMS,
            "add_form": AddActorForm(),
        }
    )
    return _no_referrer(render(request, "network/survey_answer.html", context))


@require_POST
def consent(request: HttpRequest, token: str) -> HttpResponse:
    respondent = _respondent(token)
    form = ConsentForm(request.POST)
    if form.is_valid() and run_action_message(
        request, actions.do_consent, respondent, agrees_to_be_named=form.cleaned_data["agrees_to_be_named"]
    ):
        messages.success(request, _("Thank you. Your consent is recorded; you can withdraw at any time."))
    return redirect("network_survey:survey", token=token)


@require_POST
def decline(request: HttpRequest, token: str) -> HttpResponse:
    actions.do_decline(_respondent(token))
    messages.success(request, _("You have declined. Nothing about your organisation will appear on the map."))
    return redirect("network_survey:survey", token=token)


@require_POST
def withdraw(request: HttpRequest, token: str) -> HttpResponse:
    actions.do_withdraw(_respondent(token))
    messages.success(
        request, _("You have withdrawn. Your answers are deleted and your organisation is removed from the map.")
    )
    return redirect("network_survey:survey", token=token)


@require_POST
def answer(request: HttpRequest, token: str) -> HttpResponse:
    respondent = _respondent(token)
    actor_ids = list(respondent.round.actors.exclude(pk=respondent.actor_id).values_list("pk", flat=True))
    kept = run_action_message(request, actions.do_save_answers, respondent, parse_answers(request.POST, actor_ids))
    if kept:
        messages.success(request, _("Saved: you described %(count)s relationships.") % {"count": kept.value})
    return redirect("network_survey:survey", token=token)


@require_POST
def add_actor(request: HttpRequest, token: str) -> HttpResponse:
    respondent = _respondent(token)
    form = AddActorForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a name and a sector to add someone."))
        return redirect("network_survey:survey", token=token)
    added = run_action_message(request, actions.do_add_actor, respondent, **form.cleaned_data)
    if added:
        messages.success(request, _("%(name)s is now in the list below.") % {"name": added.value.name})
    return redirect("network_survey:survey", token=token)
