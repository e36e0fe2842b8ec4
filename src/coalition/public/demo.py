"""The demo coalition's public page: most member organisations agreed to be listed (two did not), and the page is
published with every section an app offers."""

from __future__ import annotations

from coalition.core.extensions import public_sections
from coalition.public import actions
from coalition.stakeholders import actions as stakeholder_actions
from coalition.stakeholders.demo_context import DemoContext
from coalition.stakeholders.models import Stakeholder

NOT_LISTED = 2  # the last organisations have not answered yet: they stay unnamed


def seed(ctx: DemoContext) -> None:
    organisations = [o for o in ctx.member_organisations if o.kind == Stakeholder.Kind.ORGANISATION]
    for n, organisation in enumerate(organisations[: max(0, len(organisations) - NOT_LISTED)]):
        agreed_on = ctx.today.replace(day=1) if n % 2 else ctx.today
        stakeholder_actions.do_record_public_listing(ctx.hub, organisation, agreed_on)
    page = actions.do_save_public_page(
        ctx.hub,
        ctx.coalition,
        slug=actions.suggested_slug(ctx.coalition),
        introduction=(
            "What the coalition set out to do, who takes part, how the shared figures are moving and what was "
            "decided. Updated as results are approved."
        ),
        sections=[s.key for s in public_sections()],
    )
    actions.do_publish_public_page(ctx.hub, page)
