"""This app's part of the demo coalition, called by ``seed_demo`` (list the app in its APP_SEEDS).
Demo data goes through the actions, like everything else."""

from __future__ import annotations

from coalition.example import actions
from coalition.stakeholders.demo_context import DemoContext


def seed(ctx: DemoContext) -> None:
    actions.do_save_note(ctx.hub, ctx.coalition, title="Welcome", body="What this coalition is for.")
