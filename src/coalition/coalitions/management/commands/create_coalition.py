"""``manage.py create_coalition``: the operator starts the first real coalition and its hub coordinator's account.

Running it again with the same arguments changes nothing. An existing account may be named instead of creating one.
"""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse

from coalition.accounts import actions
from coalition.coalitions.actions import do_create_coalition
from coalition.coalitions.models import Coalition, MembershipRole
from coalition.core.permissions import Role


def _problems(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
    return " ".join(error.messages)


class Command(BaseCommand):
    help = "Create a coalition and its first hub coordinator (a new account, or an existing one)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help="the coalition's name")
        parser.add_argument("--username", required=True, help="the hub coordinator's username (new or existing)")
        parser.add_argument("--email", default="", help="the hub coordinator's email (required for a new account)")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument(
            "--password-stdin", action="store_true", help="read a new account's password from standard input"
        )
        parser.add_argument(
            "--base-url", default="http://127.0.0.1:8000", help="the site's address, for the next steps printed"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["name"].strip()
        if not name:
            raise CommandError("--name must not be empty.")
        with transaction.atomic():
            user, created_user = self._hub_account(options)
            coalition, created = self._coalition(user, name)
        base = options["base_url"].rstrip("/")
        if created_user:
            self.stdout.write(f"Created the account {user.username} ({user.email}).")
        if created:
            self.stdout.write(
                self.style.SUCCESS(f"Created the coalition {coalition.name} with {user.username} as hub.")
            )
        else:
            self.stdout.write(
                f"The coalition {coalition.name} already exists with {user.username} as hub: nothing changed."
            )
        self.stdout.write("Next steps:")
        self.stdout.write(f"  1. Sign in as {user.username}: {base}{reverse('accounts:login')}")
        self.stdout.write(
            f"  2. Check the coalition's settings: {base}{reverse('coalitions:settings', args=[coalition.pk])}"
        )
        self.stdout.write(f"  3. Invite its members: {base}{reverse('invitations:list', args=[coalition.pk])}")
        self.stdout.write("  In production, hub coordinators set up an authenticator app at their first sign-in.")

    def _hub_account(self, options: dict[str, Any]) -> tuple[Any, bool]:
        username = options["username"].strip()
        email = options["email"].strip().lower()
        if email:
            try:
                validate_email(email)
            except ValidationError as error:
                raise CommandError(f"--email: {_problems(error)}") from error
        existing = get_user_model().objects.filter(username__iexact=username).first()
        if existing is not None:
            if email and existing.email.strip().lower() != email:
                raise CommandError(f"The account {existing.username} exists with another email address.")
            if not existing.is_active:
                raise CommandError(f"The account {existing.username} is deactivated.")
            return existing, False
        if not email:
            raise CommandError("--email is required to create a new account.")
        password = self._password(options["password_stdin"])
        try:
            user = actions.do_create_account(
                None,
                username=username,
                email=email,
                password=password,
                first_name=options["first_name"],
                last_name=options["last_name"],
            )
        except ValidationError as error:
            raise CommandError(_problems(error)) from error
        return user, True

    def _password(self, from_stdin: bool) -> str:
        if from_stdin:
            return sys.stdin.readline().rstrip("\n")
        if not sys.stdin.isatty():
            raise CommandError("No terminal to ask for a password: pass --password-stdin and pipe it in.")
        first = getpass.getpass("Password for the new account: ")
        if first != getpass.getpass("Password again: "):
            raise CommandError("The two passwords differ.")
        return first

    def _coalition(self, user: Any, name: str) -> tuple[Coalition, bool]:
        same_name = Coalition.objects.filter(name__iexact=name)
        hub_of = MembershipRole.objects.filter(membership__user=user, membership__is_active=True, role=Role.HUB).values(
            "membership__coalition"
        )
        mine = same_name.filter(pk__in=hub_of).first()
        if mine is not None:
            return mine, False
        if same_name.exists():
            raise CommandError(f"Another coalition is already called {name}: choose another name.")
        try:
            return do_create_coalition(user, name=name), True
        except ValidationError as error:
            raise CommandError(_problems(error)) from error
