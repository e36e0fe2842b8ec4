"""Learning screens: pauses (held from the live evidence, then frozen), adaptations and their log, the
brief, stories of change with consent, selection rounds, outcomes. Thin: forms parse, actions write,
``queries`` reads; every reading of stories goes through ``queries.stories``/``selections`` (consent)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coalition.coalitions.access import Access, coalition_view, scoped_get
from coalition.core.forms import render_form, run_action, run_action_message, submitted
from coalition.core.listing import paginate, render_list
from coalition.core.permissions import Perm
from coalition.core.tabular import csv_response, xlsx_response
from coalition.learning import actions, brief, evidence, queries
from coalition.learning.forms import (
    AdaptationForm,
    ConsentForm,
    DomainForm,
    OutcomeFilterForm,
    OutcomeForm,
    PauseForm,
    PeriodForm,
    RoundForm,
    SettingsForm,
    StoryForm,
)
from coalition.learning.models import OUTCOME_FIELDS, Adaptation, Outcome, Pause, SelectionRound, StoryDomain

VIEW, RUN = Perm.VIEW_LEARNING, Perm.RUN_LEARNING
PAGE_SIZE = 25


def _pause(access: Access, pause_id: int) -> Pause:
    return scoped_get(access, Pause.objects.select_related("meeting"), pk=pause_id)


# ------------------------------------------------------------------------------------------------- pauses


@coalition_view(VIEW)
def pause_list(request: HttpRequest, access: Access) -> HttpResponse:
    page, query = paginate(request, Pause.objects.filter(coalition=access.coalition), PAGE_SIZE)
    context = {
        "page": page,
        "query": query,
        "can_run": access.can(RUN),
        "next_due": queries.next_pause_due(access.coalition),
        "interval": queries.interval_weeks(access.coalition),
        "today": timezone.localdate(),
    }
    return render_list(request, "learning/pause_list.html", "learning/_pause_results.html", context)


@coalition_view(VIEW, write=RUN)
def learning_settings(request: HttpRequest, access: Access) -> HttpResponse:
    form = SettingsForm(request.POST or None, initial={"interval_weeks": queries.interval_weeks(access.coalition)})
    if submitted(request, form) and run_action(
        form, actions.do_save_settings, request.user, access.coalition, **form.cleaned_data
    ):
        messages.success(request, _("Learning settings saved."))
        return redirect("learning:pauses", access.coalition.pk)
    return render_form(request, "learning/settings.html", {"form": form})


@coalition_view(RUN)
def pause_new(request: HttpRequest, access: Access) -> HttpResponse:
    """The evidence as it stands for the chosen period, and the form that holds the pause (freezing it)."""
    today = timezone.localdate()
    start, end = queries.default_period(access.coalition, today)
    period = PeriodForm(request.GET or None, initial={"period_start": start, "period_end": end})
    if period.is_valid() and period.cleaned_data["period_start"] <= period.cleaned_data["period_end"]:
        start, end = period.cleaned_data["period_start"], period.cleaned_data["period_end"]
    form = PauseForm(
        request.POST or None,
        coalition=access.coalition,
        initial={"period_start": start, "period_end": end, "participants": [access.membership.pk]},
    )
    if submitted(request, form):
        data = dict(form.cleaned_data)
        held = run_action(form, actions.do_hold_pause, request.user, access.coalition, **data)
        if held:
            messages.success(request, _("Learning pause recorded; the evidence is kept as it stood today."))
            return redirect("learning:pause", access.coalition.pk, held.value.pk)
    live = evidence.collect(access.coalition, start, end)
    return render_form(request, "learning/pause_new.html", {"form": form, "period": period, "evidence": live})


@coalition_view(VIEW)
def pause_detail(request: HttpRequest, access: Access, pause_id: int) -> HttpResponse:
    pause = _pause(access, pause_id)
    share_url = (
        request.build_absolute_uri(reverse("learning_brief:brief", kwargs={"token": pause.share_token}))
        if pause.share_token and access.can(RUN)
        else ""
    )
    context = {
        "pause": pause,
        "evidence": pause.evidence,
        "participants": pause.participants.select_related("user"),
        "adaptations": pause.adaptations.all(),
        "can_run": access.can(RUN),
        "share_url": share_url,
    }
    return TemplateResponse(request, "learning/pause_detail.html", context)


@coalition_view(RUN)
def adapt(request: HttpRequest, access: Access, pause_id: int) -> HttpResponse:
    pause = _pause(access, pause_id)
    initial = {"kind": request.GET.get("kind", Adaptation.Kind.ACTION_DATES)}
    form = AdaptationForm(request.POST or None, coalition=access.coalition, initial=initial)
    if submitted(request, form) and run_action(form, actions.do_adapt, access, pause, **form.change()):
        messages.success(request, _("Adaptation agreed and applied."))
        return redirect("learning:pause", access.coalition.pk, pause.pk)
    return render_form(request, "learning/adapt.html", {"form": form, "pause": pause})


@coalition_view(VIEW)
def adaptation_log(request: HttpRequest, access: Access) -> HttpResponse:
    kind = request.GET.get("kind", "")
    kind = kind if kind in Adaptation.Kind.values else ""
    page, query = paginate(request, queries.adaptation_log(access.coalition, kind), PAGE_SIZE)
    context = {"page": page, "query": query, "kinds": Adaptation.Kind.choices, "kind": kind}
    return render_list(request, "learning/adaptation_log.html", "learning/_adaptation_results.html", context)


def _brief_response(request: HttpRequest, pause: Pause) -> HttpResponse:
    pdf, _pages = brief.render_pdf(pause, request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="learning-brief-{pause.held_on:%Y-%m-%d}.pdf"'
    return response


@coalition_view(VIEW)
def brief_pdf(request: HttpRequest, access: Access, pause_id: int) -> HttpResponse:
    return _brief_response(request, _pause(access, pause_id))


@require_POST
@coalition_view(RUN)
def brief_share(request: HttpRequest, access: Access, pause_id: int) -> HttpResponse:
    pause = _pause(access, pause_id)
    if request.POST.get("revoke"):
        if run_action_message(request, actions.do_revoke_brief, request.user, pause):
            messages.success(request, _("The shared link no longer works."))
    elif run_action_message(request, actions.do_share_brief, request.user, pause):
        messages.success(request, _("A new link to the brief is ready; any older link no longer works."))
    return redirect("learning:pause", access.coalition.pk, pause.pk)


def shared_brief(request: HttpRequest, token: str) -> HttpResponse:
    """The brief by its revocable link (no session needed); a revoked or unknown link answers 404."""
    if len(token) < 16:
        raise Http404
    pause = Pause.objects.filter(share_token=token).select_related("coalition").first()
    if pause is None:
        raise Http404
    response = _brief_response(request, pause)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


# ------------------------------------------------------------------------------------------------ stories


@coalition_view(VIEW)
def story_list(request: HttpRequest, access: Access) -> HttpResponse:
    domain = request.GET.get("domain", "")
    found = queries.stories(access.coalition, "internal")
    if domain.isdigit():
        found = found.filter(domain_id=int(domain))
    page, query = paginate(request, found, PAGE_SIZE)
    context = {
        "page": page,
        "query": query,
        "domains": StoryDomain.objects.filter(coalition=access.coalition),
        "domain": domain,
        "rounds": SelectionRound.objects.filter(coalition=access.coalition)[:20],
        "can_run": access.can(RUN),
    }
    return render_list(request, "learning/story_list.html", "learning/_story_results.html", context)


@coalition_view(VIEW)
def story_new(request: HttpRequest, access: Access) -> HttpResponse:
    form = StoryForm(request.POST or None, coalition=access.coalition, initial={"told_on": timezone.localdate()})
    if submitted(request, form):
        fields = dict(form.cleaned_data)
        if run_action(form, actions.do_submit_story, request.user, access.coalition, **fields):
            messages.success(request, _("Thank you: the story is recorded."))
            return redirect("learning:stories", access.coalition.pk)
    return render_form(request, "learning/story_form.html", {"form": form})


@coalition_view(VIEW, write=RUN)
def story_detail(request: HttpRequest, access: Access, story_id: int) -> HttpResponse:
    """A story (only while its storyteller consents to internal reading); the hub records consent changes."""
    story = scoped_get(access, queries.stories(access.coalition, "internal"), pk=story_id)
    form = ConsentForm(request.POST or None, instance=story)
    if submitted(request, form) and run_action(form, actions.do_set_consent, request.user, story, **form.cleaned_data):
        messages.success(request, _("Consent updated: every view and export follows it from now on."))
        return redirect("learning:stories", access.coalition.pk)
    return render_form(
        request, "learning/story_detail.html", {"form": form, "story": story, "can_run": access.can(RUN)}
    )


@coalition_view(VIEW, write=RUN)
def domains(request: HttpRequest, access: Access) -> HttpResponse:
    form = DomainForm(request.POST or None)
    if submitted(request, form) and run_action(
        form, actions.do_save_domain, request.user, access.coalition, **form.cleaned_data
    ):
        messages.success(request, _("Domain added."))
        return redirect("learning:domains", access.coalition.pk)
    context = {
        "form": form,
        "domains": StoryDomain.objects.filter(coalition=access.coalition),
        "can_run": access.can(RUN),
    }
    return render_form(request, "learning/domains.html", context)


STORY_HEADER = ("domain", "title", "story", "storyteller", "told on", "public")


@coalition_view(VIEW)
def story_export(request: HttpRequest, access: Access) -> HttpResponse:
    rows = (
        [s.domain.name, s.title, s.text, s.shown_name, s.told_on.isoformat(), "yes" if s.consent_public else "no"]
        for s in queries.stories(access.coalition, "internal")
    )
    return csv_response("stories.csv", STORY_HEADER, rows)


@coalition_view(RUN)
def round_new(request: HttpRequest, access: Access) -> HttpResponse:
    available = queries.stories(access.coalition, "internal")
    grouped = [
        (d, [s for s in available if s.domain_id == d.pk])
        for d in StoryDomain.objects.filter(coalition=access.coalition)
    ]
    grouped = [(d, found) for d, found in grouped if found]
    form = RoundForm(request.POST or None, domains=grouped, initial={"held_on": timezone.localdate()})
    if submitted(request, form):
        fields = {k: form.cleaned_data[k] for k in ("title", "held_on", "panel")}
        made = run_action(
            form, actions.do_record_selection, request.user, access.coalition, picks=form.picks(), **fields
        )
        if made:
            messages.success(request, _("Selection recorded."))
            return redirect("learning:round", access.coalition.pk, made.value.pk)
    return render_form(request, "learning/round_form.html", {"form": form})


@coalition_view(VIEW)
def round_detail(request: HttpRequest, access: Access, round_id: int) -> HttpResponse:
    selection_round = scoped_get(access, SelectionRound, pk=round_id)
    picks = queries.selections(access.coalition, "internal").filter(round=selection_round)
    return TemplateResponse(request, "learning/round_detail.html", {"round": selection_round, "picks": picks})


# ----------------------------------------------------------------------------------------------- outcomes


def _outcome_filter(request: HttpRequest, access: Access) -> tuple[OutcomeFilterForm, queries.OutcomeFilter]:
    form = OutcomeFilterForm(request.GET or None, coalition=access.coalition)
    if not form.is_valid():
        return form, queries.OutcomeFilter()
    data = form.cleaned_data
    return form, queries.OutcomeFilter(
        q=(data.get("q") or "").strip(),
        priority=data["priority"].pk if data.get("priority") else None,
        indicator=data["indicator"].pk if data.get("indicator") else None,
        since=data.get("since"),
        until=data.get("until"),
    )


@coalition_view(VIEW)
def outcome_list(request: HttpRequest, access: Access) -> HttpResponse:
    form, filters = _outcome_filter(request, access)
    page, query = paginate(request, queries.outcomes(access.coalition, filters), PAGE_SIZE)
    context = {"page": page, "query": query, "filter_form": form, "can_run": access.can(RUN)}
    return render_list(request, "learning/outcome_list.html", "learning/_outcome_results.html", context)


def _outcome_form(request: HttpRequest, access: Access, outcome: Outcome | None) -> HttpResponse:
    initial = {"happened_on": timezone.localdate()} if outcome is None else {}
    form = OutcomeForm(request.POST or None, instance=outcome, coalition=access.coalition, initial=initial)
    if submitted(request, form):
        data = dict(form.cleaned_data)
        links = {"priorities": data.pop("priorities"), "indicators": data.pop("indicators")}
        fields = {name: data[name] for name in OUTCOME_FIELDS}
        if run_action(
            form, actions.do_save_outcome, request.user, access.coalition, outcome=outcome, **links, **fields
        ):
            messages.success(request, _("Outcome saved."))
            return redirect("learning:outcomes", access.coalition.pk)
    return render_form(request, "learning/outcome_form.html", {"form": form, "outcome": outcome})


@coalition_view(RUN)
def outcome_new(request: HttpRequest, access: Access) -> HttpResponse:
    return _outcome_form(request, access, None)


@coalition_view(RUN)
def outcome_edit(request: HttpRequest, access: Access, outcome_id: int) -> HttpResponse:
    return _outcome_form(request, access, scoped_get(access, Outcome, pk=outcome_id))


OUTCOME_HEADER = (
    "what changed",
    "social actor",
    "when",
    "where",
    "significance",
    "contribution",
    "sources",
    "confirmed by",
    "how confirmed",
    "priorities",
    "indicators",
)


def outcome_rows(found: Any) -> Any:
    for o in found:
        yield [
            o.description,
            o.social_actor,
            o.happened_on.isoformat(),
            o.place,
            o.significance,
            o.contribution,
            o.sources,
            o.substantiated_by,
            o.substantiation,
            "; ".join(p.title for p in o.priorities.all()),
            "; ".join(i.name for i in o.indicators.all()),
        ]


@coalition_view(VIEW)
def outcome_export(request: HttpRequest, access: Access) -> HttpResponse:
    _form, filters = _outcome_filter(request, access)
    rows = outcome_rows(queries.outcomes(access.coalition, filters))
    stamp = dt.date.today().isoformat()
    if request.GET.get("format") == "xlsx":
        return xlsx_response(f"outcomes-{stamp}.xlsx", OUTCOME_HEADER, rows)
    return csv_response(f"outcomes-{stamp}.csv", OUTCOME_HEADER, rows)
