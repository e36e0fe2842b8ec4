"""The public-page sections built from the results of feedback, learning and funding (issue 21, item 1).

``public`` sits above those apps, so the queries live here and read each app's own models and consent methods:

* ``you_said``: closed feedback items the hub chose to publish, through the hub's one-sentence summary and what
  changed (never the person's own words, never who sent it, how or when to the day);
* ``stories``: stories of change through ``Story.objects.for_use("public")`` (the storyteller's consent), named
  only when ``consent_named``; a withdrawn consent takes the story off the page and the feed at once;
* ``brief``: the latest learning pause, linked by its revocable brief link only while the hub shares it;
* ``funding``: awards of decided calls (the lead organisation named only if it agreed to be listed) and the fund
  statement totals by currency, never converted from one currency into another.

Each section has a stamp: one cheap query whose answer changes whenever what the section shows changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, QuerySet, Sum
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coalition.coalitions.models import Coalition
from coalition.core.extensions import PublicUpdate
from coalition.feedback import queries as feedback_queries
from coalition.feedback.models import Feedback
from coalition.funding import ledger
from coalition.funding.models import Award, Call, LedgerEntry, Phase, Restriction
from coalition.learning import queries as learning_queries
from coalition.learning.models import Pause, Story
from coalition.public.sections import register_section
from coalition.stakeholders.models import Stakeholder

STORIES_SHOWN = 10
FEEDBACK_SHOWN = 20
AWARDS_SHOWN = 30
DECIDED_PHASES = (Phase.DECIDED, Phase.IMPLEMENTING, Phase.CLOSED)


def _at_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


# --- You said, we did ---------------------------------------------------------------------------------------------


def you_said(coalition: Coalition) -> QuerySet[Feedback]:
    """Closed items the hub chose to publish (feedback's own query), with a summary written for the public."""
    return feedback_queries.you_said_we_did(coalition).exclude(public_summary="")


def render_you_said(coalition: Coalition) -> str:
    # Only the fields written for the public are read: never the text, the contact details or the author.
    found = you_said(coalition).values("id", "public_summary", "what_changed", "topic", "closed_on")
    topics: dict[Any, Any] = dict(Feedback._meta.get_field("topic").choices or [])
    items: list[dict[str, Any]] = [
        {**row, "topic_label": topics.get(row["topic"], "")} for row in found[:FEEDBACK_SHOWN]
    ]
    if not items:
        return ""
    return render_to_string("public/sections/you_said.html", {"items": items})


def stamp_you_said(coalition: Coalition) -> Any:
    return sorted(you_said(coalition).values_list("id", "public_summary", "what_changed", "closed_on"))


def you_said_updates(coalition: Coalition) -> Iterable[PublicUpdate]:
    for item in you_said(coalition).values("id", "public_summary", "what_changed", "closed_on")[:FEEDBACK_SHOWN]:
        if item["closed_on"] is None:
            continue
        yield PublicUpdate(
            key=f"you-said-{item['id']}",
            title=_("You said: %(summary)s") % {"summary": item["public_summary"]},
            published=_at_day(item["closed_on"]),
            summary=item["what_changed"],
        )


# --- Stories of change --------------------------------------------------------------------------------------------


def public_stories(coalition: Coalition) -> QuerySet[Story]:
    """Learning's own consent reading: only stories the storyteller agreed to share publicly."""
    return Story.objects.for_use("public").filter(coalition=coalition).select_related("domain")


def render_stories(coalition: Coalition) -> str:
    stories = list(public_stories(coalition).order_by("-told_on", "-id")[:STORIES_SHOWN])
    if not stories:
        return ""
    return render_to_string("public/sections/stories.html", {"stories": stories})


def stamp_stories(coalition: Coalition) -> Any:
    found = Story.objects.filter(coalition=coalition).aggregate(at=Max("updated_at"), n=Count("id"))
    return (str(found["at"]), found["n"])


def story_updates(coalition: Coalition) -> Iterable[PublicUpdate]:
    for story in public_stories(coalition).order_by("-told_on", "-id")[:STORIES_SHOWN]:
        yield PublicUpdate(
            key=f"story-{story.pk}",
            title=_("Story of change: %(title)s") % {"title": story.title},
            published=story.created_at,
            summary=story.shown_name,
        )


# --- The latest learning brief ------------------------------------------------------------------------------------


def shared_brief(coalition: Coalition) -> Pause | None:
    """The latest pause, only while its brief is shared (a revoked or never-shared latest brief: nothing)."""
    latest = learning_queries.last_pause(coalition)
    return latest if latest is not None and latest.share_token else None


def brief_url(pause: Pause) -> str:
    return reverse("learning_brief:brief", kwargs={"token": pause.share_token})


def render_brief(coalition: Coalition) -> str:
    pause = shared_brief(coalition)
    if pause is None:
        return ""
    return render_to_string("public/sections/brief.html", {"pause": pause, "url": brief_url(pause)})


def stamp_brief(coalition: Coalition) -> Any:
    latest = learning_queries.last_pause(coalition)
    return None if latest is None else (latest.pk, latest.share_token, str(latest.updated_at))


def brief_updates(coalition: Coalition) -> Iterable[PublicUpdate]:
    pause = shared_brief(coalition)
    if pause is not None:
        yield PublicUpdate(
            key=f"brief-{pause.pk}-{pause.share_token[:8]}",
            title=_("Learning brief: %(start)s – %(end)s") % {"start": pause.period_start, "end": pause.period_end},
            published=pause.updated_at,
            summary=_("Read the brief: %(url)s") % {"url": brief_url(pause)},
        )


# --- Funding: awards and the fund statement -----------------------------------------------------------------------


def public_awards(coalition: Coalition) -> QuerySet[Award]:
    return (
        Award.objects.filter(coalition=coalition, call__phase__in=DECIDED_PHASES, call__decided_at__isnull=False)
        .select_related("call", "proposal__lead")
        .order_by("-call__decided_at", "id")
    )


def _listed(stakeholder: Stakeholder) -> bool:
    return (
        stakeholder.listing_agreed_on is not None
        and stakeholder.kind == Stakeholder.Kind.ORGANISATION
        and stakeholder.engagement == Stakeholder.Engagement.MEMBER
        and not stakeholder.is_archived
    )


def award_rows(coalition: Coalition) -> list[dict[str, Any]]:
    return [
        {
            "key": f"award-{award.pk}",
            "call": award.call.title,
            "decided_at": award.call.decided_at,
            "title": award.proposal.title,
            "to": award.proposal.lead.name if _listed(award.proposal.lead) else "",
            "amount": award.amount,
            "currency": award.currency,
            "status": award.get_status_display(),
        }
        for award in public_awards(coalition)[:AWARDS_SHOWN]
    ]


@dataclass
class CurrencyTotals:
    """The fund statement for one currency: every fund, restriction and priority added up, never converted."""

    currency: str
    pledged: Decimal = Decimal("0.00")
    received: Decimal = Decimal("0.00")
    in_kind: Decimal = Decimal("0.00")
    granted: Decimal = Decimal("0.00")
    disbursed: Decimal = Decimal("0.00")
    held: Decimal = Decimal("0.00")
    unrestricted_uncommitted: Decimal = Decimal("0.00")
    funds: set[int] = field(default_factory=set)


def totals_by_currency(coalition: Coalition) -> list[CurrencyTotals]:
    found: dict[str, CurrencyTotals] = {}
    for balance in ledger.balances(coalition.pk):
        row = found.setdefault(balance.currency, CurrencyTotals(balance.currency))
        row.pledged += balance.pledged
        row.received += balance.received
        row.in_kind += balance.in_kind
        row.granted += balance.granted
        row.disbursed += balance.disbursed
        row.held += balance.held
        if balance.restriction == Restriction.UNRESTRICTED:
            row.unrestricted_uncommitted += balance.uncommitted
        row.funds.add(balance.fund_id)
    return [found[c] for c in sorted(found)]


def render_funding(coalition: Coalition) -> str:
    awards, totals = award_rows(coalition), totals_by_currency(coalition)
    if not awards and not totals:
        return ""
    return render_to_string("public/sections/funding.html", {"awards": awards, "totals": totals})


def stamp_funding(coalition: Coalition) -> Any:
    # Ledger entries are append-only: their count and highest id change with every new entry.
    entries = LedgerEntry.objects.filter(coalition=coalition).aggregate(n=Count("id"), last=Max("id"))
    awards = Award.objects.filter(coalition=coalition).aggregate(n=Count("id"), at=Max("updated_at"))
    calls = Call.objects.filter(coalition=coalition).aggregate(at=Max("updated_at"))
    listed = Stakeholder.objects.filter(coalition=coalition).aggregate(at=Max("updated_at"))
    return (entries["n"], entries["last"], awards["n"], str(awards["at"]), str(calls["at"]), str(listed["at"]))


def funding_updates(coalition: Coalition) -> Iterable[PublicUpdate]:
    for row in award_rows(coalition):
        yield PublicUpdate(
            key=row["key"],
            title=_("Awarded: %(title)s") % {"title": row["title"]},
            published=row["decided_at"],
            summary=f"{row['call']}: {row['amount']} {row['currency']}",
        )


def awarded_total(coalition: Coalition) -> dict[str, Decimal]:
    """What decided calls awarded, per currency (for tests and the bench)."""
    rows = public_awards(coalition).values("currency").annotate(total=Sum("amount")).order_by("currency")
    return {r["currency"]: r["total"] for r in rows}


def register_result_sections() -> None:
    register_section(
        "you_said",
        gettext_lazy("You said, we did"),
        render_you_said,
        order=50,
        description=gettext_lazy("Feedback the coalition acted on and chose to publish, in its own summary."),
        stamp=stamp_you_said,
        updates=you_said_updates,
    )
    register_section(
        "stories",
        gettext_lazy("Stories of change"),
        render_stories,
        order=60,
        description=gettext_lazy("Stories whose storytellers agreed to public sharing (named only if they agreed)."),
        stamp=stamp_stories,
        updates=story_updates,
    )
    register_section(
        "brief",
        gettext_lazy("Latest learning brief"),
        render_brief,
        order=70,
        description=gettext_lazy("A link to the latest learning brief, only while its link is shared."),
        stamp=stamp_brief,
        updates=brief_updates,
    )
    register_section(
        "funding",
        gettext_lazy("Funding"),
        render_funding,
        order=80,
        description=gettext_lazy("Awards of decided calls and the fund's totals in each currency."),
        stamp=stamp_funding,
        updates=funding_updates,
    )
