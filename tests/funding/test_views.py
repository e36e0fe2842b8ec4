"""Views: what each persona sees and may do, the statement in CSV and PDF, a whole call through the screens."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone

from coalition.funding.models import Award, LedgerEntry, Phase, Proposal
from tests.funding import builders


def _url(name: str, world: Any, *args: Any) -> str:
    return reverse(f"funding:{name}", args=[world.coalition.pk, *args])


def test_the_hub_records_a_contribution_and_members_see_the_balance(world: Any) -> None:
    fund = builders.fund(world.coalition)
    hub = world.client_for(world.hub)
    data = {
        "fund": fund.pk,
        "kind": "receipt",
        "occurred_on": timezone.localdate().isoformat(),
        "amount": "1250.50",
        "currency": "eur",
        "restriction": "unrestricted",
        "source_type": "donor",
        "source_name": "City foundation",
    }
    assert hub.post(_url("entry_new", world), data).status_code == 302
    assert LedgerEntry.objects.get().currency == "EUR"
    page = world.client_for(world.observer).get(_url("fund", world))
    assert page.status_code == 200 and "1,250.50" in page.content.decode()  # grouped, as English writes it


def test_a_bad_entry_shows_its_error_and_saves_nothing(world: Any) -> None:
    fund = builders.fund(world.coalition)
    data = {
        "fund": fund.pk,
        "kind": "in_kind",
        "occurred_on": timezone.localdate().isoformat(),
        "amount": "10",
        "currency": "EUR",
        "restriction": "unrestricted",
        "source_type": "member",
        "source_name": "X",
    }
    response = world.client_for(world.hub).post(_url("entry_new", world), data)
    assert response.status_code == 400
    assert "description" in response.context["form"].errors
    assert not LedgerEntry.objects.exists()


def test_the_statement_downloads_as_csv_and_pdf(world: Any) -> None:
    fund = builders.fund(world.coalition)
    builders.receive(fund, "300.00", source_name="=cmd|' /C calc'!A0")
    today = timezone.localdate()
    query = f"?start={(today - dt.timedelta(days=1)).isoformat()}&end={today.isoformat()}"
    client = world.client_for(world.member)
    csv = client.get(_url("statement_csv", world) + query)
    text = b"".join(csv.streaming_content).decode() if csv.streaming else csv.content.decode()
    assert "300.00" in text and "\n=cmd" not in text and ",=cmd" not in text
    pdf = client.get(_url("statement_pdf", world) + query)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    html = client.get(_url("statement", world) + "?start=nonsense&end=2020-13-01")
    assert html.status_code == 200


def test_a_call_through_the_screens(world: Any) -> None:
    call = builders.call(world.coalition, phase=Phase.OPEN)
    member = world.client_for(world.member)
    data = {
        "title": "Reading club",
        "summary": "Weekly sessions.",
        "lines": "Books; 300\nFacilitator; 200",
        "own_contribution": "0",
        "partners": [world.other_org.pk],
    }
    assert member.post(_url("proposal_new", world, call.pk), data).status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.requested == Decimal("500.00") and proposal.partners.count() == 1
    bad = member.post(_url("proposal_new", world, call.pk), {**data, "lines": "Books 300"})
    assert bad.status_code == 400
    other = builders.member(world.coalition, "zoe")
    builders.proposal(call, other, "300", title="Homework help")
    hub = world.client_for(world.hub)
    assert hub.post(_url("call_advance", world, call.pk)).status_code == 302
    call.refresh_from_db()
    assert call.phase == Phase.VOTING
    page = member.get(_url("call", world, call.pk))
    assert "Homework help" in page.content.decode()
    homework = Proposal.objects.get(title="Homework help")
    assert member.post(_url("call", world, call.pk), {"proposals": [homework.pk]}).status_code == 302
    assert member.post(_url("call", world, call.pk), {"proposals": [proposal.pk]}).status_code == 400  # own: recused
    decide = hub.get(_url("call_decide", world, call.pk))
    assert decide.status_code == 200
    form = {f"amount_{homework.pk}": "300.00", f"amount_{proposal.pk}": "", "reason": ""}
    assert hub.post(_url("call_decide", world, call.pk), form).status_code == 302
    award = Award.objects.get()
    assert award.proposal == homework
    assert (
        hub.post(
            _url("instalment_new", world, award.pk), {"due_on": timezone.localdate().isoformat(), "amount": "100"}
        ).status_code
        == 302
    )
    instalment = award.instalments.get()
    assert hub.post(_url("disburse", world, instalment.pk)).status_code == 302
    assert LedgerEntry.objects.filter(kind="disbursement", amount=Decimal("100")).exists()
    shown = world.client_for(world.observer).get(_url("call", world, call.pk)).content.decode()
    assert "Homework help" in shown and "300.00" in shown


def test_a_party_reports_spend_line_by_line_and_every_member_sees_it(world: Any) -> None:
    call = builders.call(world.coalition, phase=Phase.OPEN)
    member = world.client_for(world.member)
    data = {
        "title": "Reading club",
        "summary": "Weekly.",
        "lines": "Books; 300\nFacilitator; 200",
        "own_contribution": "0",
    }
    assert member.post(_url("proposal_new", world, call.pk), data).status_code == 302
    proposal = Proposal.objects.get()
    builders.advance_to(call, Phase.VOTING)
    hub = world.client_for(world.hub)
    assert hub.post(_url("call", world, call.pk), {"proposals": [proposal.pk]}).status_code == 302
    assert (
        hub.post(_url("call_decide", world, call.pk), {f"amount_{proposal.pk}": "500.00", "reason": ""}).status_code
        == 302
    )
    award = Award.objects.get()
    books, facilitator = proposal.lines.all()
    report = {"status": "implementing", "spent": "", f"line_{books.pk}": "120.00", f"line_{facilitator.pk}": "80"}
    assert member.post(_url("award", world, award.pk), report).status_code == 302
    award.refresh_from_db()
    assert award.spent == Decimal("200.00")
    refused = member.post(_url("award", world, award.pk), {**report, "spent": "999"})
    assert refused.status_code == 400 and "add up to 200.00" in refused.content.decode()
    shown = world.client_for(world.observer).get(_url("award", world, award.pk)).content.decode()
    assert "Spending against the budget" in shown
    assert '<th scope="row">Books</th><td>300.00</td><td>120.00</td><td>180.00</td>' in shown


def test_every_member_sees_an_award_and_only_its_parties_and_the_fund_managers_report(world: Any) -> None:
    call = builders.call(world.coalition, phase=Phase.OPEN)
    proposal = builders.proposal(call, builders.member(world.coalition, "lead"), "100", title="Choir")
    builders.advance_to(call, Phase.VOTING)
    hub = world.client_for(world.hub)
    assert hub.post(_url("call", world, call.pk), {"proposals": [proposal.pk]}).status_code == 302
    assert (
        hub.post(_url("call_decide", world, call.pk), {f"amount_{proposal.pk}": "100.00", "reason": ""}).status_code
        == 302
    )
    award = Award.objects.get()
    url = _url("award", world, award.pk)
    for user, offered in ((world.hub, True), (world.member, False), (world.observer, False)):
        page = world.client_for(user).get(url)
        assert page.status_code == 200
        assert ("Report progress" in page.content.decode()) is offered
    lead = world.client_for(proposal.lead.memberships.get().user)
    assert "Report progress" in lead.get(url).content.decode()
    assert world.client_for(world.member).post(url, {"status": "completed", "spent": "5"}).status_code == 403
    award.refresh_from_db()
    assert award.status == "implementing"
