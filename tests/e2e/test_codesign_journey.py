"""Journeys through co-design: from the problem tree to a signed common agenda, and the priorities brief."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.sync_api import expect
from pypdf import PdfReader

from coalition.coalitions import actions as coalition_actions
from coalition.planning.models import Ballot, DotVote, Priority, ProblemNode, Signature
from tests import factories
from tests.e2e.conftest import assert_accessible, sign_in
from tests.planning.factories import make_asset, make_indicator, make_priority, make_published_agenda

CAUSES = ("Few clubs run after 3 pm", "Parents work late shifts", "No safe route to the library")
PRIORITIES = ("Open clubs until 6 pm", "Walking buses to the library", "Homework help at school")
INDICATORS = ("Children in after-school clubs", "Pupils reading at grade level")


def _field(page: Any, label: str) -> Any:
    """The form field labelled exactly ``label`` (Django adds a colon to field labels)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}:?$"))


def _switch_user(page: Any, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, username, factories.PASSWORD)


def _place_dots(page: Any, dots: dict[str, int]) -> None:
    for title, count in dots.items():
        _field(page, title).fill(str(count))
    page.get_by_role("button", name="Save my dots").click()


def test_from_problem_tree_to_a_signed_common_agenda(page: Any, world: Any) -> None:
    coalition = world.coalition
    for name in INDICATORS:
        make_indicator(coalition, name)
    codesigner = factories.add_member(
        coalition,
        factories.make_user("codesigner", first_name="Cora", last_name="Design"),
        ["member"],
        organisation=world.other_org,
    )
    coalition_actions.do_save_working_group(
        world.hub, coalition, name="Co-design group", is_codesign_group=True, members=[codesigner]
    )
    page.on("dialog", lambda dialog: dialog.accept())  # the "are you sure?" before closing and publishing
    base = f"/c/{coalition.pk}/planning"

    # The hub names the core problem and three causes, with evidence.
    sign_in(page, "hub", factories.PASSWORD)
    page.goto(f"{base}/problem-tree/")
    assert_accessible(page)
    page.get_by_label("Statement").fill("Children have nowhere safe to go after school")
    _field(page, "Evidence").fill("Youth survey 2025: 4 in 10 children alone after school.")
    page.get_by_role("button", name="Save the core problem").click()
    for cause in CAUSES:
        page.get_by_label("Cause", exact=True).check()
        page.get_by_label("Statement").fill(cause)
        page.get_by_role("button", name="Add to the tree").click()
        expect(page.get_by_text(f"Added “{cause}”.")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("Problem tree"))).to_be_visible()
    outline = page.get_by_role("region", name="Outline")
    for cause in CAUSES:
        expect(outline.get_by_text(cause, exact=True)).to_be_visible()
    assert_accessible(page)
    assert ProblemNode.objects.filter(coalition=coalition, kind="cause", parent__kind="core").count() == 3
    outline.get_by_role("link", name=re.compile(re.escape(CAUSES[0]))).click()
    expect(page.get_by_role("heading", name=CAUSES[0])).to_be_visible()
    expect(page.get_by_label("Move under")).to_be_visible()
    expect(page.get_by_label("Merge into")).to_be_visible()
    assert_accessible(page)

    # Members propose priorities, each tackling a cause.
    for username, title, cause in zip(("member", "member", "codesigner"), PRIORITIES, CAUSES, strict=True):
        _switch_user(page, username)
        page.goto(f"{base}/priorities/")
        assert_accessible(page)
        _field(page, "Priority").fill(title)
        page.get_by_label("Which cause it tackles").select_option(label=cause)
        page.get_by_role("button", name="Propose").click()
        expect(page.get_by_text("Thank you: your priority is on the list.")).to_be_visible()

    # The hub opens a dot vote with three dots each.
    _switch_user(page, "hub")
    page.goto(f"{base}/priorities/")
    page.get_by_role("link", name="Open a dot vote").click()
    assert_accessible(page)
    page.get_by_label("Dots per member").fill("3")
    page.get_by_role("button", name="Open the vote").click()
    expect(page.get_by_text("The dot vote is open.")).to_be_visible()
    assert_accessible(page)

    # Members rank the priorities; more dots than the budget are refused.
    _switch_user(page, "member")
    page.goto(f"{base}/priorities/")
    page.get_by_role("link", name="Vote page").click()
    _place_dots(page, {PRIORITIES[0]: 2, PRIORITIES[1]: 2})
    expect(page.get_by_text("You placed 4 dots but have only 3.")).to_be_visible()
    assert not Ballot.objects.filter(voter__user=world.member).exists()
    assert_accessible(page)
    _place_dots(page, {PRIORITIES[0]: 2, PRIORITIES[1]: 1})
    expect(page.get_by_text("Your dots are placed.")).to_be_visible()
    expect(page.get_by_text("0 dots left.")).to_be_visible()
    _switch_user(page, "codesigner")
    page.goto(f"{base}/priorities/")
    _place_dots(page, {PRIORITIES[0]: 3})
    expect(page.get_by_text("Your dots are placed.")).to_be_visible()
    assert all(b.dots_spent <= b.budget == 3 for b in Ballot.objects.all())

    # The hub closes the vote, then records the chosen priorities with the indicators that track them.
    _switch_user(page, "hub")
    vote = DotVote.objects.get(coalition=coalition)
    page.goto(f"{base}/votes/{vote.pk}/")
    page.get_by_role("button", name="Close the vote").click()
    expect(page.get_by_text("The vote is closed and its result is kept.")).to_be_visible()
    result = page.get_by_role("table", name="Priorities ranked by dots received")
    assert result.get_by_role("row").nth(1).get_by_role("rowheader").inner_text() == PRIORITIES[0]
    expect(page.get_by_role("region", name="Vote record").get_by_text("Cora Design")).to_be_visible()
    assert_accessible(page)
    for title, indicator in zip(PRIORITIES[:2], INDICATORS, strict=True):
        result.get_by_role("link", name=f"Decide {title}").click()
        page.get_by_label("Chosen").check()
        page.get_by_label(indicator).check()
        assert_accessible(page)
        page.get_by_role("button", name="Save decision").click()
        expect(page.get_by_text(f"Decision recorded for “{title}”.")).to_be_visible()
        page.get_by_role("link", name=vote.title).click()
    chosen = Priority.objects.filter(coalition=coalition, status="chosen")
    assert sorted(chosen.values_list("title", "indicators__name")) == sorted(
        zip(PRIORITIES[:2], INDICATORS, strict=True)
    )

    # The co-design group drafts and publishes the common agenda.
    _switch_user(page, "codesigner")
    page.goto(f"{base}/agenda/")
    assert_accessible(page)
    page.get_by_role("link", name="Draft the common agenda").click()
    page.get_by_label("Shared problem statement").fill("Children have nowhere safe to go after school.")
    page.get_by_label("Vision").fill("Every child has a safe, stimulating place until parents are home.")
    for title in PRIORITIES[:2]:
        assert page.get_by_label(title).is_checked()
    assert not page.get_by_label(PRIORITIES[2]).is_checked()
    page.get_by_label("Named coordinator").select_option(label="Hana Hub")
    page.get_by_label("Charter / by-laws").fill("Members share data each quarter and attend two of three meetings.")
    assert_accessible(page)
    page.get_by_role("button", name="Save the draft").click()
    page.get_by_role("button", name="Publish the draft").click()
    expect(page.get_by_text("Version 1 is published.")).to_be_visible()
    assert_accessible(page)

    # A member signs it and appears among the signatories.
    _switch_user(page, "member")
    page.goto(f"{base}/agenda/")
    page.get_by_role("button", name="Sign version 1").click()
    expect(page.get_by_text("Thank you for signing version 1.")).to_be_visible()
    signatories = page.get_by_role("region", name="Who has signed")
    expect(signatories.get_by_role("row", name=re.compile(r"^member Member Org Signed"))).to_be_visible()
    expect(signatories.get_by_text("1 of 4 members have signed version 1.")).to_be_visible()
    assert_accessible(page)
    assert Signature.objects.filter(membership__user=world.member, version__number=1).exists()


def test_member_downloads_the_one_page_priorities_brief(page: Any, world: Any, tmp_path: Path) -> None:
    indicators = [make_indicator(world.coalition, name, unit="children") for name in INDICATORS]
    priorities = [make_priority(world.coalition, title, status="chosen") for title in PRIORITIES[:2]]
    make_published_agenda(world.coalition, priorities=priorities, indicators=indicators)
    make_asset(world.coalition, owner=world.member_org, place="North", who_may_use="Any member")
    sign_in(page, "member", factories.PASSWORD)
    page.goto(f"/c/{world.coalition.pk}/planning/assessment/")
    expect(page.get_by_text("Town library")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/c/{world.coalition.pk}/planning/agenda/")
    page.get_by_role("link", name="Version 1", exact=True).click()
    expect(page.get_by_text(INDICATORS[0]).first).to_be_visible()
    assert_accessible(page)
    page.go_back()
    page.get_by_role("link", name="Priorities brief (printable page and one-page PDF)").click()
    expect(page.get_by_role("heading", name=world.coalition.name)).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the one-page PDF").click()
    pdf = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(pdf)
    reader = PdfReader(pdf)
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    for name in INDICATORS:
        assert name in text
    for title in PRIORITIES[:2]:
        assert title in text
