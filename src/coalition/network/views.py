"""The hub's and members' screens for relationship mapping. Names are revealed only to those who
manage surveys; members see actors who did not agree to be named as a number and a sector."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from coalition.accounts import reauth
from coalition.coalitions.access import Access, coalition_view, scoped_get
from coalition.core.fields import parse_ids
from coalition.core.forms import run_action, run_action_message
from coalition.core.permissions import Perm
from coalition.core.tabular import csv_response
from coalition.measurement import charts
from coalition.network import actions, diagram, metrics, queries
from coalition.network.forms import AddStakeholdersForm, RoundForm, RoundSettingsForm
from coalition.network.models import RATING_FIELDS, RelationType, Respondent, SurveyRound
from coalition.network.rules import ANSWERS_SHARED, ROUND_IS_OUT
from coalition.stakeholders.models import Sector

SIZE_MEASURES = {
    "degree": gettext_lazy("Number of ties"),
    "in_degree": gettext_lazy("Named by others (in-degree)"),
    "betweenness": gettext_lazy("Brokerage (betweenness)"),
}
NEW_LINKS_SESSION_KEY = "network_new_links"


def _reveal(access: Access) -> bool:
    return access.can(Perm.MANAGE_SURVEYS)


def _relation(request: HttpRequest) -> str | None:
    value = request.GET.get("relation") or None
    return value if value in RelationType.values else None


@coalition_view(Perm.VIEW_NETWORK)
def rounds(request: HttpRequest, access: Access) -> HttpResponse:
    qs = SurveyRound.objects.filter(coalition=access.coalition)
    if not _reveal(access):
        qs = qs.exclude(status=SurveyRound.Status.DRAFT)
    summaries = []
    for survey in qs:
        counts = dict.fromkeys(Respondent.Status.values, 0)
        for status in survey.respondents.values_list("status", flat=True):
            counts[status] += 1
        summaries.append({"round": survey, "counts": counts, "invited": sum(counts.values())})
    return render(
        request,
        "network/rounds.html",
        {"summaries": summaries, "can_manage": _reveal(access), "can_compare": qs.count() >= 2},
    )


@coalition_view(Perm.MANAGE_SURVEYS)
def round_create(request: HttpRequest, access: Access) -> HttpResponse:
    form = RoundForm(request.POST or None, coalition=access.coalition)
    if request.method == "GET" and access.organisation_id:
        form.initial.setdefault("hub_organisation", access.organisation_id)
    if request.method == "POST" and form.is_valid():
        created = run_action(form, actions.do_create_round, access.user, access.coalition, **form.cleaned_data)
        if created:
            messages.success(request, _("Round prepared. Now give respondents their links and open it."))
            return redirect("network:respondents", coalition_id=access.coalition.pk, round_id=created.value.pk)
    return render(request, "network/round_form.html", {"form": form})


def _round(access: Access, round_id: int) -> SurveyRound:
    return scoped_get(access, SurveyRound, pk=round_id)


@coalition_view(Perm.MANAGE_SURVEYS)
def respondents(request: HttpRequest, access: Access, round_id: int) -> HttpResponse:
    survey = scoped_get(access, SurveyRound, pk=round_id)
    new_links = request.session.pop(NEW_LINKS_SESSION_KEY, {}).get(str(survey.pk), {})
    rows = []
    for actor in survey.actors.select_related("respondent").order_by("name"):
        respondent = getattr(actor, "respondent", None)
        token = new_links.get(str(actor.pk))
        rows.append(
            {
                "actor": actor,
                "respondent": respondent,
                "link": request.build_absolute_uri(reverse("network_survey:survey", args=[token])) if token else "",
            }
        )
    return render(
        request,
        "network/respondents.html",
        {
            "survey": survey,
            "rows": rows,
            "add_form": AddStakeholdersForm(survey=survey),
            "settings_form": RoundSettingsForm(
                initial={"name": survey.name, "hub_sees_answers": survey.hub_sees_answers}
            ),
        },
    )


@require_POST
@coalition_view(Perm.MANAGE_SURVEYS)
def issue_links(request: HttpRequest, access: Access, round_id: int) -> HttpResponse:
    survey = scoped_get(access, SurveyRound, pk=round_id)
    ids = parse_ids(request.POST.getlist("actor"))
    chosen = list(survey.actors.filter(pk__in=ids, stakeholder__isnull=False))
    if not chosen:
        messages.error(request, _("Tick at least one actor to give a link to."))
    else:
        issued = run_action_message(request, actions.do_issue_links, access.user, survey, chosen)
        if issued:
            request.session[NEW_LINKS_SESSION_KEY] = {str(survey.pk): {str(k): v for k, v in issued.value.items()}}
            messages.success(
                request, _("New links are shown below once only. Copy them now and send each one privately.")
            )
    return redirect("network:respondents", coalition_id=access.coalition.pk, round_id=survey.pk)


@require_POST
@coalition_view(Perm.MANAGE_SURVEYS)
def add_actors(request: HttpRequest, access: Access, round_id: int) -> HttpResponse:
    survey = scoped_get(access, SurveyRound, pk=round_id)
    form = AddStakeholdersForm(request.POST, survey=survey)
    if form.is_valid():
        added = run_action_message(
            request, actions.do_add_round_actors, access.user, survey, form.cleaned_data["stakeholders"]
        )
        if added:
            messages.success(request, _("%(count)s actors added.") % {"count": len(added.value)})
    else:
        messages.error(request, _("Tick the stakeholders to add."))
    return redirect("network:respondents", coalition_id=access.coalition.pk, round_id=survey.pk)


@require_POST
@coalition_view(Perm.MANAGE_SURVEYS)
def round_settings(request: HttpRequest, access: Access, round_id: int) -> HttpResponse:
    survey = scoped_get(access, SurveyRound, pk=round_id)
    form = RoundSettingsForm(request.POST)
    if form.is_valid():
        if run_action_message(request, actions.do_update_round, access.user, survey, **form.cleaned_data):
            messages.success(request, _("Round settings saved."))
    else:
        messages.error(request, _("Give the round a name."))
    return redirect("network:respondents", coalition_id=access.coalition.pk, round_id=survey.pk)


@require_POST
@coalition_view(Perm.MANAGE_SURVEYS)
def round_status(request: HttpRequest, access: Access, round_id: int) -> HttpResponse:
    survey = scoped_get(access, SurveyRound, pk=round_id)
    if request.POST.get("to") == "close":
        if run_action_message(request, actions.do_close_round, access.user, survey):
            messages.success(request, _("Round closed. Its answers can no longer change, except by withdrawal."))
    elif run_action_message(request, actions.do_open_round, access.user, survey):
        messages.success(request, _("Round open: respondents can now answer with their links."))
    return redirect("network:respondents", coalition_id=access.coalition.pk, round_id=survey.pk)


def _analysis_context(request: HttpRequest, access: Access, survey: SurveyRound) -> dict[str, Any]:
    relation = _relation(request)
    analysis = queries.analyse(survey, reveal_names=_reveal(access), relation=relation)
    return {
        "survey": survey,
        "analysis": analysis,
        "m": analysis.result,
        "relation": relation or "",
        "relation_types": RelationType.choices,
        "can_manage": _reveal(access),
    }


@coalition_view(Perm.VIEW_NETWORK, rules=(ROUND_IS_OUT,))
def round_metrics(request: HttpRequest, access: Access, round_id: int) -> HttpResponse:
    survey = _round(access, round_id)
    context = _analysis_context(request, access, survey)
    analysis: queries.Analysis = context["analysis"]
    labels: dict[metrics.Node, str] = {a.id: analysis.data.label(a.id) for a in analysis.data.actors}
    context.update(
        {
            "brokers": analysis.top("betweenness"),
            "most_named": analysis.top("in_degree"),
            "suggestions": analysis.suggestions(),
            "communities": [[labels[i] for i in group] for group in analysis.result.communities],
            "min_raters": queries.MIN_RATERS,
        }
    )
    return render(request, "network/metrics.html", context)


@coalition_view(Perm.VIEW_NETWORK, rules=(ROUND_IS_OUT,))
def round_diagram(request: HttpRequest, access: Access, round_id: int) -> HttpResponse:
    survey = _round(access, round_id)
    context = _analysis_context(request, access, survey)
    analysis: queries.Analysis = context["analysis"]
    data = analysis.data
    size = request.GET.get("size", "")
    size_by = size if size in SIZE_MEASURES else "degree"
    nodes = [a.id for a in data.actors]
    all_pairs = sorted(tuple(sorted(p)) for p in metrics.undirected_pairs(data.ties()))
    layout = diagram.cached_layout(queries.round_key(survey), nodes, all_pairs)
    values = getattr(analysis.result, size_by)
    top = max(values.values(), default=0) or 1
    shown_pairs = sorted(tuple(sorted(p)) for p in metrics.undirected_pairs(analysis.ties))
    labels = {a.id: data.label(a.id) for a in data.actors}
    hub_actor = data.hub_actor_id
    svg = diagram.render_svg(
        layout=layout,
        labels=labels,
        sectors={a.id: a.sector for a in data.actors},
        sizes={n: v / top for n, v in values.items()},
        pairs=shown_pairs,
        title=_("Network of %(round)s: %(actors)s actors, %(ties)s ties")
        % {"round": survey.name, "actors": len(nodes), "ties": len(shown_pairs)},
        highlight=hub_actor,
    )
    present = sorted({a.sector for a in data.actors})
    context.update(
        {
            "svg": svg,
            "size_by": size_by,
            "size_label": SIZE_MEASURES[size_by],
            "labelled": diagram.LABELLED,
            "size_measures": SIZE_MEASURES.items(),
            "legend": [(diagram.SECTOR_COLOURS.get(s, diagram.DEFAULT_COLOUR), Sector(s).label) for s in present],
            "rows": sorted(analysis.rows(), key=lambda r: (-r[size_by], r["label"]))[:50],
            "hub_label": labels.get(hub_actor) if hub_actor else "",
        }
    )
    return render(request, "network/diagram.html", context)


@coalition_view(Perm.MANAGE_SURVEYS, rules=(ANSWERS_SHARED,))
def answers(request: HttpRequest, access: Access, round_id: int) -> HttpResponse:
    """Who said what about whom: only where the round told respondents the hub may read it."""
    survey = scoped_get(access, SurveyRound, pk=round_id)
    rows = queries.visible_answers(survey).select_related("respondent__actor", "target")
    if request.GET.get("format") == "csv":
        return csv_response(
            f"network-answers-{survey.pk}.csv",
            ["respondent", "about", *RelationType.values, "frequency", *RATING_FIELDS],
            (
                [
                    a.respondent.actor.name,
                    a.target.name,
                    *[getattr(a, t) for t in RelationType.values],
                    a.frequency,
                    *[getattr(a, f) for f in RATING_FIELDS],
                ]
                for a in rows
            ),
        )
    return render(
        request,
        "network/answers.html",
        {"survey": survey, "answers": rows, "relation_types": RelationType.choices, "rating_fields": RATING_FIELDS},
    )


def _confirm_if_named(request: HttpRequest, access: Access) -> HttpResponse | None:
    """An export that names actors asks for the password again unless the sign-in is recent."""
    return reauth.prompt(request) if _reveal(access) else None


@coalition_view(Perm.VIEW_NETWORK, rules=(ROUND_IS_OUT,))
def export_actors(request: HttpRequest, access: Access, round_id: int) -> HttpResponse:
    survey = _round(access, round_id)
    if confirm := _confirm_if_named(request, access):
        return confirm
    analysis = queries.analyse(survey, reveal_names=_reveal(access), relation=_relation(request))
    return csv_response(
        f"network-actors-{survey.pk}.csv",
        ["actor", "sector", "member", "ties", "named_by", "betweenness", "reach", "trust", "value"],
        (
            [
                r["label"],
                r["sector_label"],
                "yes" if r["is_member"] else "no",
                r["degree"],
                r["in_degree"],
                round(r["betweenness"], 4),
                round(r["reach"], 4),
                "" if r["trust"] is None else round(r["trust"], 2),
                "" if r["value"] is None else round(r["value"], 2),
            ]
            for r in analysis.rows()
        ),
    )


@coalition_view(Perm.VIEW_NETWORK, rules=(ROUND_IS_OUT,))
def export_ties(request: HttpRequest, access: Access, round_id: int) -> HttpResponse:
    """Combined ties (who is connected to whom, with the relationship types either side reported)."""
    survey = _round(access, round_id)
    if confirm := _confirm_if_named(request, access):
        return confirm
    data = queries.load_round(survey, reveal_names=_reveal(access))
    combined: dict[frozenset, set[str]] = {}
    for report in data.reports:
        if report.types:
            combined.setdefault(frozenset((report.source, report.target)), set()).update(report.types)
    rows = sorted((sorted((data.label(a) for a in pair)), types) for pair, types in combined.items())
    return csv_response(
        f"network-ties-{survey.pk}.csv",
        ["actor_a", "actor_b", *RelationType.values],
        ([a, b, *["yes" if t in types else "" for t in RelationType.values]] for (a, b), types in rows),
    )


def _hub_chart(rows: list[dict[str, Any]], relation: str) -> SafeString:
    """The hub's place and the network's shape round by round, every line a share in per cent (one unit, one axis)."""
    measures = (
        (_("Hub's direct ties"), "degree_share"),
        (_("Hub betweenness"), "betweenness"),
        (_("Centralisation"), "centralisation"),
        (_("Density"), "density"),
    )
    series = [
        (str(label), [None if r[key] is None else round(Decimal(100 * r[key]), 1) for r in rows])
        for label, key in measures
    ]
    return charts.chart(
        "line",
        _("The hub's place and the network's shape by round, in per cent"),
        [r["round"].name for r in rows],
        series,
        uid=f"hub-{relation or 'any'}",
        y_title=_("per cent"),
        range=(0, 100),
    )


@coalition_view(Perm.VIEW_NETWORK)
def compare(request: HttpRequest, access: Access) -> HttpResponse:
    qs = SurveyRound.objects.filter(coalition=access.coalition).exclude(status=SurveyRound.Status.DRAFT)
    available = list(qs.order_by("created_at", "id"))
    context: dict[str, Any] = {"available": available}
    if len(available) < 2:
        return render(request, "network/compare.html", context)
    by_id = {str(r.pk): r for r in available}
    first = by_id.get(request.GET.get("a", ""), available[-2])
    second = by_id.get(request.GET.get("b", ""), available[-1])
    relation = _relation(request)
    reveal = _reveal(access)
    before = queries.analyse(first, reveal_names=reveal, relation=relation)
    after = queries.analyse(second, reveal_names=reveal, relation=relation)
    hub_over_time = [
        queries.analyse(survey, reveal_names=reveal, relation=relation).hub_place() for survey in available
    ]
    context.update(
        {
            "first": first,
            "second": second,
            "before": before.result,
            "after": after.result,
            "change": queries.compare_rounds(before, after),
            "hub_over_time": hub_over_time,
            "hub_chart": _hub_chart(hub_over_time, relation or ""),
            "relation": relation or "",
            "relation_types": RelationType.choices,
        }
    )
    return render(request, "network/compare.html", context)
