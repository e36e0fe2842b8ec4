"""Problem tree: adding, moving, merging and removing boxes; the layout and the SVG; who may edit."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coalition.coalitions import actions as coalition_actions
from coalition.core.models import AuditEvent
from coalition.planning import actions, queries, tree
from coalition.planning.models import Priority, ProblemNode
from tests.planning.factories import access_for, hub_access, make_core, make_node


def _url(world: Any, name: str, *args: Any) -> str:
    return reverse(f"planning:{name}", args=[world.coalition.pk, *args])


def test_causes_hang_under_causes_and_effects_under_effects(world: Any) -> None:
    access = hub_access(world.coalition)
    core = actions.do_set_core_problem(access, text="Children are unsafe after school")
    cause = actions.do_add_problem_node(access, parent=core, kind="cause", text="Clubs close at 3 pm")
    deeper = actions.do_add_problem_node(
        access, parent=cause, kind="cause", text="No money for staff", evidence="Budget cut 2025"
    )
    effect = actions.do_add_problem_node(access, parent=core, kind="effect", text="Reading scores fall")
    with pytest.raises(ValidationError):
        actions.do_add_problem_node(access, parent=cause, kind="effect", text="wrong side")
    with pytest.raises(ValidationError):
        actions.do_move_problem_node(access, deeper, parent=effect)
    assert deeper.parent == cause


def test_a_second_core_problem_rewords_the_first(world: Any) -> None:
    access = hub_access(world.coalition)
    first = actions.do_set_core_problem(access, text="One")
    second = actions.do_set_core_problem(access, text="Two")
    assert first.pk == second.pk
    assert ProblemNode.objects.filter(coalition=world.coalition).count() == 1


def test_moving_under_its_own_branch_is_refused(world: Any) -> None:
    access = hub_access(world.coalition)
    top = make_node(world.coalition, "Top cause")
    child = make_node(world.coalition, "Child cause", parent=top)
    with pytest.raises(ValidationError):
        actions.do_move_problem_node(access, top, parent=child)
    other = make_node(world.coalition, "Other cause")
    actions.do_move_problem_node(access, top, parent=other)
    top.refresh_from_db()
    assert top.parent == other
    targets = {n.pk for n in queries.move_targets(top)}
    assert targets == {make_core(world.coalition).pk}  # not itself, its branch, or where it already hangs


def test_merge_moves_branches_evidence_and_priorities_and_archives_the_source(world: Any) -> None:
    access = hub_access(world.coalition)
    keep = make_node(world.coalition, "Too few youth workers")
    keep.evidence = "Survey of clubs"
    keep.save()
    drop = make_node(world.coalition, "Not enough staff at clubs")
    drop.evidence = "Council report p. 4"
    drop.evidence_url = "https://example.org/report"
    drop.save()
    branch = make_node(world.coalition, "Low pay", parent=drop)
    priority = Priority.objects.create(coalition=world.coalition, title="Train volunteers", problem_node=drop)
    actions.do_merge_problem_nodes(access, drop, into=keep)
    keep.refresh_from_db()
    drop.refresh_from_db()
    branch.refresh_from_db()
    priority.refresh_from_db()
    assert drop.is_archived and drop.merged_into == keep
    assert branch.parent == keep
    assert priority.problem_node == keep
    assert "Survey of clubs" in keep.evidence and "Council report p. 4" in keep.evidence
    assert keep.evidence_url == "https://example.org/report"
    assert AuditEvent.objects.filter(verb="problem_node.merged").exists()


def test_merging_into_a_box_on_its_own_branch_keeps_the_tree_connected(world: Any) -> None:
    access = hub_access(world.coalition)
    upper = make_node(world.coalition, "Upper")
    lower = make_node(world.coalition, "Lower", parent=upper)
    sibling = make_node(world.coalition, "Sibling", parent=upper)
    actions.do_merge_problem_nodes(access, upper, into=lower)
    lower.refresh_from_db()
    sibling.refresh_from_db()
    core = make_core(world.coalition)
    assert lower.parent == core and sibling.parent == lower
    built = queries.problem_tree(world.coalition)
    assert {c.text for c in built.causes} == {"Lower"}


def test_cause_and_effect_cannot_be_merged(world: Any) -> None:
    with pytest.raises(ValidationError):
        actions.do_merge_problem_nodes(
            hub_access(world.coalition), make_node(world.coalition), into=make_node(world.coalition, kind="effect")
        )


def test_removing_a_box_lifts_its_branch_and_keeps_the_record(world: Any) -> None:
    middle = make_node(world.coalition, "Middle")
    leaf = make_node(world.coalition, "Leaf", parent=middle)
    actions.do_remove_problem_node(hub_access(world.coalition), middle)
    leaf.refresh_from_db()
    middle.refresh_from_db()
    assert middle.is_archived and leaf.parent == make_core(world.coalition)


def test_members_of_the_codesign_group_may_edit_the_tree_and_other_members_may_not(world: Any) -> None:
    core = make_core(world.coalition)
    member = access_for(world.member, world.coalition)
    with pytest.raises(PermissionDenied):
        actions.do_add_problem_node(member, parent=core, kind="cause", text="Not allowed")
    coalition_actions.do_save_working_group(
        world.hub, world.coalition, name="Co-design", is_codesign_group=True, members=[member.membership]
    )
    actions.do_add_problem_node(member, parent=core, kind="cause", text="Allowed now")
    assert ProblemNode.objects.filter(text="Allowed now").exists()


def _chain_tree(shape: list[int]) -> tree.TreeNode:
    """A core with causes and effects: ``shape[i]`` is the parent index (into the list so far) of node i+1."""
    nodes = [tree.TreeNode(0, "core", "Core problem", None)]
    for i, parent_index in enumerate(shape, start=1):
        parent = nodes[parent_index % len(nodes)]
        kind = parent.kind if parent.kind != "core" else ("cause" if i % 2 else "effect")
        nodes.append(tree.TreeNode(i, kind, f"Box {i} " + "word " * (i % 7), parent.pk))
    return tree.build(nodes)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(min_value=0, max_value=40), max_size=30))
def test_layout_never_overlaps_and_puts_effects_above_and_causes_below(shape: list[int]) -> None:
    core = _chain_tree(shape)
    laid = tree.layout(core)
    boxes = {b.pk: b for b in laid.boxes}
    assert len(boxes) == len(shape) + 1
    for a in laid.boxes:
        for b in laid.boxes:
            if a.pk < b.pk:
                apart = a.x + a.width <= b.x or b.x + b.width <= a.x or a.y + a.height <= b.y or b.y + b.height <= a.y
                assert apart, (a, b)
        assert a.x >= 0 and a.x + a.width <= laid.width and a.y >= 0 and a.y + a.height <= laid.height
    for child_id, parent_id in laid.edges:
        child, parent = boxes[child_id], boxes[parent_id]
        if child.kind == "cause":
            assert child.y > parent.y
        else:
            assert child.y < parent.y


def test_svg_is_well_formed_and_escapes_text() -> None:
    core = tree.build(
        [
            tree.TreeNode(1, "core", "Kids <unsafe> & alone", None),
            tree.TreeNode(2, "cause", "Clubs close early", 1, evidence="Survey"),
            tree.TreeNode(3, "effect", "Scores drop", 1),
        ]
    )
    svg = str(tree.render_svg(tree.layout(core), "Problem tree"))
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Kids <unsafe> &" in " ".join(texts)
    assert len(list(root.iter("{http://www.w3.org/2000/svg}line"))) == 2
    assert tree.render_svg(tree.layout(None), "x") == ""


def test_tree_page_shows_svg_and_outline_and_forms_only_to_editors(world: Any) -> None:
    cause = make_node(world.coalition, "Clubs close at three")
    make_node(world.coalition, "Reading scores fall", kind="effect")
    hub_page = world.client_for(world.hub).get(_url(world, "problem_tree")).content.decode()
    assert "<svg" in hub_page and "Clubs close at three" in hub_page
    assert "Add to the tree" in hub_page
    assert _url(world, "problem_node", cause.pk) in hub_page
    member_page = world.client_for(world.member).get(_url(world, "problem_tree")).content.decode()
    assert "Reading scores fall" in member_page and "Add to the tree" not in member_page


def test_empty_tree_invites_to_name_the_core_problem(world: Any) -> None:
    page = world.client_for(world.hub).get(_url(world, "problem_tree")).content.decode()
    assert "Start with the core problem" in page


def test_editor_builds_the_tree_through_the_pages(world: Any) -> None:
    client = world.client_for(world.hub)
    client.post(_url(world, "problem_core"), {"core-text": "Children are alone after school"})
    core = make_core(world.coalition)
    assert core.text == "Children are alone after school"
    response = client.post(
        _url(world, "problem_node_add"),
        {"add-kind": "cause", "add-parent": core.pk, "add-text": "Parents work late", "add-evidence": "Census"},
    )
    assert response.status_code == 302
    cause = ProblemNode.objects.get(text="Parents work late")
    other = make_node(world.coalition, "Shifts are long")
    client.post(_url(world, "problem_node_move", other.pk), {"parent": cause.pk})
    other.refresh_from_db()
    assert other.parent == cause
    client.post(_url(world, "problem_node", cause.pk), {"text": "Parents work late shifts", "evidence": "Census 2021"})
    cause.refresh_from_db()
    assert cause.text == "Parents work late shifts"
    dup = make_node(world.coalition, "Parents have long shifts")
    client.post(_url(world, "problem_node_merge", dup.pk), {"into": cause.pk})
    dup.refresh_from_db()
    assert dup.merged_into == cause
    client.post(_url(world, "problem_node_remove", other.pk))
    other.refresh_from_db()
    assert other.is_archived


def test_adding_a_cause_under_an_effect_shows_the_error(world: Any) -> None:
    effect = make_node(world.coalition, "Scores fall", kind="effect")
    response = world.client_for(world.hub).post(
        _url(world, "problem_node_add"), {"add-kind": "cause", "add-parent": effect.pk, "add-text": "x"}
    )
    assert response.status_code == 200 and b"errorlist" in response.content


@pytest.mark.parametrize(
    ("persona", "expected"), [(None, 302), ("outsider", 404), ("observer", 403), ("member", 403), ("hub", 302)]
)
def test_who_may_change_a_box(world: Any, persona: str | None, expected: int) -> None:
    node = make_node(world.coalition, "Original")
    user = getattr(world, persona) if persona else None
    events = AuditEvent.objects.count()
    client = world.client_for(user)
    for name in ("problem_node", "problem_node_remove"):
        assert client.post(_url(world, name, node.pk), {"text": "Changed"}).status_code == expected
    node.refresh_from_db()
    if expected != 302 or persona is None:
        assert node.text == "Original" and not node.is_archived
        assert AuditEvent.objects.count() == events
