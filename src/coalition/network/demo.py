"""Two relationship-survey rounds for the demo coalition: a hub-centred baseline and, six months later,
a denser network where members work with each other directly. Most respondents consent; a few do
not agree to be named, one declines the baseline, and one respondent adds an organisation."""

from __future__ import annotations

import datetime as dt

from coalition.network import actions
from coalition.network.models import Actor, Respondent, SurveyRound
from coalition.stakeholders.demo_context import DemoContext

ABBREVIATIONS = {
    "YC": "Eastgate Youth Centre",
    "RPS": "Riverside Primary School",
    "PARKS": "City Parks & Recreation Department",
    "LIB": "Eastgate Public Library",
    "FFN": "Families First Network",
    "PARISH": "St. Brigid's Parish",
    "TEN": "Eastgate Tenants' Association",
    "UNI": "Northvale University School of Education",
    "HFF": "Harmon Family Foundation",
    "LYDIA": "Mrs. Lydia Okafor (block captain)",
    "MOSQUE": "Eastgate Mosque Community Centre",
    "DCFS": "Department of Children & Family Services",
    "CLINIC": "Eastgate Health Clinic",
    "SPORTS": "Boys & Girls Sports League",
    "LIT": "Literacy Volunteers of Eastgate",
    "YOUTH": "Youth Council of Eastgate",
    "ARRIVALS": "New Arrivals Support Centre",
    "MOTHERS": "Millbrook Mothers' Circle",
}

BASELINE_TIES = [
    ("YC", "RPS", "IC"),
    ("YC", "PARKS", "IC"),
    ("YC", "LIB", "I"),
    ("YC", "FFN", "IC"),
    ("YC", "PARISH", "I"),
    ("YC", "TEN", "I"),
    ("YC", "UNI", "I"),
    ("YC", "HFF", "IR"),
    ("YC", "LYDIA", "I"),
    ("YC", "SPORTS", "C"),
    ("RPS", "LIB", "I"),
    ("RPS", "LIT", "C"),
    ("PARISH", "TEN", "I"),
    ("FFN", "DCFS", "R"),
    ("HFF", "UNI", "R"),
    ("TEN", "LYDIA", "IP"),
    ("LIB", "LIT", "C"),
]
LATER_NEW_TIES = [
    ("RPS", "PARKS", "CP"),
    ("RPS", "FFN", "IP"),
    ("LIB", "FFN", "IC"),
    ("LIB", "LYDIA", "IC"),
    ("PARKS", "SPORTS", "CR"),
    ("PARKS", "TEN", "IP"),
    ("FFN", "CLINIC", "IR"),
    ("FFN", "MOSQUE", "IC"),
    ("PARISH", "MOSQUE", "IP"),
    ("TEN", "FFN", "IP"),
    ("UNI", "RPS", "IP"),
    ("UNI", "LIB", "I"),
    ("HFF", "FFN", "R"),
    ("HFF", "PARKS", "R"),
    ("LYDIA", "PARISH", "I"),
    ("SPORTS", "YOUTH", "C"),
    ("LIB", "YOUTH", "C"),
    ("RPS", "CLINIC", "I"),
    ("DCFS", "RPS", "IP"),
    ("ARRIVALS", "FFN", "IC"),
    ("MOTHERS", "TEN", "IP"),
    ("MOTHERS", "LYDIA", "C"),
]
LATER_LOST_TIES = {("YC", "SPORTS"), ("YC", "LYDIA")}
TYPE_CODES = {"I": "information", "C": "cooperation", "R": "resources", "P": "problem_solving"}

MEMBERS = ["YC", "RPS", "PARKS", "LIB", "FFN", "PARISH", "TEN", "UNI", "HFF", "LYDIA"]
NOT_NAMED = {"TEN", "LYDIA", "DCFS", "SPORTS", "MOTHERS"}


def _half_year_ago(today: dt.date) -> dt.date:
    month = today.month - 6
    year = today.year - (1 if month < 1 else 0)
    return dt.date(year, (month - 1) % 12 + 1, 1)


def _respondent(token: str) -> Respondent:
    respondent = actions.respondent_for_token(token)
    assert respondent is not None, "the link was issued a moment ago"
    return respondent


def _run_round(
    ctx: DemoContext,
    name: str,
    codes: list[str],
    respondents: list[str],
    ties: list[tuple[str, str, str]],
    *,
    declines: tuple[str, ...] = (),
    trust_range: tuple[int, int],
    added: tuple[str, str, str, str] | None = None,
) -> SurveyRound:
    stakeholders = {code: ctx.stakeholders[ABBREVIATIONS[code]] for code in codes}
    survey = actions.do_create_round(
        ctx.hub,
        ctx.coalition,
        name=name,
        stakeholders=list(stakeholders.values()),
        hub_organisation=stakeholders["YC"],
    )
    actions.do_open_round(ctx.hub, survey)
    actor_of = {code: Actor.objects.get(round=survey, stakeholder=s) for code, s in stakeholders.items()}
    tokens = actions.do_issue_links(ctx.hub, survey, [actor_of[c] for c in respondents + list(declines)])
    people: dict[str, Respondent] = {}
    for code in declines:
        actions.do_decline(_respondent(tokens[actor_of[code].pk]))
    for code in respondents:
        respondent = _respondent(tokens[actor_of[code].pk])
        actions.do_consent(respondent, agrees_to_be_named=code not in NOT_NAMED)
        people[code] = respondent
    answers: dict[str, dict[int, dict]] = {code: {} for code in respondents}
    low, high = trust_range
    for a, b, types in ties:
        for source, target, first in ((a, b, True), (b, a, False)):
            # The first named actor always reports the tie; the other side does most of the time.
            if source not in answers or (not first and ctx.rng.random() > 0.75):
                continue
            answers[source][actor_of[target].pk] = {
                **{TYPE_CODES[t]: True for t in types},
                "frequency": ctx.rng.randint(2, 4),
                **{
                    f: ctx.rng.randint(low, high)
                    for f in ("trust_open", "trust_reliable", "trust_mission", "value_involvement")
                },
                "value_power": ctx.rng.randint(1, 4),
                "value_resources": 4 if "R" in types else ctx.rng.randint(1, 3),
            }
    if added:
        code, new_name, sector, target_type = added
        extra = actions.do_add_actor(people[code], name=new_name, sector=sector)
        answers[code][extra.pk] = {target_type: True, "frequency": 4, "trust_open": 4, "trust_reliable": 4}
    for code, given in answers.items():
        actions.do_save_answers(people[code], given)
    return survey


def seed(ctx: DemoContext) -> None:
    baseline_codes = [*MEMBERS, "MOSQUE", "DCFS", "CLINIC", "SPORTS", "LIT", "YOUTH"]
    baseline_month = _half_year_ago(ctx.today)
    baseline = _run_round(
        ctx,
        f"Baseline, {baseline_month:%B %Y}",
        baseline_codes,
        [*MEMBERS, "SPORTS"],
        BASELINE_TIES,
        declines=("DCFS",),
        trust_range=(2, 3),
    )
    actions.do_close_round(ctx.hub, baseline)
    later_ties = [t for t in BASELINE_TIES if (t[0], t[1]) not in LATER_LOST_TIES] + LATER_NEW_TIES
    _run_round(
        ctx,
        f"Six months on, {ctx.today:%B %Y}",
        [*baseline_codes, "ARRIVALS", "MOTHERS"],
        [*MEMBERS, "SPORTS", "DCFS", "MOSQUE", "MOTHERS"],
        later_ties,
        trust_range=(3, 4),
        added=("FFN", "Eastgate Community Food Bank", "civil_society", "resources"),
    )
