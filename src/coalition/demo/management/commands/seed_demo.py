"""Seed the demo coalitions and print the demo logins (one ``login:`` line each, read by scripts)."""

from __future__ import annotations

import importlib
import importlib.util

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from coalition.demo import base

# Each app with demo data has ``coalition/<app>/demo.py`` defining ``seed(ctx)``; order matters.
APP_SEEDS = ("stakeholders", "measurement", "network", "planning", "joint_action", "meetings", "decisions", "feedback", "learning", "funding", "cohesion", "public")


class Command(BaseCommand):
    help = "Create (or re-create) the demo coalitions with realistic data and print the demo logins."

    def handle(self, *args: object, **options: object) -> None:
        # The demo's notifications are kept (read them in the app) but not mailed: a console backend would
        # print hundreds of messages above the login lines.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), transaction.atomic():
            ctx = base.seed_base()
            for app in APP_SEEDS:
                module_name = f"coalition.{app}.demo"
                if importlib.util.find_spec(module_name) is not None:
                    importlib.import_module(module_name).seed(ctx)
        self.stdout.write(f"Demo coalition: {ctx.coalition.name}")
        for user, role in ((ctx.hub, "hub"), (ctx.facilitator, "facilitator"), (ctx.member, "member")):
            self.stdout.write(f"login: {user.username} / {base.DEMO_PASSWORD} ({role})")
