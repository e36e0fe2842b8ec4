"""A line of the sustainability plan becomes a joint action with an owner (made through joint action's own
action, or an existing one linked), the plan shows the action's status, and the hub's dependence trend over the
network rounds is counted by hand."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET  # noqa: S405 - parses the chart our page drew
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from coalition.coalitions.access import get_access
from coalition.cohesion import actions, figures, queries
from coalition.cohesion.models import PlanItem, PlanVersion
from coalition.core.models import AuditEvent
from coalition.joint_action import actions as joint_actions
from coalition.joint_action.models import Action, JointActionPlan
from tests import factories
from tests.cohesion.fixtures import READY, build

pytestmark = pytest.mark.django_db


def hub(world):
    return get_access(world.hub, world.coalition.pk)


def line(world, **changes) -> PlanItem:
    today = timezone.localdate()
    actions.do_record_sustainability_decision(
        hub(world),
        decision="continue",
        reasons="Still needed.",
        review_on=today + dt.timedelta(days=90),
        readiness=READY,
    )
    values = {
        "part": "financial", "what": "Membership fees", "responsible": "Treasurer", "milestone": "Fees agreed",
        "due_on": today + dt.timedelta(days=60), "resources": "Two hours a month of the treasurer",
    }  # fmt: skip
    return actions.do_save_plan_item(hub(world), None, **{**values, **changes})


def make(world, item: PlanItem, access=None) -> PlanItem:
    today = timezone.localdate()
    return actions.do_make_plan_item_action(
        access or hub(world), item, title="Agree membership fees", lead=world.member_org, place="Town hall",
        starts_on=today, due_on=today + dt.timedelta(days=45),
    )  # fmt: skip


def test_a_line_becomes_a_joint_action_owned_by_a_member(world) -> None:
    item = make(world, line(world))
    action = item.action
    assert action is not None
    assert (action.title, action.lead, action.status) == ("Agree membership fees", world.member_org, "planned")
    assert action.plan.title == actions.HOLDER_PLAN
    assert "Fees agreed" in action.description
    # made through joint action's own action (audited there), and the plan keeps a version that names it
    assert AuditEvent.objects.filter(verb="action.created").count() == 1
    assert AuditEvent.objects.filter(verb="sustainability.item_action_made").count() == 1
    latest = PlanVersion.objects.filter(plan=item.plan).order_by("-number").first()
    assert latest is not None and latest.snapshot["items"][0]["action_id"] == action.pk
    # a second line reuses the holding plan
    other = line(world, what="Rooms in kind", part="financial")
    make(world, other)
    assert JointActionPlan.objects.filter(coalition=world.coalition, title=actions.HOLDER_PLAN).count() == 1
    with pytest.raises(ValidationError):
        make(world, item)  # already a joint action


def test_joint_action_rules_apply_and_nothing_is_half_made(world) -> None:
    item = line(world)
    with pytest.raises(ValidationError) as refused:
        actions.do_make_plan_item_action(
            hub(world), item, title="Fees", lead=world.other.stakeholders.create(name="Elsewhere"), place="Hall",
            starts_on=timezone.localdate(), due_on=timezone.localdate(),
        )  # fmt: skip
    assert "lead" in refused.value.message_dict
    item.refresh_from_db()
    assert item.action_id is None and not Action.objects.exists()


def test_linking_an_existing_action_and_unlinking(world) -> None:
    item = line(world)
    plan = JointActionPlan.objects.create(coalition=world.coalition, title="Launch")
    made = make(world, line(world, what="Rooms in kind")).action
    assert made is not None
    kind = made.activity_type
    existing = joint_actions.do_create_action(
        world.hub, plan, title="Fee scale", activity_type_id=kind.pk, place="North", lead_id=world.other_org.pk,
        starts_on=timezone.localdate(), due_on=timezone.localdate() + dt.timedelta(days=10),
    )  # fmt: skip
    actions.do_link_plan_item_action(hub(world), item, existing)
    assert PlanItem.objects.get(pk=item.pk).action == existing
    with pytest.raises(ValidationError):  # one line per action
        actions.do_link_plan_item_action(hub(world), item, made)
    actions.do_link_plan_item_action(hub(world), item, None)
    assert PlanItem.objects.get(pk=item.pk).action is None
    assert Action.objects.filter(pk=existing.pk).exists()  # unlinking keeps the action


def test_only_who_plans_and_manages_joint_actions(world) -> None:
    item = line(world)
    steering = factories.add_member(world.coalition, factories.make_user("steer"), ["steering"]).user
    for user in (world.member, steering):
        with pytest.raises(PermissionDenied):
            make(world, item, get_access(user, world.coalition.pk))
    made = make(world, item, get_access(world.facilitator, world.coalition.pk))
    assert made.action is not None


def test_the_plan_page_shows_the_actions_status_and_the_action_page_the_line(world) -> None:
    item = make(world, line(world))
    assert item.action is not None
    joint_actions.do_update_action(world.hub, item.action, status="under_way")
    client = world.client_for(world.member)
    page = client.get(reverse("cohesion:sustainability", args=[world.coalition.pk])).content.decode()
    assert 'data-action-status="under_way"' in page and "Agree membership fees" in page
    assert "Make it a joint action" not in page  # members do not link
    detail = client.get(reverse("joint_action:action", args=[world.coalition.pk, item.action.pk])).content.decode()
    assert "Membership fees" in detail and reverse("cohesion:sustainability", args=[world.coalition.pk]) in detail


def test_the_hub_makes_the_action_from_the_page(world) -> None:
    item = line(world)
    url = reverse("cohesion:sustainability_item_action", args=[world.coalition.pk, item.pk])
    client = world.client_for(world.hub)
    assert client.get(url).status_code == 200
    today = timezone.localdate()
    body = {"make": "1", "title": "Fees", "lead": world.member_org.pk, "place": "Hall",
            "starts_on": today.isoformat(), "due_on": (today - dt.timedelta(days=1)).isoformat()}  # fmt: skip
    refused = client.post(url, body)
    assert refused.status_code == 400 and not Action.objects.exists()
    assert client.post(url, {**body, "due_on": today.isoformat()}).status_code == 302
    assert PlanItem.objects.get(pk=item.pk).action == Action.objects.get()


# --- The hub's dependence over the network rounds ---------------------------------------------------


def test_hub_trend_counted_by_hand(world) -> None:
    build(world.coalition)
    found = queries.hub_trend(world.coalition)
    assert [r.name for r in found] == ["R0", "R1", "R2"]
    # R0: three actors, no usable tie → no share of ties; the hub tied to none of the two others.
    r0, r1, r2 = found
    assert (r0.size, r0.ties, r0.hub_ties, r0.tie_share, r0.centrality, r0.most_central) == (
        3, 0, 0, None, Decimal("0.00"), False,
    )  # fmt: skip
    # R1: a star around A → all 3 ties through the hub, tied to 3 of 3 others, the most central.
    assert (r1.ties, r1.hub_ties, r1.tie_share, r1.centrality, r1.most_central) == (
        3, 3, Decimal("100.00"), Decimal("100.00"), True,
    )  # fmt: skip
    # R2: A-B, B-C, C-D, D-A, B-D (E declined) → A in 2 of 5 ties, tied to 2 of 3 others; B and D have 3.
    assert (r2.size, r2.ties, r2.hub_ties, r2.tie_share, r2.centrality, r2.most_central) == (
        4, 5, 2, Decimal("40.00"), Decimal("66.67"), False,
    )  # fmt: skip
    page = world.client_for(world.member).get(reverse("cohesion:sustainability", args=[world.coalition.pk]))
    assert 'data-tie-share="40.00"' in page.content.decode()


def chart_points(page: str) -> dict[str, dict[str, float]]:
    """The points of the hub-dependence chart: series name → round → value, read from the SVG's own markup."""
    figure = page[page.index("data-hub-chart") :]
    markup = figure[figure.index("<svg") : figure.index("</svg>") + len("</svg>")]
    svg = ET.fromstring(markup)  # noqa: S314 - our own page, in a test
    ns = "{http://www.w3.org/2000/svg}"
    names = {
        g.get("id", "").removeprefix("activate-"): "".join(g.itertext()).strip()
        for g in svg.iter(f"{ns}g")
        if "activate-serie" in g.get("class", "")
    }
    points: dict[str, dict[str, float]] = {}
    for group in svg.iter(f"{ns}g"):
        serie = next((c for c in group.get("class", "").split() if c.startswith("serie-")), None)
        if serie is None:
            continue
        for dots in group.iter(f"{ns}g"):
            if dots.get("class") == "dots":
                desc = {d.get("class", "").split()[0]: d.text for d in dots.iter(f"{ns}desc") if d.get("class")}
                points.setdefault(names[serie], {})[desc["x_label"]] = float(desc["value"])
    return points


def test_hub_trend_chart_draws_the_hand_counted_shares(world) -> None:
    build(world.coalition)
    page = world.client_for(world.observer).get(reverse("cohesion:sustainability", args=[world.coalition.pk]))
    text = page.content.decode()
    # R0 has no tie at all: no share of ties to draw, and the hub is tied to none of the two others.
    assert chart_points(text) == {
        "Ties through the hub": {"R1": 100.0, "R2": 40.0},
        "Hub tied to others": {"R0": 0.0, "R1": 100.0, "R2": 66.67},
    }
    figure = text[text.index("data-hub-chart") :]
    assert "<script" not in figure[: figure.index("</svg>")]
    # the table stays as the text alternative, behind a disclosure
    assert figure.index("<details") < figure.index('data-tie-share="40.00"') < figure.index("</details>")


def test_no_chart_before_a_round_is_closed(world) -> None:
    page = world.client_for(world.observer).get(reverse("cohesion:sustainability", args=[world.coalition.pk]))
    text = page.content.decode()
    assert "data-hub-chart" not in text and "No network round has been closed yet." in text


@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), max_size=30))
def test_degrees_sum_to_twice_the_ties(links: list[tuple[int, int]]) -> None:
    found = figures.degrees(range(6), links)
    assert sum(found.degree.values()) == 2 * found.ties
    assert all(0 <= d <= 5 for d in found.degree.values())
    assert found.ties <= 15
