"""``manage.py create_coalition``: the operator's way to start the first real coalition."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from coalition.accounts import emails
from coalition.coalitions.models import Coalition, Membership, MembershipRole
from coalition.core.models import AuditEvent
from tests import factories

PASSWORD = "a quiet river at dawn"


def _run(monkeypatch: pytest.MonkeyPatch, *args: str, password: str = PASSWORD) -> str:
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    out = io.StringIO()
    call_command("create_coalition", *args, stdout=out)
    return out.getvalue()


NEW = ("--name", "Riverside Food Coalition", "--username", "fola", "--email", "Fola@Example.org", "--password-stdin")


def _counts() -> tuple[int, ...]:
    return (
        get_user_model().objects.count(),
        Coalition.objects.count(),
        Membership.objects.count(),
        MembershipRole.objects.count(),
        AuditEvent.objects.count(),
    )


def test_creates_the_hub_account_and_the_coalition_and_says_what_next(db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    out = _run(monkeypatch, *NEW, "--first-name", "Fola")
    user = get_user_model().objects.get(username="fola")
    coalition = Coalition.objects.get(name="Riverside Food Coalition")
    assert user.is_active and user.email == "fola@example.org" and user.first_name == "Fola"
    assert user.check_password(PASSWORD) and user.password.startswith("argon2")
    assert emails.is_verified(user, "fola@example.org")
    assert MembershipRole.objects.get(membership__user=user, membership__coalition=coalition).role == "hub"
    assert "http://127.0.0.1:8000" + reverse("accounts:login") in out
    assert reverse("invitations:list", args=[coalition.pk]) in out
    assert {"user.created", "coalition.created"} <= set(AuditEvent.objects.values_list("verb", flat=True))


def test_running_it_again_changes_nothing(db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    _run(monkeypatch, *NEW)
    before = _counts()
    out = _run(monkeypatch, *NEW)
    assert _counts() == before
    assert "nothing changed" in out


def test_an_existing_account_becomes_the_hub_without_a_password(db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    user = factories.make_user("amara")
    out = _run(monkeypatch, "--name", "Northside Health", "--username", "Amara", password="")
    coalition = Coalition.objects.get(name="Northside Health")
    assert MembershipRole.objects.get(membership__user=user, membership__coalition=coalition).role == "hub"
    assert "Created the account" not in out
    user.refresh_from_db()
    assert user.check_password(factories.PASSWORD)


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (("--name", "  ", "--username", "x", "--email", "x@example.org"), PASSWORD, "must not be empty"),
        (("--name", "C", "--username", "x"), PASSWORD, "--email is required"),
        (("--name", "C", "--username", "x", "--email", "not-an-address"), PASSWORD, "valid email"),
        (("--name", "C", "--username", "x", "--email", "x@example.org"), "short", "too short"),
        (("--name", "C", "--username", "x", "--email", "x@example.org"), "password1234", "too common"),
        (("--name", "C", "--username", "bad name!", "--email", "x@example.org"), PASSWORD, "username"),
        (("--name", "C" * 201, "--username", "x", "--email", "x@example.org"), PASSWORD, "at most 200"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_created(
    db: Any, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], password: str, message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        _run(monkeypatch, *args, "--password-stdin", password=password)
    assert _counts() == (0, 0, 0, 0, 0)


def test_refuses_an_existing_account_with_another_address_or_deactivated(
    db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    factories.make_user("amara")
    with pytest.raises(CommandError, match="another email address"):
        _run(monkeypatch, "--name", "C", "--username", "amara", "--email", "other@example.org")
    get_user_model().objects.filter(username="amara").update(is_active=False)
    with pytest.raises(CommandError, match="deactivated"):
        _run(monkeypatch, "--name", "C", "--username", "amara")
    assert not Coalition.objects.exists()


def test_does_not_take_over_a_coalition_of_the_same_name(world: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _counts()
    with pytest.raises(CommandError, match="already called"):
        _run(
            monkeypatch, "--name", "coalition a", "--username", "new", "--email", "new@example.org", "--password-stdin"
        )
    assert _counts() == before  # the new account was not kept either
    assert not get_user_model().objects.filter(username="new").exists()


def test_without_a_terminal_or_stdin_flag_it_asks_for_the_flag(db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with pytest.raises(CommandError, match="--password-stdin"):
        call_command("create_coalition", "--name", "C", "--username", "x", "--email", "x@example.org")
    assert _counts() == (0, 0, 0, 0, 0)
