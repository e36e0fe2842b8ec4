"""The evidence a learning pause reviews, gathered from the apps that own it and frozen as plain JSON.

Each section is registered under a key with a function ``fn(coalition, start, end) -> dict`` returning only
JSON values (strings, numbers, lists, dicts). The built-in sections read the apps below learning (indicators,
actions, network, decisions, and listening's survey results and feedback summary); a higher app adds its own
with ``register_evidence`` in its AppConfig.ready. The pause stores whatever the registry gives on the day it
is held and never reads the live data again.

Listening's sections hold aggregates only: survey results of closed rounds past the coalition's minimum of
answers (never free text, never a figure from fewer answers), and feedback counts and response times (never
what was said, never who said it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from coalition.coalitions.models import Coalition
from coalition.decisions import log
from coalition.feedback import calc as feedback_calc
from coalition.feedback import queries as feedback_queries
from coalition.feedback.models import Channel, QuestionKind, Topic
from coalition.joint_action import calc as action_calc
from coalition.joint_action.models import Action
from coalition.measurement import queries as measurement_queries
from coalition.network import queries as network_queries
from coalition.network.models import SurveyRound

Section = Callable[[Coalition, dt.date, dt.date], dict[str, Any]]


@dataclass(frozen=True)
class Evidence:
    key: str
    label: Any  # a (lazy) translatable string
    fn: Section


_REGISTRY: dict[str, Evidence] = {}


def register_evidence(key: str, label: Any, fn: Section) -> None:
    _REGISTRY[key] = Evidence(key, label, fn)


def sections() -> list[Evidence]:
    return list(_REGISTRY.values())


def _num(value: Decimal | float | None) -> str | None:
    return None if value is None else str(value)


def collect(coalition: Coalition, start: dt.date, end: dt.date) -> dict[str, Any]:
    """Every registered section as it stands now: ``{key: {"label": ..., **section}}`` (JSON only)."""
    return {e.key: {"label": str(e.label), **e.fn(coalition, start, end)} for e in sections()}


# ------------------------------------------------------------------------------------ the built-in sections


def scorecard(coalition: Coalition, start: dt.date, end: dt.date) -> dict[str, Any]:
    rows = []
    for row in measurement_queries.scorecard(coalition):
        points = [p for p in row.points if p.period_start <= end]
        rows.append(
            {
                "indicator": row.indicator.name,
                "unit": row.indicator.unit,
                "period": row.latest.label if row.latest else "",
                "value": _num(row.latest.value if row.latest else None),
                "target": _num(row.target),
                "status": str(row.status.value),
                "trend": row.trend.arrow,
                "series": [[p.label, _num(p.value)] for p in points[-6:]],
            }
        )
    return {"rows": rows}


def follow_through(coalition: Coalition, start: dt.date, end: dt.date) -> dict[str, Any]:
    actions = Action.objects.filter(coalition=coalition, due_on__lte=end).values_list(
        "status", "due_on", "completed_on"
    )
    result = action_calc.follow_through(
        (action_calc.Commitment(s, d, c) for s, d, c in actions), end + dt.timedelta(days=1)
    )
    return {
        "due": result.due,
        "on_time": result.on_time,
        "late": result.late,
        "overdue": result.overdue,
        "percent": result.percent,
    }


def network(coalition: Coalition, start: dt.date, end: dt.date) -> dict[str, Any]:
    closed = list(
        SurveyRound.objects.filter(coalition=coalition, status=SurveyRound.Status.CLOSED).order_by("closed_at", "pk")
    )[-2:]
    if not closed:
        return {"rounds": []}
    analyses = [network_queries.analyse(r, reveal_names=False) for r in closed]
    rounds = [
        {
            "name": r.name,
            "density": round(a.result.density, 3),
            "centralisation": round(a.result.centralisation, 3),
            "ties": a.result.ties,
            "isolates": len(a.result.isolates),
        }
        for r, a in zip(closed, analyses, strict=True)
    ]
    out: dict[str, Any] = {"rounds": rounds}
    if len(analyses) == 2:
        c = network_queries.compare_rounds(analyses[0], analyses[1])
        out["comparison"] = {
            "new_ties": c.new_ties,
            "lost_ties": c.lost_ties,
            "kept_ties": c.kept_ties,
            "density_change": round(c.density_change, 3),
        }
    return out


def decisions(coalition: Coalition, start: dt.date, end: dt.date) -> dict[str, Any]:
    found = log.entries(coalition.pk, log.LogFilter(since=start, until=end))
    return {"rows": [{"date": e.decided_on.isoformat(), "title": e.title, "result": e.result} for e in found[:20]]}


SURVEY_ROUNDS = 2  # the latest closed rounds of the period a pause looks at


def survey_results(coalition: Coalition, start: dt.date, end: dt.date) -> dict[str, Any]:
    """The aggregates of the latest perception-survey rounds closed in the period. A round below the minimum of
    answers keeps only its title (``shown`` false); a question answered fewer times, and free text, are left out."""
    minimum = feedback_queries.minimum_for(coalition)
    rounds = []
    for survey in feedback_queries.closed_in(coalition, start, end, SURVEY_ROUNDS):
        aggregate, views = feedback_queries.results(survey)
        entry: dict[str, Any] = {"title": survey.title, "closed_on": survey.closes_on.isoformat(), "shown": False}
        if aggregate.shown:
            entry["shown"] = True
            entry["responses"] = aggregate.responses
            entry["questions"] = [
                {
                    "question": view.question.text,
                    "answers": view.result.count,
                    "mean": _num(view.result.mean),
                    "distribution": [[label, count] for label, count in view.rows],
                }
                for view in views
                if view.result.shown and view.question.kind != QuestionKind.TEXT
            ]
        rounds.append(entry)
    return {"minimum": minimum, "rounds": rounds}


def _counts(counts: feedback_calc.Counts) -> dict[str, int]:
    return {"received": counts.received, "answered": counts.answered, "closed": counts.closed}


def feedback_summary(coalition: Coalition, start: dt.date, end: dt.date) -> dict[str, Any]:
    """How many pieces of feedback came in, were first answered and were closed in the period, by topic and by
    channel, and the median days to the first answer and to closing. No text and nobody's details."""
    summary = feedback_queries.period_summary(coalition, start, end)
    topics, channels = dict(Topic.choices), dict(Channel.choices)
    return {
        **_counts(summary.totals),
        "median_days_to_answer": summary.median_days_to_answer,
        "median_days_to_close": summary.median_days_to_close,
        "by_topic": [{"name": str(topics.get(k, k)), **_counts(c)} for k, c in summary.by_topic.items()],
        "by_channel": [{"name": str(channels.get(k, k)), **_counts(c)} for k, c in summary.by_channel.items()],
    }


def register_builtin() -> None:
    register_evidence("scorecard", _("Indicator scorecard"), scorecard)
    register_evidence("follow_through", _("Follow-through on actions"), follow_through)
    register_evidence("network", _("Network comparison"), network)
    register_evidence("decisions", _("Decisions taken"), decisions)
    register_evidence("survey_results", _("Member survey results"), survey_results)
    register_evidence("feedback_summary", _("Feedback heard and answered"), feedback_summary)
