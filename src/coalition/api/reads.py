"""Read operations for the later domains (network, plans, meetings, decisions, funding, feedback, learning,
cohesion), each through the query functions and declared rules of its screens. Where a screen shows only
aggregates (network measures, poll totals, health-check means) the API answers only those."""

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from coalition.api import schemas
from coalition.api.base import ERRORS, api
from coalition.api.declare import requires
from coalition.coalitions.access import Access, scoped_get
from coalition.cohesion import queries as cohesion_queries
from coalition.cohesion import results as cohesion_results
from coalition.cohesion.models import HealthCheck
from coalition.core.permissions import Perm
from coalition.decisions import log as decision_log
from coalition.decisions import queries as decision_queries
from coalition.decisions.models import Poll
from coalition.feedback import queries as feedback_queries
from coalition.feedback.models import Feedback
from coalition.funding import calc as funding_calc
from coalition.funding import ledger
from coalition.funding import queries as funding_queries
from coalition.funding.models import Award
from coalition.joint_action.models import Action, JointActionPlan
from coalition.learning import queries as learning_queries
from coalition.learning.models import OUTCOME_FIELDS, Pause
from coalition.meetings import calc as meeting_calc
from coalition.meetings import queries as meeting_queries
from coalition.meetings import rules as meeting_rules
from coalition.meetings.models import Meeting
from coalition.network import queries as network_queries
from coalition.network.models import RelationType, Respondent, SurveyRound
from coalition.network.rules import ROUND_IS_OUT


def _access(request: HttpRequest) -> Access:
    access: Access = request.access  # type: ignore[attr-defined]
    return access


def _money(amount: Decimal) -> str:
    return f"{amount:.2f}"


def _path(suffix: str) -> str:
    return "/coalitions/{int:coalition_id}/" + suffix


# --- Relationship mapping ------------------------------------------------------------------------------------


@api.get(_path("network/rounds"), response={200: list[schemas.NetworkRoundOut], **ERRORS}, url_name="network_rounds")
@requires(Perm.VIEW_NETWORK)
@paginate(LimitOffsetPagination)
def list_network_rounds(request: HttpRequest, coalition_id: int) -> list[dict[str, Any]]:
    """Survey rounds with how many were invited and consented; a round being prepared only for those who
    run surveys."""
    access = _access(request)
    found = SurveyRound.objects.filter(coalition=access.coalition).annotate(
        invited=Count("respondents"),
        consented=Count("respondents", filter=Q(respondents__status=Respondent.Status.CONSENTED)),
    )
    if not access.can(Perm.MANAGE_SURVEYS):
        found = found.exclude(status=SurveyRound.Status.DRAFT)
    return [
        {
            "id": r.pk,
            "name": r.name,
            "status": r.status,
            "opened_at": r.opened_at,
            "closed_at": r.closed_at,
            "invited": r.invited,
            "consented": r.consented,
        }
        for r in found.order_by("-created_at", "-pk")
    ]


def _round_is_out(request: HttpRequest, access: Access, network_round_id: int, **_: object) -> bool:
    return ROUND_IS_OUT.check(request, access, round_id=network_round_id)


# The screens' rule, for the API's ``network_round_id`` (``round_id`` also names survey and learning rounds).
NETWORK_ROUND_IS_OUT = dataclasses.replace(ROUND_IS_OUT, check=_round_is_out)


class RelationFilter(Schema):
    relation: RelationType | None = None


@api.get(
    _path("network/rounds/{int:network_round_id}/metrics"),
    response={200: schemas.NetworkMetricsOut, **ERRORS},
    url_name="network_metrics",
)
@requires(Perm.VIEW_NETWORK, rules=(NETWORK_ROUND_IS_OUT,))
def network_metrics(
    request: HttpRequest, coalition_id: int, network_round_id: int, filters: Query[RelationFilter]
) -> dict[str, Any]:
    """The whole network's measures for one relationship type (any, if none is given): the same analysis as
    the metrics screen, never an individual answer nor a named actor."""
    survey = scoped_get(_access(request), SurveyRound, pk=network_round_id)
    relation = filters.relation.value if filters.relation else None
    analysis = network_queries.analyse(survey, reveal_names=False, relation=relation)
    result = analysis.result
    return {
        "round_id": survey.pk,
        "relation": analysis.relation,
        "actors": result.size,
        "ties": result.ties,
        "density": result.density,
        "reciprocity": result.reciprocity,
        "centralisation": result.centralisation,
        "components": result.components,
        "largest_component_share": result.largest_component_share,
        "isolates": len(result.isolates),
        "average_degree": result.average_degree,
        "average_reach": result.average_reach,
        "trust_percent": analysis.trust_percent,
        "value_percent": analysis.value_percent,
    }


# --- Joint action plans ----------------------------------------------------------------------------------------


class PlanFilter(Schema):
    archived: bool = False


@api.get(_path("plans"), response={200: list[schemas.PlanOut], **ERRORS}, url_name="plans")
@requires(Perm.VIEW_PLANNING)
@paginate(LimitOffsetPagination)
def list_plans(request: HttpRequest, coalition_id: int, filters: Query[PlanFilter]) -> list[dict[str, Any]]:
    """Joint action plans (archived ones with ``archived=true``) with their counts, as on the plans screen."""
    found = JointActionPlan.objects.filter(coalition=_access(request).coalition, is_archived=filters.archived).annotate(
        n_actions=Count("actions", distinct=True),
        n_done=Count("actions", filter=Q(actions__status=Action.Status.DONE), distinct=True),
        n_objectives=Count("objectives", distinct=True),
    )
    return [
        {
            "id": p.pk,
            "title": p.title,
            "summary": p.summary,
            "starts_on": p.starts_on,
            "ends_on": p.ends_on,
            "is_archived": p.is_archived,
            "objectives": p.n_objectives,
            "actions": p.n_actions,
            "actions_done": p.n_done,
        }
        for p in found.order_by("pk")
    ]


class ActionFilter(Schema):
    plan_id: int | None = None
    status: schemas.ActionStatus | None = None


@api.get(_path("actions"), response={200: list[schemas.ActionOut], **ERRORS}, url_name="actions")
@requires(Perm.VIEW_PLANNING)
@paginate(LimitOffsetPagination)
def list_actions(request: HttpRequest, coalition_id: int, filters: Query[ActionFilter]) -> list[schemas.ActionOut]:
    """Joint actions of live plans, each with its ``etag`` for a later ``If-Match``."""
    found = Action.objects.filter(coalition=_access(request).coalition, plan__is_archived=False)
    if filters.plan_id is not None:
        found = found.filter(plan_id=filters.plan_id)
    if filters.status is not None:
        found = found.filter(status=filters.status)
    return [schemas.ActionOut.from_orm(a) for a in found.order_by("plan_id", "due_on", "pk")]


# --- Meetings ----------------------------------------------------------------------------------------------------


def _meeting(m: Meeting) -> dict[str, Any]:
    return {
        "id": m.pk,
        "title": m.title,
        "forum": m.forum,
        "starts_at": m.starts_at,
        "duration_minutes": m.duration_minutes,
        "status": m.status,
        "place": m.place,
        "agenda_published": m.agenda_published_at is not None,
        "minutes_approved": m.minutes_approved_at is not None,
    }


@api.get(_path("meetings"), response={200: list[schemas.MeetingOut], **ERRORS}, url_name="meetings")
@requires(Perm.VIEW_MEETINGS)
@paginate(LimitOffsetPagination)
def list_meetings(request: HttpRequest, coalition_id: int) -> list[dict[str, Any]]:
    """The meetings the caller may see (closed forums: their invitees), soonest first."""
    return [_meeting(m) for m in meeting_queries.meetings_for(_access(request)).order_by("starts_at", "pk")]


@api.get(
    _path("meetings/{int:meeting_id}"), response={200: schemas.MeetingDetailOut, **ERRORS}, url_name="meeting"
)
@requires(Perm.VIEW_MEETINGS, rules=(meeting_rules.INVITED,))
def meeting_detail(request: HttpRequest, coalition_id: int, meeting_id: int) -> dict[str, Any]:
    """A meeting with its accepted agenda items in order, each with its slot; each item's minutes once they
    are approved (drafts only for those who run meetings), as on the meeting's screen."""
    access = _access(request)
    meeting = scoped_get(access, Meeting, pk=meeting_id)
    agenda = meeting_queries.agenda(meeting)
    slots = meeting_calc.running_order(meeting.starts_at, [item.minutes_needed for item in agenda])
    with_minutes = meeting_queries.minutes_visible(access, meeting)
    items = []
    for item, (starts_at, ends_at) in zip(agenda, slots, strict=True):
        row = {
            "id": item.pk,
            "position": item.position,
            "title": item.title,
            "purpose": item.purpose,
            "minutes_needed": item.minutes_needed,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "description": item.description,
            "papers": [paper.filename for paper in item.papers.all()],
        }
        items.append({**row, "minutes": item.minutes} if with_minutes else row)
    return {**_meeting(meeting), "ends_at": meeting.ends_at, "timezone": meeting.timezone, "items": items}


# --- Decisions ---------------------------------------------------------------------------------------------------


def _poll(poll: Poll, now: dt.datetime) -> dict[str, Any]:
    """A poll as its screen shows it: totals only once closed and, if anonymous, only from three voters."""
    closed = poll.is_closed
    shown = closed and decision_queries.turnout_shown(poll, poll.turnout or 0)
    stored = poll.result or {}
    labels = stored.get("labels", {})
    status = "closed" if closed else ("open" if poll.opens_at <= now else "upcoming")
    return {
        "id": poll.pk,
        "title": poll.title,
        "kind": poll.kind,
        "electorate": poll.electorate,
        "opens_at": poll.opens_at,
        "closes_at": poll.closes_at,
        "closed_at": poll.closed_at,
        "is_anonymous": poll.is_anonymous,
        "status": status,
        "turnout": poll.turnout if shown else None,
        "quorum_met": poll.quorum_met if closed else None,
        "result": [[str(cell) for cell in row] for row in stored.get("rows", [])] if shown else None,
        "winners": [labels.get(str(w), str(w)) for w in stored.get("winners", [])] if closed else None,
        "outcome_statement": poll.outcome_statement,
    }


@api.get(_path("polls"), response={200: list[schemas.PollOut], **ERRORS}, url_name="polls")
@requires(Perm.VIEW_DECISIONS)
@paginate(LimitOffsetPagination)
def list_polls(request: HttpRequest, coalition_id: int) -> list[dict[str, Any]]:
    """Polls, newest first. Individual ballots are never part of the answer."""
    now = timezone.now()
    found = decision_queries.polls(_access(request).coalition.pk).order_by("-opens_at", "-pk")
    return [_poll(p, now) for p in found]


class LogQuery(Schema):
    q: str = ""


@api.get(_path("decisions"), response={200: list[schemas.DecisionOut], **ERRORS}, url_name="decisions")
@requires(Perm.VIEW_DECISIONS)
@paginate(LimitOffsetPagination)
def list_decisions(request: HttpRequest, coalition_id: int, filters: Query[LogQuery]) -> list[dict[str, Any]]:
    """The decision log (closed polls and meeting decisions), newest first."""
    entries = decision_log.entries(_access(request).coalition.pk, decision_log.LogFilter(q=filters.q[:200]))
    fields = ("decided_on", "forum", "title", "rule", "turnout", "result", "reasoning")
    return [{name: getattr(e, name) for name in fields} for e in entries]


# --- Funding -------------------------------------------------------------------------------------------------------


@api.get(_path("funding/balances"), response={200: list[schemas.BalanceOut], **ERRORS}, url_name="balances")
@requires(Perm.VIEW_FUNDING)
@paginate(LimitOffsetPagination)
def list_balances(request: HttpRequest, coalition_id: int) -> list[dict[str, Any]]:
    """The ledger's balances per fund, restriction, priority and currency, as on the fund screen."""
    cid = _access(request).coalition.pk
    funds = ledger.fund_names(cid)
    found = []
    for b in ledger.balances(cid):
        amounts = {name: _money(getattr(b, name)) for name in (*funding_calc.BUCKET_NAMES, "held", "uncommitted")}
        found.append(
            {
                "fund_id": b.fund_id,
                "fund": funds.get(b.fund_id, ""),
                "restriction": b.restriction,
                "priority_id": b.priority_id,
                "currency": b.currency,
                **amounts,
            }
        )
    return found


@api.get(_path("funding/calls"), response={200: list[schemas.CallOut], **ERRORS}, url_name="calls")
@requires(Perm.VIEW_FUNDING)
@paginate(LimitOffsetPagination)
def list_calls(request: HttpRequest, coalition_id: int) -> list[dict[str, Any]]:
    """Calls for proposals of the pooled fund (their ballots stay on the call's screen)."""
    fields = ("id", "title", "purpose", "fund_id", "phase", "opens_on", "voting_on", "decision_on", "closes_on")
    return [
        {**{name: getattr(c, name) for name in fields}, "budget": _money(c.budget)}
        for c in funding_queries.calls(_access(request).coalition.pk)
    ]


@api.get(_path("funding/awards"), response={200: list[schemas.AwardOut], **ERRORS}, url_name="awards")
@requires(Perm.VIEW_FUNDING)
@paginate(LimitOffsetPagination)
def list_awards(request: HttpRequest, coalition_id: int) -> list[dict[str, Any]]:
    found = Award.objects.filter(coalition=_access(request).coalition).select_related("proposal__lead")
    return [
        {
            "id": a.pk,
            "call_id": a.call_id,
            "proposal": a.proposal.title,
            "lead": a.proposal.lead.name if a.proposal.lead else "",
            "amount": _money(a.amount),
            "currency": a.currency,
            "status": a.status,
            "spent": _money(a.spent),
        }
        for a in found.order_by("call_id", "pk")
    ]


# --- Feedback (the hub's inbox) -----------------------------------------------------------------------------------


class InboxFilter(Schema):
    status: str = ""


def _feedback(item: Feedback) -> schemas.FeedbackOut:
    """An inbox item; who sent it only for a named member or someone who agreed to be contacted."""
    if item.author is None and not item.may_contact:
        return schemas.FeedbackOut.from_orm(item)
    named = schemas.FeedbackOut.from_orm(item).model_dump()
    author = item.author
    submitter = (author.get_full_name() or author.get_username()) if author is not None else item.contact_name
    return schemas.FeedbackNamedOut(
        **named, submitter=submitter, contact_email=item.contact_email, contact_phone=item.contact_phone
    )


@api.get(
    _path("feedback"),
    response={200: list[schemas.FeedbackNamedOut | schemas.FeedbackOut], **ERRORS},
    url_name="feedback",
)
@requires(Perm.VIEW_FEEDBACK)
@paginate(LimitOffsetPagination)
def list_feedback(request: HttpRequest, coalition_id: int, filters: Query[InboxFilter]) -> list[schemas.FeedbackOut]:
    """The feedback inbox (``status``: one status, or ``open``), as the hub reads it."""
    found = feedback_queries.inbox(_access(request).coalition, filters.status).select_related("author")
    return [_feedback(item) for item in found]


# --- Learning -------------------------------------------------------------------------------------------------------


@api.get(_path("learning/pauses"), response={200: list[schemas.PauseOut], **ERRORS}, url_name="pauses")
@requires(Perm.VIEW_LEARNING)
@paginate(LimitOffsetPagination)
def list_pauses(request: HttpRequest, coalition_id: int) -> Any:
    """Pause-and-reflect sessions, latest first."""
    return Pause.objects.filter(coalition=_access(request).coalition).order_by("-held_on", "-pk")


@api.get(_path("learning/adaptations"), response={200: list[schemas.AdaptationOut], **ERRORS}, url_name="adaptations")
@requires(Perm.VIEW_LEARNING)
@paginate(LimitOffsetPagination)
def list_adaptations(request: HttpRequest, coalition_id: int) -> Any:
    """The adaptation log: what each pause changed and why."""
    return learning_queries.adaptation_log(_access(request).coalition).order_by("-applied_at", "-pk")


class OutcomeQuery(Schema):
    q: str = ""


@api.get(_path("learning/outcomes"), response={200: list[schemas.OutcomeOut], **ERRORS}, url_name="outcomes")
@requires(Perm.VIEW_LEARNING)
@paginate(LimitOffsetPagination)
def list_outcomes(request: HttpRequest, coalition_id: int, filters: Query[OutcomeQuery]) -> list[dict[str, Any]]:
    """Outcome records (outcome harvesting), most recent change first."""
    found = learning_queries.outcomes(_access(request).coalition, learning_queries.OutcomeFilter(q=filters.q[:200]))
    fields = ("id", *OUTCOME_FIELDS)
    return [
        {
            **{name: getattr(o, name) for name in fields},
            "priority_ids": sorted(p.pk for p in o.priorities.all()),
            "indicator_ids": sorted(i.pk for i in o.indicators.all()),
        }
        for o in found.order_by("-happened_on", "-pk")
    ]


# --- Cohesion ---------------------------------------------------------------------------------------------------------


@api.get(_path("cohesion/figures"), response={200: list[schemas.CohesionFigureOut], **ERRORS}, url_name="cohesion")
@requires(Perm.VIEW_COHESION)
def list_cohesion_figures(request: HttpRequest, coalition_id: int) -> list[dict[str, Any]]:
    """The guide's cohesion figures: whether each is measured, its indicator and its latest values."""
    return [
        {
            "key": row.key,
            "label": str(row.label),
            "measured": row.measured,
            "indicator_id": row.indicator.pk if row.indicator else None,
            "values": [{"period": v.label, "value": f"{v.value.normalize():f}"} for v in row.values],
        }
        for row in cohesion_queries.catalogue(_access(request).coalition)
    ]


@api.get(_path("cohesion/checks"), response={200: list[schemas.HealthCheckOut], **ERRORS}, url_name="health_checks")
@requires(Perm.VIEW_COHESION)
@paginate(LimitOffsetPagination)
def list_health_checks(request: HttpRequest, coalition_id: int) -> Any:
    return HealthCheck.objects.filter(coalition=_access(request).coalition).order_by("-held_on", "-pk")


@api.get(
    _path("cohesion/checks/{int:check_id}"), response={200: schemas.HealthResultsOut, **ERRORS}, url_name="health_check"
)
@requires(Perm.VIEW_COHESION)
def get_health_check(request: HttpRequest, coalition_id: int, check_id: int) -> dict[str, Any]:
    """One health check's results per factor: the mean score and how many answered (an open check's as they
    stand, a closed check's as frozen when it closed); never one person's answers."""
    check = scoped_get(_access(request), HealthCheck, pk=check_id)
    found = cohesion_results.results(check, today=timezone.localdate())
    return {
        "id": check.pk,
        "title": check.title,
        "status": check.status,
        "held_on": check.held_on,
        "closed_at": check.closed_at,
        "answered_by": cohesion_results.answered_by(check),
        "factors": [
            {
                "code": r.code,
                "group": r.group,
                "label": str(r.label),
                "mean": None if r.mean is None else str(r.mean),
                "answers": r.answers,
            }
            for r in found
        ],
    }
